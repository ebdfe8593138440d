package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import toykafka.broker.group.consumer.RangeAssignor;
import toykafka.broker.group.consumer.ServerAssignor;
import toykafka.broker.group.consumer.UniformAssignor;
import toykafka.common.TopicId;
import toykafka.testing.Drill;

/**
 * Kafka 4.4's own server-side assignors are the oracle for ours: the same members, subscriptions, partition counts
 * and current targets go to both, Kafka's in a child JVM on its own jars. A case is a group before and after a
 * change (a member joins, one leaves, one subscribes to other topics), the second answered from the first's targets,
 * so stickiness is tried as well as a first assignment. The seed is printed; rerun one with
 * {@code -Dassignor.seed=N}.
 *
 * <p>Range must agree member for member. Uniform must agree member for member when the members subscribe to one
 * topic. With several topics Kafka's uniform builder hands out the free partitions in the order of a hash set of topic
 * ids, so there the two must agree on what uniform promises: how many partitions each member owns, and how many of
 * its earlier ones each member keeps. With subscriptions that differ, Kafka's heterogeneous builder moves partitions
 * about more than ours; there each answer must give every partition to exactly one of its subscribers.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ServerAssignorOracleTest {

    private static final int CASES = 300;

    @RegisterExtension
    final Drill drill = Drill.seeded("assignor.seed", System.nanoTime());

    @Test
    void range_agrees_with_kafkas_member_for_member() {
        List<Pair> pairs = pairs("range", new RangeAssignor(), seed(), true);
        List<String> kafka = kafkaAnswers(pairs);
        for (int i = 0; i < pairs.size(); i++) {
            assertEquals(ServerAssignorCases.parseAnswer(kafka.get(i)), pairs.get(i).ours(),
                    "case " + pairs.get(i).question());
        }
    }

    @Test
    void uniform_agrees_with_kafkas_on_one_topic_and_on_every_members_share_and_what_it_keeps() {
        List<Pair> pairs = pairs("uniform", new UniformAssignor(), seed(), false);
        List<String> kafka = kafkaAnswers(pairs);
        int exact = 0;
        for (int i = 0; i < pairs.size(); i++) {
            Pair pair = pairs.get(i);
            Map<String, Map<String, Set<Integer>>> theirs = ServerAssignorCases.parseAnswer(kafka.get(i));
            if (pair.question().partitions().size() == 1) {
                assertEquals(theirs, pair.ours(), "case " + pair.question());
                exact++;
            } else {
                assertEquals(counts(theirs), counts(pair.ours()), "each member's share, case " + pair.question());
                assertEquals(kept(pair.question(), theirs), kept(pair.question(), pair.ours()),
                        "what each member keeps, case " + pair.question());
            }
            assertEveryPartitionOnce(pair.question(), pair.ours());
        }
        assertTrue(exact > CASES / 10, "enough one-topic cases to compare exactly: " + exact);
    }

    @Test
    void uniform_with_differing_subscriptions_gives_every_partition_to_one_subscriber_as_kafkas_does() {
        List<Pair> pairs = heterogeneousPairs(seed());
        List<String> kafka = kafkaAnswers(pairs);
        for (int i = 0; i < pairs.size(); i++) {
            assertEveryPartitionOnce(pairs.get(i).question(), ServerAssignorCases.parseAnswer(kafka.get(i)));
            assertEveryPartitionOnce(pairs.get(i).question(), pairs.get(i).ours());
        }
    }

    // ---- cases ----

    /** A question and our answer to it, in the cases' text types. */
    private record Pair(ServerAssignorCases.Case question, Map<String, Map<String, Set<Integer>>> ours) {
    }

    private long seed() {
        drill.at("the cases");
        System.out.println("ServerAssignorOracleTest: seed " + drill.seed());
        return drill.seed();
    }

    /** Pairs of questions: a first assignment, then one after a change, answered from the first's targets. */
    private static List<Pair> pairs(String name, ServerAssignor ours, long seed, boolean mixedSubscriptions) {
        Random random = new Random(seed);
        List<Pair> pairs = new ArrayList<>();
        for (int c = 0; c < CASES / 2; c++) {
            List<TopicId> topics = topics(random, random.nextInt(3) + 1);
            Map<TopicId, Integer> partitions = partitionCounts(random, topics);
            boolean homogeneous = !mixedSubscriptions || random.nextBoolean();
            Map<String, Set<TopicId>> subscriptions = new LinkedHashMap<>();
            int members = random.nextInt(6) + 1;
            for (int m = 0; m < members; m++) {
                subscriptions.put("m" + m, homogeneous ? Set.copyOf(topics) : someOf(random, topics));
            }
            Pair first = ask(name, ours, partitions, subscriptions, Map.of());
            pairs.add(first);
            Map<String, Set<TopicId>> changed = new LinkedHashMap<>(subscriptions);
            switch (random.nextInt(3)) {
                case 0 -> changed.put("m" + members, homogeneous ? Set.copyOf(topics) : someOf(random, topics));
                case 1 -> {
                    if (changed.size() > 1) {
                        changed.remove("m" + random.nextInt(members));
                    }
                }
                default -> {
                    if (!homogeneous) {
                        changed.put("m0", someOf(random, topics));
                    }
                }
            }
            pairs.add(ask(name, ours, partitions, changed, targets(first.ours(), topics)));
        }
        return pairs;
    }

    private static List<Pair> heterogeneousPairs(long seed) {
        Random random = new Random(seed);
        List<Pair> pairs = new ArrayList<>();
        for (int c = 0; c < CASES / 4; c++) {
            List<TopicId> topics = topics(random, random.nextInt(2) + 2);
            Map<TopicId, Integer> partitions = partitionCounts(random, topics);
            Map<String, Set<TopicId>> subscriptions = new LinkedHashMap<>();
            for (int m = 0; m < random.nextInt(5) + 2; m++) {
                subscriptions.put("m" + m, someOf(random, topics));
            }
            subscriptions.put("all", Set.copyOf(topics)); // so that the subscriptions differ and every topic is read
            pairs.add(ask("uniform", new UniformAssignor(), partitions, subscriptions, Map.of()));
        }
        return pairs;
    }

    private static Pair ask(String name, ServerAssignor assignor, Map<TopicId, Integer> partitions,
                            Map<String, Set<TopicId>> subscriptions, Map<String, Map<TopicId, Set<Integer>>> targets) {
        List<ServerAssignor.Member> members = new ArrayList<>();
        List<ServerAssignorCases.CaseMember> caseMembers = new ArrayList<>();
        Set<TopicId> read = new TreeSet<>(ServerAssignor.TOPIC_ORDER);
        subscriptions.forEach((member, topics) -> {
            Map<TopicId, Set<Integer>> target = targets.getOrDefault(member, Map.of());
            members.add(new ServerAssignor.Member(member, null, topics, target));
            List<String> names = topics.stream().sorted(ServerAssignor.TOPIC_ORDER).map(TopicId::toString).toList();
            Map<String, Set<Integer>> owned = new LinkedHashMap<>();
            target.forEach((topic, held) -> owned.put(topic.toString(), held));
            caseMembers.add(new ServerAssignorCases.CaseMember(member, names, owned));
            read.addAll(topics);
        });
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<TopicId, Integer> readCounts = new LinkedHashMap<>();
        for (TopicId topic : read) {
            counts.put(topic.toString(), partitions.get(topic));
            readCounts.put(topic, partitions.get(topic));
        }
        ServerAssignorCases.Case question = new ServerAssignorCases.Case(name, counts, caseMembers);
        return new Pair(question, text(assignor.assign(members, readCounts)));
    }

    private static List<TopicId> topics(Random random, int count) {
        List<TopicId> topics = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            topics.add(new TopicId(random.nextLong(), random.nextLong()));
        }
        return topics;
    }

    /** Each topic, in order, with 1 to 12 partitions. */
    private static Map<TopicId, Integer> partitionCounts(Random random, List<TopicId> topics) {
        Map<TopicId, Integer> partitions = new LinkedHashMap<>();
        topics.forEach(topic -> partitions.put(topic, random.nextInt(12) + 1));
        return partitions;
    }

    private static Set<TopicId> someOf(Random random, List<TopicId> topics) {
        Set<TopicId> some = new TreeSet<>(ServerAssignor.TOPIC_ORDER);
        topics.stream().filter(topic -> random.nextBoolean()).forEach(some::add);
        if (some.isEmpty()) {
            some.add(topics.get(random.nextInt(topics.size())));
        }
        return some;
    }

    /** Our earlier answer as the members' current targets. */
    private static Map<String, Map<TopicId, Set<Integer>>> targets(Map<String, Map<String, Set<Integer>>> answer,
                                                                   List<TopicId> topics) {
        Map<String, TopicId> byName = new HashMap<>();
        topics.forEach(topic -> byName.put(topic.toString(), topic));
        Map<String, Map<TopicId, Set<Integer>>> targets = new HashMap<>();
        answer.forEach((member, owned) -> {
            Map<TopicId, Set<Integer>> target = new HashMap<>();
            owned.forEach((topic, held) -> target.put(byName.get(topic), held));
            targets.put(member, target);
        });
        return targets;
    }

    private static Map<String, Map<String, Set<Integer>>> text(Map<String, SortedMap<TopicId, SortedSet<Integer>>> ours) {
        Map<String, Map<String, Set<Integer>>> text = new LinkedHashMap<>();
        ours.forEach((member, owned) -> {
            Map<String, Set<Integer>> byName = new LinkedHashMap<>();
            owned.forEach((topic, partitions) -> byName.put(topic.toString(), new TreeSet<>(partitions)));
            text.put(member, byName);
        });
        return text;
    }

    // ---- Kafka's answers, and what uniform promises ----

    private static List<String> kafkaAnswers(List<Pair> pairs) {
        String input = pairs.stream().map(pair -> pair.question().toString()).collect(Collectors.joining("\n")) + "\n";
        ChildProcess.Result result = ChildJvm.run(ChildJvm.apacheKafkaClassPath(), ServerAssignorProbe.class.getName(),
                List.of(), input).assertSucceeded();
        List<String> answers = result.lines();
        assertEquals(pairs.size(), answers.size(), result.describe());
        return answers;
    }

    private static Map<String, Integer> counts(Map<String, Map<String, Set<Integer>>> answer) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        answer.forEach((member, owned) -> counts.put(member, owned.values().stream().mapToInt(Set::size).sum()));
        return counts;
    }

    private static Map<String, Integer> kept(ServerAssignorCases.Case question,
                                             Map<String, Map<String, Set<Integer>>> answer) {
        Map<String, Integer> kept = new LinkedHashMap<>();
        for (ServerAssignorCases.CaseMember member : question.members()) {
            int count = 0;
            for (Map.Entry<String, Set<Integer>> had : member.target().entrySet()) {
                Set<Integer> now = answer.get(member.id()).getOrDefault(had.getKey(), Set.of());
                count += (int) had.getValue().stream().filter(now::contains).count();
            }
            kept.put(member.id(), count);
        }
        return kept;
    }

    private static void assertEveryPartitionOnce(ServerAssignorCases.Case question,
                                                 Map<String, Map<String, Set<Integer>>> answer) {
        Map<String, Integer> owners = new HashMap<>();
        for (ServerAssignorCases.CaseMember member : question.members()) {
            answer.get(member.id()).forEach((topic, partitions) -> {
                assertTrue(member.subscribed().contains(topic), member.id() + " got " + topic + ": " + question);
                partitions.forEach(partition -> assertEquals(null, owners.put(topic + "-" + partition, 0),
                        topic + "-" + partition + " twice: " + question));
            });
        }
        question.partitions().forEach((topic, count) -> {
            for (int partition = 0; partition < count; partition++) {
                assertTrue(owners.containsKey(topic + "-" + partition), topic + "-" + partition + " unowned: "
                        + question + " -> " + answer);
            }
        });
    }
}
