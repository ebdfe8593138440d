package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.KafkaClients.only;
import static toykafka.kafka.RecordTimes.FIRST_TIMESTAMP;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Apache kafka-clients 4.4 and 3.9, unmodified, against our broker's Kafka front end: the producer with its
 * defaults, each codec and each acks; the consumer with {@code assign()}, seeks and offset look-ups; Admin's
 * topic calls. What the consumer reads is compared field by field with what the producer sent, and what the
 * producer's batches became on disk is read back with Kafka's own {@code FileRecords}.
 */
class KafkaClientsTest {

    private static final String TOPIC = "till-receipts";

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @ParameterizedTest
    @MethodSource("toykafka.kafka.KafkaClients#bothVersions")
    void the_producer_with_its_defaults_writes_idempotent_batches_the_consumer_reads_back_field_by_field(KafkaClients clients) {
        List<ProbeLine> sent = producedToOnePartition(clients, 20);
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(i, sent.get(i).getLong("offset"), "acks=all: each record's offset comes back, in order");
        }
        assertReadBackAsSent(clients, sent, true);
        List<StoredBatches.Batch> batches = StoredBatches.of(broker.dataDir(), TOPIC, 0);
        assertFalse(batches.isEmpty());
        for (StoredBatches.Batch batch : batches) {
            assertTrue(batch.producerId() >= 0, "idempotent by default: every batch carries a producer id " + batch);
            assertEquals(batch.baseOffset(), batch.baseSequence(), "one producer, one partition: sequence = offset " + batch);
            assertEquals(0, batch.partitionLeaderEpoch(), "the producer sends -1; the leader stamps its epoch, 0");
        }
    }

    static Stream<Arguments> everyCodecWithBothVersions() {
        return KafkaClients.bothVersions().flatMap(clients -> Stream.of("gzip", "snappy", "lz4", "zstd")
                .map(codec -> Arguments.of(clients, codec)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyCodecWithBothVersions")
    void a_compressed_produce_is_stored_in_the_producers_codec_and_read_back(KafkaClients clients, String codec) {
        List<ProbeLine> sent = producedToOnePartition(clients, 30, "config.compression.type=" + codec);
        assertReadBackAsSent(clients, sent, true);
        for (StoredBatches.Batch batch : StoredBatches.of(broker.dataDir(), TOPIC, 0)) {
            assertEquals(codec, batch.compression(), "stored as the producer compressed it: " + batch);
        }
    }

    @ParameterizedTest
    @MethodSource("toykafka.kafka.KafkaClients#bothVersions")
    void acks_0_gets_no_answer_yet_its_records_are_written(KafkaClients clients) {
        List<ProbeLine> sent = producedToOnePartition(clients, 10, "config.acks=0");
        assertTrue(sent.stream().allMatch(line -> line.getLong("offset") == -1), "acks=0: no offset comes back");
        assertReadBackAsSent(clients, sent, false);
    }

    @ParameterizedTest
    @MethodSource("toykafka.kafka.KafkaClients#bothVersions")
    void acks_1_answers_with_offsets_and_the_records_are_there(KafkaClients clients) {
        List<ProbeLine> sent = producedToOnePartition(clients, 10, "config.acks=1");
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(i, sent.get(i).getLong("offset"));
        }
        assertReadBackAsSent(clients, sent, true);
    }

    @ParameterizedTest
    @MethodSource("toykafka.kafka.KafkaClients#bothVersions")
    void the_consumer_seeks_to_an_offset_a_time_and_the_end_and_looks_up_beginning_and_end(KafkaClients clients) {
        createTopic(TOPIC, 1);
        clients.probe("produce", bootstrap(), "topic=" + TOPIC, "count=10", "timestamp=" + FIRST_TIMESTAMP);
        String topic = "topic=" + TOPIC;

        List<ProbeLine> offsets = clients.probe("offsets", bootstrap(), topic, "partitions=1");
        assertEquals(0, only("beginning", offsets).get(0).getLong("offset"));
        assertEquals(10, only("end", offsets).get(0).getLong("offset"));

        // offset 4 may sit inside a batch: the broker sends the whole batch, the consumer skips what lies before 4
        assertEquals(List.of(4L, 5L, 6L), offsetsRead(clients.probe("consume", bootstrap(), topic, "from=4", "max=3")));
        ProbeLine atEnd = only("consumed", clients.probe("consume", bootstrap(), topic, "from=end", "max=0")).get(0);
        assertEquals(10, atEnd.getLong("position"));

        // the first record at or after the time asked: record i is at FIRST_TIMESTAMP + i seconds
        ProbeLine between = only("for-time", clients.probe("offsets-for-times", bootstrap(), topic,
                "time=" + (FIRST_TIMESTAMP + 5_500))).get(0);
        assertEquals(6, between.getLong("offset"));
        assertEquals(FIRST_TIMESTAMP + 6_000, between.getLong("timestamp"));
        ProbeLine past = only("for-time", clients.probe("offsets-for-times", bootstrap(), topic,
                "time=" + (FIRST_TIMESTAMP + 60_000))).get(0);
        assertNull(past.get("offset"), "no record that late");
        assertEquals(List.of(2L, 3L), offsetsRead(clients.probe("consume", bootstrap(), topic,
                "from=time:" + (FIRST_TIMESTAMP + 2_000), "max=2")));

        // Admin's max timestamp: ListOffsets v9 from 3.9, v11 from 4.4
        ProbeLine newest = only("max-timestamp", clients.probe("max-timestamp", bootstrap(), topic)).get(0);
        assertEquals(9, newest.getLong("offset"));
        assertEquals(FIRST_TIMESTAMP + 9_000, newest.getLong("timestamp"));
    }

    @ParameterizedTest
    @MethodSource("toykafka.kafka.KafkaClients#bothVersions")
    void admin_creates_lists_describes_configures_and_deletes_topics(KafkaClients clients) {
        String topic = "topic=shop-orders";
        assertEquals(List.of(ProbeLine.of("created", "topic", "shop-orders", "partitions", "3")),
                clients.probe("create-topic", bootstrap(), topic, "partitions=3", "topic-config.retention.ms=3600000"));
        assertEquals("TopicExistsException",
                clients.probeFailing("create-topic", bootstrap(), topic, "partitions=1").get("type"));
        assertTrue(topicsListed(clients).contains("shop-orders"));

        List<ProbeLine> described = clients.probe("describe-topic", bootstrap(), topic);
        assertEquals("3", only("described", described).get(0).get("partitions"));
        List<ProbeLine> partitions = only("partition", described);
        assertEquals(List.of("0", "1", "2"), partitions.stream().map(line -> line.get("partition")).toList());
        ProbeLine node = only("node", clients.probe("describe-cluster", bootstrap())).get(0);
        assertEquals("127.0.0.1", node.get("host"));
        assertEquals(broker.port(), node.getLong("port"));
        for (ProbeLine partition : partitions) {
            assertEquals(node.get("id"), partition.get("leader"), "one broker leads every partition: " + partition);
            assertEquals(node.get("id"), partition.get("replicas"));
            assertEquals(node.get("id"), partition.get("isr"));
        }

        Map<String, ProbeLine> configs = configsByName(clients.probe("describe-configs", bootstrap(), topic));
        assertEquals("3600000", configs.get("retention.ms").get("value"));
        assertEquals("DYNAMIC_TOPIC_CONFIG", configs.get("retention.ms").get("source"), "set on the topic");
        assertTrue(configs.containsKey("cleanup.policy"), "the defaults are listed too: " + configs.keySet());

        assertEquals(List.of(ProbeLine.of("deleted", "topic", "shop-orders")), clients.probe("delete-topic", bootstrap(), topic));
        assertFalse(topicsListed(clients).contains("shop-orders"));
        assertEquals("UnknownTopicOrPartitionException",
                clients.probeFailing("describe-topic", bootstrap(), topic).get("type"));
    }

    // ---- helpers ----

    private String bootstrap() {
        return "bootstrap=127.0.0.1:" + broker.port();
    }

    private void createTopic(String name, int partitions) {
        broker.broker().createTopic(name, partitions, Map.of(), OnDuplicate.FAIL);
    }

    /**
     * Creates TOPIC with one partition and produces {@code count} records to it, stamped from FIRST_TIMESTAMP on,
     * with these producer settings: the lines the probe printed for each record sent.
     */
    private List<ProbeLine> producedToOnePartition(KafkaClients clients, int count, String... settings) {
        createTopic(TOPIC, 1);
        List<String> args = new ArrayList<>(List.of("produce", bootstrap(), "topic=" + TOPIC, "count=" + count,
                "timestamp=" + FIRST_TIMESTAMP));
        args.addAll(List.of(settings));
        return only("sent", clients.probe(args.toArray(String[]::new)));
    }

    /** Reads the partition from the beginning and checks every record against what was sent, in order. */
    private void assertReadBackAsSent(KafkaClients clients, List<ProbeLine> sent, boolean offsetsKnown) {
        List<ProbeLine> read = only("record", clients.probe("consume", bootstrap(), "topic=" + TOPIC, "from=beginning",
                "max=" + sent.size()));
        assertEquals(sent.size(), read.size(), "every record sent was read");
        for (int i = 0; i < sent.size(); i++) {
            ProbeLine record = read.get(i);
            assertEquals(i, record.getLong("offset"));
            assertEquals("CreateTime", record.get("timestampType"));
            String[] notCompared = offsetsKnown ? new String[] {"timestampType"} : new String[] {"timestampType", "offset"};
            assertEquals(sent.get(i).without(notCompared).fields(), record.without(notCompared).fields(), "record " + i);
        }
    }

    private static List<Long> offsetsRead(List<ProbeLine> lines) {
        return only("record", lines).stream().map(line -> line.getLong("offset")).toList();
    }

    private List<String> topicsListed(KafkaClients clients) {
        return only("topic", clients.probe("list-topics", bootstrap())).stream().map(line -> line.get("name")).toList();
    }

    private static Map<String, ProbeLine> configsByName(List<ProbeLine> lines) {
        return only("config", lines).stream().collect(Collectors.toMap(line -> line.get("name"), line -> line));
    }
}
