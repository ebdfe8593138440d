package toykafka.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The differential run through clients nobody here wrote: Kafka's kafka-topics creates a topic, kcat writes
 * keyed lines with librdkafka's murmur2_random partitioner (Java's choice of partition for a key) and reads
 * them back, kafka-consumer-groups describes a group's committed offsets and lag, kafka-topics describes
 * the topic, kafka-configs sets a config of the group's own and describes its configs, and kafka-share-groups lists
 * share groups and describes one's offsets. Each tool's output is written as it printed it, a line a line, for
 * {@link AllowedDifferences} to normalise what may differ.
 */
final class ToolsProbe {

    private static final String TOPIC = "menu";
    private static final int PARTITIONS = 3;
    private static final String GROUP = "waiters";
    private static final String SHARE_GROUP = "share-waiters";
    /** kafka-share-groups.sh's main class. */
    private static final String SHARE_GROUP_COMMAND = "org.apache.kafka.tools.consumer.group.ShareGroupCommand";
    private static final String DISHES = String.join("\n", "soup:tomato", "main:risotto", "dessert:tart", "soup:leek",
            "bread:rye", "main:gnocchi", "wine:red", "soup:onion", "cheese:comte", "dessert:sorbet") + "\n";

    private ToolsProbe() {
    }

    static List<String> run(String bootstrap, Kcat kcat) throws Exception {
        ProbeSession session = new ProbeSession(bootstrap);
        tool(session, "kafka-topics --create", KafkaTool.TOPICS.run(null, "--bootstrap-server", bootstrap, "--create",
                "--topic", TOPIC, "--partitions", String.valueOf(PARTITIONS)));

        ChildProcess.Result produced = kcat.run(DISHES, "-P", "-b", bootstrap, "-t", TOPIC, "-K", ":",
                "-X", "partitioner=murmur2_random");
        session.write("kcat -P: " + (produced.timedOut() ? "timed out" : "exit " + produced.exitCode()));
        ChildProcess.Result consumed = kcat.run(null, "-C", "-b", bootstrap, "-t", TOPIC, "-e", "-o", "beginning",
                "-f", "%p %o %k=%s\\n");
        session.write("kcat -C: " + (consumed.timedOut() ? "timed out" : "exit " + consumed.exitCode()));
        consumed.lines().stream().filter(line -> !line.isBlank()).sorted().forEach(line -> session.write("kcat read " + line));

        commitOneBehindTheEnd(session);
        // its own --timeout is 5 s, short for a busy machine; the tool ends as soon as it has its answer
        tool(session, "kafka-consumer-groups --describe", KafkaTool.CONSUMER_GROUPS.run(null, "--bootstrap-server",
                bootstrap, "--timeout", String.valueOf(ProbeSession.WAIT.toMillis()), "--describe", "--group", GROUP));
        tool(session, "kafka-topics --describe", KafkaTool.TOPICS.run(null, "--bootstrap-server", bootstrap,
                "--describe", "--topic", TOPIC));
        groupConfigs(session, bootstrap);
        shareGroups(session, bootstrap);
        return session.lines();
    }

    /**
     * kafka-share-groups lists the share groups and describes one's start offsets and lag: a group with no members,
     * whose start offsets Admin set to each partition's first record, so that each row's lag is the partition's size.
     */
    static void shareGroups(ProbeSession session, String bootstrap) throws Exception {
        Map<TopicPartition, Long> starts = new HashMap<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            starts.put(new TopicPartition(TOPIC, partition), 0L);
        }
        try (Admin admin = session.admin()) {
            session.step("alter the share group's start offsets", () -> admin.alterShareGroupOffsets(SHARE_GROUP,
                    starts).all().get(ProbeSession.WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }
        ChildProcess.Result listed = shareGroupsTool("--bootstrap-server", bootstrap, "--list");
        session.write("kafka-share-groups --list: " + (listed.timedOut() ? "timed out" : "exit " + listed.exitCode()));
        listed.lines().stream().filter(line -> line.startsWith(SHARE_GROUP))
                .forEach(line -> session.write("kafka-share-groups --list | " + line)); // other probes' groups vary
        tool(session, "kafka-share-groups --describe --offsets", shareGroupsTool("--bootstrap-server", bootstrap,
                "--timeout", String.valueOf(ProbeSession.WAIT.toMillis()), "--describe", "--offsets", "--group",
                SHARE_GROUP));
    }

    /** kafka-share-groups.sh: Kafka's ShareGroupCommand in a JVM of its own, with the course's Kafka's jars. */
    private static ChildProcess.Result shareGroupsTool(String... args) {
        return ChildJvm.run(ChildJvm.apacheKafkaClassPath(), SHARE_GROUP_COMMAND, List.of(args), null);
    }

    /**
     * kafka-configs gives the group a session timeout of its own (Kafka 4's per-group configs), then describes the
     * group's own configs, and all of them. A cluster's other nodes learn of a change a moment after its controller
     * makes it, so each describe is asked again until it shows the change, as a client of a cluster must.
     */
    private static void groupConfigs(ProbeSession session, String bootstrap) {
        List<String> group = List.of("--bootstrap-server", bootstrap, "--entity-type", "groups", "--entity-name", GROUP);
        tool(session, "kafka-configs --alter", configs(group, "--alter", "--add-config",
                "consumer.session.timeout.ms=50000"));
        tool(session, "kafka-configs --describe", describedWithTheChange(group, "--describe"));
        tool(session, "kafka-configs --describe --all", describedWithTheChange(group, "--describe", "--all"));
    }

    private static ChildProcess.Result describedWithTheChange(List<String> group, String... describe) {
        ChildProcess.Result described = configs(group, describe);
        for (int tries = 1; tries < 10 && !described.output().contains("consumer.session.timeout.ms=50000 "); tries++) {
            described = configs(group, describe);
        }
        return described;
    }

    private static ChildProcess.Result configs(List<String> group, String... args) {
        List<String> all = new java.util.ArrayList<>(group);
        all.addAll(List.of(args));
        return KafkaTool.CONFIGS.run(null, all.toArray(String[]::new));
    }

    /** The group commits each partition's end offset less one, so that every row of the describe has a lag of one. */
    private static void commitOneBehindTheEnd(ProbeSession session) throws Exception {
        try (KafkaConsumer<String, String> waiter = new KafkaConsumer<>(session.consumerSettings(GROUP, "earliest"))) {
            List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1),
                    new TopicPartition(TOPIC, 2));
            Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
            waiter.endOffsets(partitions, ProbeSession.WAIT).forEach((partition, end) ->
                    commits.put(partition, new OffsetAndMetadata(Math.max(0, end - 1))));
            session.step("commit each partition's end less one", () -> {
                waiter.commitSync(commits, ProbeSession.WAIT);
                return null;
            });
        }
    }

    /** The tool's exit, then every line it printed to its output, blank lines left out, in its order. */
    private static void tool(ProbeSession session, String name, ChildProcess.Result result) {
        session.write(name + ": " + (result.timedOut() ? "timed out" : "exit " + result.exitCode()));
        result.lines().stream().filter(line -> !line.isBlank()).forEach(line -> session.write(name + " | " + line));
    }
}
