package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.RecordTimes.FIRST_TIMESTAMP;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import toykafka.broker.Partitions;
import toykafka.common.Record;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Kafka's own command-line tools (4.4), unmodified, each in a JVM of its own, against our broker's Kafka
 * front end: kafka-topics creates, lists and describes; the console producer writes what the console consumer
 * (no group: one partition, from the earliest offset) reads; kafka-get-offsets answers earliest, latest,
 * max timestamp and by time; kafka-dump-log reads the segment files a kafka-clients producer's batches became.
 */
class KafkaToolsTest {

    private static final String TOPIC = "till-receipts";

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @Test
    void kafka_topics_creates_lists_and_describes_a_topic() {
        String created = KafkaTool.TOPICS.run(null, "--bootstrap-server", bootstrap(), "--create", "--topic", "shop-orders",
                "--partitions", "3", "--config", "retention.ms=3600000").assertSucceeded().output();
        assertTrue(created.contains("Created topic shop-orders."), created);

        List<String> listed = KafkaTool.TOPICS.run(null, "--bootstrap-server", bootstrap(), "--list").assertSucceeded().lines();
        assertTrue(listed.contains("shop-orders"), listed.toString());

        String described = KafkaTool.TOPICS.run(null, "--bootstrap-server", bootstrap(), "--describe", "--topic", "shop-orders")
                .assertSucceeded().output();
        assertTrue(described.contains("PartitionCount: 3\tReplicationFactor: 1"), described);
        assertTrue(described.contains("Configs: retention.ms=3600000"), "the config set on the topic:\n" + described);
        for (int partition = 0; partition < 3; partition++) {
            Matcher line = Pattern.compile("Partition: " + partition + "\tLeader: (\\d+)\tReplicas: (\\d+)\tIsr: (\\d+)")
                    .matcher(described);
            assertTrue(line.find(), described);
            assertEquals(line.group(1), line.group(2), "one broker: leader and only replica");
            assertEquals(line.group(1), line.group(3));
        }
    }

    @Test
    void kafka_topics_creates_a_name_with_two_underscores_but_not_the_brokers_own_or_kafkas_metadata_log() {
        // Kafka 4.1 creates __menus (and __transaction_state, while absent) and refuses only __cluster_metadata
        String created = KafkaTool.TOPICS.run(null, "--bootstrap-server", bootstrap(), "--create", "--topic", "__menus")
                .assertSucceeded().output();
        assertTrue(created.contains("Created topic __menus."), created);
        ChildProcess.Result own = KafkaTool.TOPICS.run(null, "--bootstrap-server", bootstrap(), "--create", "--topic",
                "__broker_stats");
        assertEquals(1, own.exitCode(), own.describe());
        assertTrue(own.output().contains("topic '__broker_stats' already exists: it is one of the broker's own topics"),
                own.describe());
        ChildProcess.Result metadataLog = KafkaTool.TOPICS.run(null, "--bootstrap-server", bootstrap(), "--create",
                "--topic", "__cluster_metadata");
        assertEquals(1, metadataLog.exitCode(), metadataLog.describe());
        assertTrue(metadataLog.output().contains("Error while executing topic command : Creation of internal topic"
                + " __cluster_metadata is prohibited"), metadataLog.describe());
        assertFalse(broker.broker().listTopics().contains("__cluster_metadata"));
    }

    @Test
    void the_console_producer_writes_keyed_lines_the_console_consumer_reads_back_without_a_group() {
        broker.broker().createTopic(TOPIC, 1, Map.of(), OnDuplicate.FAIL);
        List<String> lines = Stream.of(0, 1, 2, 3, 4, 5).map(i -> "key-" + i + ":receipt " + i).toList();
        KafkaTool.CONSOLE_PRODUCER.run(String.join("\n", lines) + "\n", "--bootstrap-server", bootstrap(), "--topic", TOPIC,
                "--reader-property", "parse.key=true", "--reader-property", "key.separator=:").assertSucceeded();

        ChildProcess.Result consumed = KafkaTool.CONSOLE_CONSUMER.run(null, "--bootstrap-server", bootstrap(), "--topic", TOPIC,
                "--partition", "0", "--offset", "earliest", "--max-messages", String.valueOf(lines.size()),
                "--timeout-ms", "60000", "--formatter-property", "print.key=true", "--formatter-property", "key.separator=:")
                .assertSucceeded();
        assertEquals(lines, consumed.lines(), consumed.describe());
        assertTrue(consumed.errors().contains("Processed a total of 6 messages"), consumed.describe());
    }

    @Test
    void a_blank_line_typed_into_the_console_producer_is_stored_as_a_record_with_an_empty_value() {
        broker.broker().createTopic(TOPIC, 1, Map.of(), OnDuplicate.FAIL);
        KafkaTool.CONSOLE_PRODUCER.run("cod\n\nchips\n", "--bootstrap-server", bootstrap(), "--topic", TOPIC)
                .assertSucceeded();

        ChildProcess.Result consumed = KafkaTool.CONSOLE_CONSUMER.run(null, "--bootstrap-server", bootstrap(), "--topic", TOPIC,
                "--partition", "0", "--offset", "earliest", "--max-messages", "3", "--timeout-ms", "60000").assertSucceeded();
        assertEquals(List.of("cod", "", "chips"), consumed.lines(), consumed.describe());
    }

    @Test
    void kafka_get_offsets_answers_earliest_latest_max_timestamp_and_the_first_offset_at_a_time() {
        broker.broker().createTopic(TOPIC, 1, Map.of(), OnDuplicate.FAIL);
        List<Partitions.ProduceRecord> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(new Partitions.ProduceRecord(0, Record.of("key-" + i, "value-" + i,
                    Instant.ofEpochMilli(FIRST_TIMESTAMP + i * 1000L))));
        }
        records.add(new Partitions.ProduceRecord(0, Record.of("key-late", "stamped before the rest",
                Instant.ofEpochMilli(FIRST_TIMESTAMP - 1000))));
        broker.broker().partitions().appendRecords(TOPIC, records);

        assertEquals(List.of(TOPIC + ":0:11"), getOffsets("-1"), "latest: the end offset");
        assertEquals(List.of(TOPIC + ":0:0"), getOffsets("-2"), "earliest");
        assertEquals(List.of(TOPIC + ":0:5"), getOffsets(String.valueOf(FIRST_TIMESTAMP + 4_500)),
                "the first record at or after the time");
        assertEquals(List.of(TOPIC + ":0:9"), getOffsets("-3"), "max timestamp: not the last record, stamped earlier");
    }

    @Test
    void kafka_cluster_names_the_brokers_cluster_id() {
        String said = KafkaTool.CLUSTER.run(null, "cluster-id", "--bootstrap-server", bootstrap()).assertSucceeded().output();
        assertEquals("Cluster ID: " + broker.broker().clusterId(), said.strip(), "DescribeCluster's answer, as the tool prints it");
    }

    @Test
    void kafka_acls_is_told_no_authorizer_is_configured_as_kafka_tells_it() {
        // Kafka without authorizer.class.name: each action ends in SecurityDisabledException with these words; 4.4's
        // tool lists the ACLs before it adds one, so --add hears what --list does
        String listed = "No Authorizer is configured on the broker";
        String changed = "No Authorizer is configured.";
        for (List<String> action : List.of(List.of(listed, "--list"),
                List.of(listed, "--add", "--allow-principal", "User:alice", "--operation", "Read", "--topic", TOPIC),
                List.of(changed, "--remove", "--force", "--allow-principal", "User:alice", "--operation", "Read",
                        "--topic", TOPIC))) {
            List<String> args = new ArrayList<>(List.of("--bootstrap-server", bootstrap()));
            args.addAll(action.subList(1, action.size()));
            ChildProcess.Result acls = KafkaTool.ACLS.run(null, args.toArray(String[]::new));
            assertEquals(1, acls.exitCode(), acls.describe());
            String cause = "Caused by: org.apache.kafka.common.errors.SecurityDisabledException: " + action.get(0);
            assertTrue((acls.output() + acls.errors()).lines().anyMatch(cause::equals), action + ": " + acls.describe());
        }
    }

    @Test
    void kafka_features_describes_the_features_this_broker_implements() {
        // Kafka 4.4 prints a line for each of its features, in columns, metadata.version named by release
        ChildProcess.Result features = KafkaTool.FEATURES.run(null, "--bootstrap-server", bootstrap(), "describe")
                .assertSucceeded();
        List<String> printed = features.lines().stream().filter(line -> !line.isBlank())
                .map(line -> line.strip().replaceAll("\\s{2,}", "\t")).toList();
        assertEquals(List.of(
                "Feature: group.version\tSupportedMinVersion: 0\tSupportedMaxVersion: 1\tFinalizedVersionLevel: 1\tEpoch: 0",
                "Feature: metadata.version\tSupportedMinVersion: 3.3-IV3\tSupportedMaxVersion: 3.3-IV3"
                        + "\tFinalizedVersionLevel: 3.3-IV3\tEpoch: 0",
                "Feature: share.version\tSupportedMinVersion: 0\tSupportedMaxVersion: 2\tFinalizedVersionLevel: 2"
                        + "\tEpoch: 0",
                "Feature: streams.version\tSupportedMinVersion: 0\tSupportedMaxVersion: 1\tFinalizedVersionLevel: 1"
                        + "\tEpoch: 0",
                "Feature: transaction.version\tSupportedMinVersion: 0\tSupportedMaxVersion: 2\tFinalizedVersionLevel: 2"
                        + "\tEpoch: 0"), printed, features.describe());
    }

    @Test
    void kafka_log_dirs_describes_the_data_directory_with_each_partitions_size() {
        broker.broker().createTopic(TOPIC, 1, Map.of(), OnDuplicate.FAIL);
        broker.broker().partitions().appendRecords(TOPIC, List.of(new Partitions.ProduceRecord(0,
                Record.of("key", "value", Instant.ofEpochMilli(FIRST_TIMESTAMP)))));

        ChildProcess.Result described = KafkaTool.LOG_DIRS.run(null, "--bootstrap-server", bootstrap(), "--describe",
                "--topic-list", TOPIC).assertSucceeded();
        String json = described.lines().stream().filter(line -> line.startsWith("{")).findFirst().orElseThrow();
        long size = StoredBatches.segmentFiles(broker.dataDir(), TOPIC, 0, ".log").stream().mapToLong(f -> f.toFile().length()).sum();
        assertTrue(json.contains("\"logDir\":\"" + broker.broker().dataDir() + "\""), json);
        assertTrue(json.contains("{\"partition\":\"" + TOPIC + "-0\",\"size\":" + size + ",\"offsetLag\":0,\"isFuture\":false}"),
                json);
    }

    @Test
    void kafka_dump_log_reads_the_batches_a_kafka_clients_producer_wrote() {
        broker.broker().createTopic(TOPIC, 1, Map.of(), OnDuplicate.FAIL);
        KafkaClients.V4_4_IN_PROCESS.probe("produce", "bootstrap=127.0.0.1:" + broker.port(), "topic=" + TOPIC, "count=20",
                "timestamp=" + FIRST_TIMESTAMP, "config.compression.type=lz4");
        broker.close(); // as a learner would, on a stopped broker's files

        List<String> files = Stream.of(".log", ".index", ".timeindex")
                .flatMap(suffix -> StoredBatches.segmentFiles(broker.dataDir(), TOPIC, 0, suffix).stream()).map(Path::toString).toList();
        ChildProcess.Result dump = KafkaTool.DUMP_LOG.run(null, "--files", String.join(",", files), "--print-data-log")
                .assertSucceeded();
        List<String> batches = dump.lines().stream().filter(line -> line.startsWith("baseOffset:")).toList();
        assertFalse(batches.isEmpty(), dump.describe());
        int counted = 0;
        for (String batch : batches) {
            assertTrue(batch.contains("compresscodec: lz4") && batch.contains("isvalid: true"), batch);
            assertFalse(batch.contains("producerId: -1"), "the producer was idempotent: " + batch);
            Matcher count = Pattern.compile(" count: (\\d+) ").matcher(batch);
            assertTrue(count.find(), batch);
            counted += Integer.parseInt(count.group(1));
        }
        assertEquals(20, counted, dump.describe());
        List<String> records = dump.lines().stream().filter(line -> line.startsWith("| offset: ")).toList();
        assertEquals(20, records.size(), dump.describe());
        assertTrue(records.get(0).contains("sequence: 0 headerKeys: [index,nothing] key: key-0 payload: value 0 "),
                records.get(0));
        assertFalse(dump.output().contains("Mismatch") || dump.errors().contains("Mismatch"), dump.describe());
    }

    // ---- helpers ----

    private String bootstrap() {
        return "127.0.0.1:" + broker.port();
    }

    private List<String> getOffsets(String time) {
        return KafkaTool.GET_OFFSETS.run(null, "--bootstrap-server", bootstrap(), "--topic", TOPIC, "--time", time)
                .assertSucceeded().lines();
    }
}
