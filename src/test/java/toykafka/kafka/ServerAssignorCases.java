package toykafka.kafka;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One assignment question as a line of text, so that it can go to Kafka's assignors in a child JVM that knows only
 * JDK types: the assignor, each topic id with its partition count, then each member with the topics it subscribes to
 * and its current target. {@code range|T1=6,T2=3|a:T1+T2:T1/0.1+T2/0;b:T1:} is the range assignor, two topics, member
 * a subscribed to both and holding T1's 0 and 1 and T2's 0, member b subscribed to T1 and holding nothing. An answer
 * is each member's partitions: {@code a=T1/0.1.2+T2/0.1.2;b=}.
 */
final class ServerAssignorCases {

    /** A member: its id, its topics in order, and its current target by topic. */
    record CaseMember(String id, List<String> subscribed, Map<String, Set<Integer>> target) {
    }

    record Case(String assignor, Map<String, Integer> partitions, List<CaseMember> members) {
        @Override
        public String toString() {
            StringJoiner topics = new StringJoiner(",");
            partitions.forEach((topic, count) -> topics.add(topic + "=" + count));
            StringJoiner people = new StringJoiner(";");
            for (CaseMember member : members) {
                people.add(member.id() + ":" + String.join("+", member.subscribed()) + ":" + owned(member.target()));
            }
            return assignor + "|" + topics + "|" + people;
        }
    }

    static Case parse(String line) {
        String[] parts = line.split("\\|", -1);
        Map<String, Integer> partitions = new LinkedHashMap<>();
        for (String topic : parts[1].split(",")) {
            String[] pair = topic.split("=");
            partitions.put(pair[0], Integer.parseInt(pair[1]));
        }
        List<CaseMember> members = new ArrayList<>();
        for (String member : parts[2].split(";")) {
            String[] fields = member.split(":", -1);
            List<String> subscribed = fields[1].isEmpty() ? List.of() : List.of(fields[1].split("\\+"));
            members.add(new CaseMember(fields[0], subscribed, parseOwned(fields[2])));
        }
        return new Case(parts[0], partitions, members);
    }

    /** Each member's partitions, in the members' order: {@code a=T1/0.1+T2/0;b=}. */
    static String format(Map<String, Map<String, Set<Integer>>> answer) {
        StringJoiner line = new StringJoiner(";");
        answer.forEach((member, owned) -> line.add(member + "=" + owned(owned)));
        return line.toString();
    }

    static Map<String, Map<String, Set<Integer>>> parseAnswer(String line) {
        Map<String, Map<String, Set<Integer>>> answer = new LinkedHashMap<>();
        for (String member : line.split(";")) {
            String[] pair = member.split("=", -1);
            answer.put(pair[0], parseOwned(pair[1]));
        }
        return answer;
    }

    private static String owned(Map<String, Set<Integer>> owned) {
        return owned.entrySet().stream().filter(e -> !e.getValue().isEmpty()).sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "/" + new TreeSet<>(e.getValue()).stream().map(String::valueOf)
                        .collect(Collectors.joining("."))).collect(Collectors.joining("+"));
    }

    private static Map<String, Set<Integer>> parseOwned(String text) {
        Map<String, Set<Integer>> owned = new LinkedHashMap<>();
        if (!text.isEmpty()) {
            for (String topic : text.split("\\+")) {
                String[] pair = topic.split("/");
                owned.put(pair[0], Arrays.stream(pair[1].split("\\.")).map(Integer::valueOf)
                        .collect(Collectors.toCollection(TreeSet::new)));
            }
        }
        return owned;
    }

    private ServerAssignorCases() {
    }
}
