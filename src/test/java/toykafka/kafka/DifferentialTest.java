package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import toykafka.apachekafka.FreePorts;
import toykafka.apachekafka.KafkaCluster;
import toykafka.apachekafka.KafkaJars;
import toykafka.broker.config.BrokerConfig;
import toykafka.testing.RunningBroker;

/**
 * The same scenarios against our broker and against a three-node Apache Kafka 4.4 cluster from Maven's jars:
 * kafka-clients ({@link DifferentialProbe}), then kcat and Kafka's command-line tools ({@link ToolsProbe}).
 * The two must agree line for line once {@link AllowedDifferences} has normalised what may differ, and nothing
 * else. One broker and one cluster serve the whole class, started once: a cluster takes a good part of a minute
 * to start on two cores.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DifferentialTest {

    /** Both cleaners rest briefly between passes, so a compacted topic is cleaned within seconds. */
    private static final String CLEANER_BACKOFF_MS = "300";
    /** Consumer groups and share groups heartbeat this often on both (Kafka's default is 5 s, and its least too). */
    private static final String HEARTBEAT_MS = "500";
    /** Both coordinators look for transactions past their timeout this often (Kafka's default is 10 s). */
    private static final String TRANSACTION_ABORT_INTERVAL_MS = "500";
    /** A record as ToolsProbe writes what kcat read: partition, offset, key=value. */
    private static final Pattern KCAT_READ = Pattern.compile("kcat read (\\d+) \\d+ ([^=]+)=.*");

    private final KafkaJars jars = KafkaJars.inProject();
    private RunningBroker ours;
    private KafkaCluster.Layout kafka;

    @BeforeAll
    void startOurBrokerAndAThreeNodeCluster(@TempDir Path folder) {
        ours = RunningBroker.overKafka(folder.resolve("ours"), Map.of(BrokerConfig.CLEANER_BACKOFF_MS,
                CLEANER_BACKOFF_MS, BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, HEARTBEAT_MS,
                BrokerConfig.GROUP_SHARE_HEARTBEAT_INTERVAL_MS, HEARTBEAT_MS,
                BrokerConfig.TRANSACTION_ABORT_INTERVAL_MS, TRANSACTION_ABORT_INTERVAL_MS), false);
        int port = FreePorts.run(6);
        kafka = new KafkaCluster.Layout(folder.resolve("kafka"), 3, port, port + 1, 384,
                Map.of("log.cleaner.backoff.ms", CLEANER_BACKOFF_MS, "group.consumer.heartbeat.interval.ms",
                        HEARTBEAT_MS, "group.consumer.min.heartbeat.interval.ms", HEARTBEAT_MS,
                        "group.share.heartbeat.interval.ms", HEARTBEAT_MS, "group.share.min.heartbeat.interval.ms",
                        HEARTBEAT_MS, BrokerConfig.TRANSACTION_ABORT_INTERVAL_MS, TRANSACTION_ABORT_INTERVAL_MS));
        KafkaCluster.start(kafka, jars);
    }

    @AfterAll
    void noBrokerOrNodeLeftBehind() {
        if (ours != null) {
            ours.close();
        }
        if (kafka != null) {
            for (int id = 1; id <= kafka.nodes(); id++) {
                KafkaCluster.kill(kafka, id);
            }
        }
    }

    @Test
    void kafka_clients_see_our_broker_and_a_kafka_cluster_alike() throws Exception {
        List<String> fromOurs = DifferentialProbe.run(ours.bootstrapServers(), coordinator -> {
            ours.restart(); // one broker coordinates every group
            return ours.bootstrapServers();
        });
        List<String> fromKafka = DifferentialProbe.run(kafka.bootstrapServers(), coordinator -> {
            KafkaCluster.kill(kafka, coordinator);
            KafkaCluster.restart(kafka, coordinator, jars);
            return kafka.bootstrapServers();
        });

        // + 3: what a caller may do with a classic, a streams and a share group, as the describe answers say;
        // + 4: a share member's heartbeats before and after its partitions' state is initialized
        assertEquals(78 + 10 + 11 + 23 + 3 + 3 + 4, fromKafka.size(), "every step wrote its lines: "
                + String.join("\n", fromKafka));
        assertEquals(List.of("create fish: ok", "create it again: TopicExistsException"), fromKafka.subList(0, 2));
        assertTrue(fromKafka.contains("restart the group's coordinator: ok"), String.join("\n", fromKafka));
        assertTrue(fromKafka.contains("kip848: anna commits at her epoch before ben's for a partition she kept: ok"),
                "Kafka takes a commit at an older epoch for a partition held since: " + String.join("\n", fromKafka));
        assertSame(fromKafka, fromOurs);
    }

    /**
     * Kafka 4's clients, which speak transaction version 2 wherever it is finalized: each step's epoch, state and
     * error alike on both, from the first commit to a transaction the coordinator aborts at its timeout.
     */
    @Test
    void a_transactional_ids_epochs_go_alike_step_for_step() {
        List<String> fromOurs = epochs(ours.bootstrapServers());
        List<String> fromKafka = epochs(kafka.bootstrapServers());

        assertEquals(18, fromKafka.size(), "every step wrote its line: " + String.join("\n", fromKafka));
        assertTrue(fromKafka.contains("commit: CompleteCommit epoch 1 partitions []"),
                "Kafka itself moved the epoch at the commit: " + String.join("\n", fromKafka));
        assertSame(fromKafka, fromOurs);
    }

    private static List<String> epochs(String bootstrap) {
        ChildProcess.Result run = ChildJvm.run(ChildJvm.testClassPath(),
                TransactionEpochsProbe.class.getName(), List.of(bootstrap, "epochs"), null);
        assertEquals(0, run.exitCode(), run.describe());
        return run.lines();
    }

    @Test
    void kcat_and_kafkas_tools_see_our_broker_and_a_kafka_cluster_alike() throws Exception {
        Kcat kcat = Kcat.require();
        List<String> fromOurs = ToolsProbe.run(ours.bootstrapServers(), kcat);
        List<String> fromKafka = ToolsProbe.run(kafka.bootstrapServers(), kcat);

        assertEquals(53 + 8, fromKafka.size(), "every tool wrote its lines: " + String.join("\n", fromKafka));
        assertTrue(fromKafka.contains("kcat -P: exit 0"), String.join("\n", fromKafka));
        for (String line : fromKafka) { // murmur2_random is what makes kcat's partitions Java's
            Matcher read = KCAT_READ.matcher(line);
            if (read.matches()) {
                int javas = Utils.toPositive(Utils.murmur2(read.group(2).getBytes(StandardCharsets.UTF_8))) % 3;
                assertEquals(javas, Integer.parseInt(read.group(1)), "the partition Java's producer picks for " + line);
            }
        }
        assertSame(fromKafka, fromOurs);
    }

    /**
     * Share groups with a dead-letter topic (share.version 2): what is rejected, or released at the delivery count
     * limit, lands in each group's topic with the same headers, copied or not; a topic not enabled gets nothing.
     */
    @Test
    void a_share_groups_dead_letters_go_alike() throws Exception {
        List<String> fromOurs = DeadLetterProbe.run(ours.bootstrapServers());
        List<String> fromKafka = DeadLetterProbe.run(kafka.bootstrapServers());

        assertEquals(18, fromKafka.size(), "every step wrote its lines: " + String.join("\n", fromKafka));
        assertTrue(fromKafka.contains("scullery letter dlq.kitchen end offset 2"), String.join("\n", fromKafka));
        assertSame(fromKafka, fromOurs);
    }

    /** Each topic config our broker describes has the type Kafka's own describe gives it (Admin's ConfigEntry.type). */
    @Test
    void each_topic_config_has_the_type_kafka_gives_it() throws Exception {
        Map<String, String> fromKafka = configTypes(kafka.bootstrapServers());
        Map<String, String> fromOurs = configTypes(ours.bootstrapServers());

        assertTrue(fromOurs.size() >= 15, "our broker describes its topic configs: " + fromOurs);
        for (Map.Entry<String, String> ourConfig : fromOurs.entrySet()) {
            assertEquals(fromKafka.get(ourConfig.getKey()), ourConfig.getValue(), ourConfig.getKey());
        }
    }

    private static Map<String, String> configTypes(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("typed-configs", Optional.of(1), Optional.empty()))).all().get();
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "typed-configs");
            Config config = null;
            for (long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos(); config == null; ) {
                try {
                    config = admin.describeConfigs(List.of(topic), new DescribeConfigsOptions()
                            .includeDocumentation(true)).all().get().get(topic);
                } catch (ExecutionException e) {
                    // a cluster's other nodes learn of a new topic a moment after the controller makes it
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
            Map<String, String> types = new TreeMap<>();
            config.entries().forEach(entry -> types.put(entry.name(), String.valueOf(entry.type())));
            return types;
        }
    }

    @Test
    void a_difference_no_entry_allows_fails_the_comparison_and_an_allowed_one_does_not() {
        assertEquals("", AllowedDifferences.compare("kafka", List.of("the group's coordinator: node 2"),
                "ours", List.of("the group's coordinator: node 1")));
        String report = AllowedDifferences.compare("kafka", List.of("a", "send till-1 order-1: partition 0 offset 0"),
                "ours", List.of("a", "send till-1 order-1: partition 0 offset 1"));
        assertTrue(report.contains("differ at line 2"), report);
        assertTrue(report.contains("ours: send till-1 order-1: partition 0 offset 1"), report);
        String shorter = AllowedDifferences.compare("kafka", List.of("a", "b"), "ours", List.of("a"));
        assertTrue(shorter.contains("ours: (no line: its output ends here)"), shorter);
    }

    private static void assertSame(List<String> fromKafka, List<String> fromOurs) {
        String report = AllowedDifferences.compare("Apache Kafka", fromKafka, "our broker", fromOurs);
        if (!report.isEmpty()) {
            fail(report);
        }
    }
}
