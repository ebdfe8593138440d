package toykafka.kafka;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What may differ between our one broker and a three-node Apache Kafka cluster running the same differential
 * scenario, each with why, and the one normalisation that removes it. The comparison applies these, and only
 * these, to both sides' lines and then demands them equal line for line: a difference no entry describes fails
 * the test, and no line is ever dropped. What differs by nature but is never written (ports, the cluster id,
 * record timestamps, which the probes use only as input to a lookup) needs no entry.
 */
final class AllowedDifferences {

    /**
     * One difference allowed: what it is, why Kafka's promises leave it open, and how it is normalised: every
     * match of {@code pattern} in a line, on both sides, is replaced with {@code replacement}.
     */
    record Allowed(String what, String why, Pattern pattern, String replacement) {

        Allowed(String what, String why, String regex, String replacement) {
            this(what, why, Pattern.compile(regex), replacement);
        }

        String normalise(String line) {
            return pattern.matcher(line).replaceAll(replacement);
        }
    }

    // tag::allowed-differences[]
    static final List<Allowed> ALLOWED = List.of(
            new Allowed("the replication factor, each partition's replicas and its in-sync replicas",
                    "our broker is one node and keeps one copy; the cluster keeps three, all in sync",
                    "(ReplicationFactor|Replicas|Isr): [0-9,]+", "$1: <copies>"),
            new Allowed("which node leads each partition",
                    "the cluster spreads leaders over nodes 1 to 3; our one broker leads them all",
                    "Leader: \\d+", "Leader: <node>"),
            new Allowed("the node id of a group's coordinator",
                    "on Kafka it is whichever node leads the group's __consumer_offsets partition; ours is its one broker",
                    "coordinator: node \\d+", "coordinator: node <node>"),
            new Allowed("min.insync.replicas=2 among a topic's configs",
                    "the cluster sets it for every topic in its nodes' settings, and kafka-topics shows a broker's"
                            + " own settings with a topic's; our broker, one node, has no such setting and shows nothing",
                    "(Configs: [^\\t]*?)min\\.insync\\.replicas=2,?", "$1"),
            new Allowed("a topic's id in kafka-topics --describe",
                    "each broker gives a topic 128 random bits as its id when it makes it (KIP-516), so the two"
                            + " never agree",
                    "TopicId: [A-Za-z0-9_-]+\\t", ""),
            new Allowed("eligible leader replicas (Elr, LastKnownElr)",
                    "the cluster lists a partition's replicas that left its in-sync replicas below"
                            + " min.insync.replicas (KIP-966); our broker's one replica never leaves them, so its lists"
                            + " are always empty",
                    "(Elr|LastKnownElr): [0-9,]*", "$1: <elr>"),
            new Allowed("the UUID in a group member's id",
                    "a member id is the client id, a dash and a random UUID, new on every join; the client ids alone"
                            + " fix the members' order, and so what each is assigned",
                    "(member-[a-z]+)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "$1-<uuid>"),
            new Allowed("how long the cleaner took to compact a topic",
                    "each broker's cleaner runs on its own schedule (log.cleaner.backoff.ms, after the segment rolls);"
                            + " Kafka promises only what is left once it has run",
                    "(each key once from earliest), after \\d+ ms", "$1, after <time>"));
    // end::allowed-differences[]

    private AllowedDifferences() {
    }

    /** The line with every allowed difference normalised. */
    static String normalise(String line) {
        String normalised = line;
        for (Allowed allowed : ALLOWED) {
            normalised = allowed.normalise(normalised);
        }
        return normalised;
    }

    static List<String> normalise(List<String> lines) {
        return lines.stream().map(AllowedDifferences::normalise).toList();
    }

    /**
     * Nothing if the two sides agree once normalised; otherwise a report: the first differing line of each side,
     * the entries that applied, and both sides in full, side by side.
     */
    static String compare(String leftName, List<String> left, String rightName, List<String> right) {
        List<String> normalisedLeft = normalise(left);
        List<String> normalisedRight = normalise(right);
        if (normalisedLeft.equals(normalisedRight)) {
            return "";
        }
        int first = 0;
        while (first < normalisedLeft.size() && first < normalisedRight.size()
                && normalisedLeft.get(first).equals(normalisedRight.get(first))) {
            first++;
        }
        StringBuilder report = new StringBuilder();
        report.append(leftName).append(" and ").append(rightName).append(" differ at line ").append(first + 1)
                .append(" (after normalising only what AllowedDifferences allows):\n");
        report.append("  ").append(leftName).append(": ").append(lineOrEnd(normalisedLeft, first)).append('\n');
        report.append("  ").append(rightName).append(": ").append(lineOrEnd(normalisedRight, first)).append('\n');
        report.append("normalised by: ").append(applied(left, right)).append('\n');
        report.append(sideBySide(leftName, normalisedLeft, rightName, normalisedRight));
        return report.toString();
    }

    private static String lineOrEnd(List<String> lines, int index) {
        return index < lines.size() ? lines.get(index) : "(no line: its output ends here)";
    }

    private static Set<String> applied(List<String> left, List<String> right) {
        Set<String> applied = new LinkedHashSet<>();
        List<String> all = new ArrayList<>(left);
        all.addAll(right);
        for (Allowed allowed : ALLOWED) {
            for (String line : all) {
                Matcher matcher = allowed.pattern().matcher(line);
                if (matcher.find()) {
                    applied.add(allowed.what());
                    break;
                }
            }
        }
        return applied;
    }

    private static String sideBySide(String leftName, List<String> left, String rightName, List<String> right) {
        int width = Math.max(leftName.length(), left.stream().mapToInt(String::length).max().orElse(0));
        width = Math.min(width, 90);
        StringBuilder table = new StringBuilder();
        table.append(String.format("     %-" + width + "s | %s%n", leftName, rightName));
        for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
            String l = i < left.size() ? left.get(i) : "";
            String r = i < right.size() ? right.get(i) : "";
            table.append(String.format("%3d %s %-" + width + "s | %s%n", i + 1, l.equals(r) ? " " : "≠", l, r));
        }
        return table.toString();
    }
}
