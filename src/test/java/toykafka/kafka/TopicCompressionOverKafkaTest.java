package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.KafkaClients.only;
import static toykafka.kafka.RecordTimes.FIRST_TIMESTAMP;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * The topic config {@code compression.type} through the Kafka front end, with Apache kafka-clients 4.4 and
 * 3.9 as the oracle: Admin creates a gzip topic (CreateTopics) and sees the config set on it
 * (DescribeConfigs), a producer that does not compress writes to it, a consumer reads every record back as
 * sent, and Kafka's own {@code FileRecords} finds the batches on disk in gzip.
 */
class TopicCompressionOverKafkaTest {

    private static final String TOPIC = "till-receipts";

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @ParameterizedTest
    @MethodSource("toykafka.kafka.KafkaClients#bothVersions")
    void a_topic_created_with_compression_type_gzip_stores_an_uncompressed_produce_as_gzip_and_reads_it_back(
            KafkaClients clients) {
        assertEquals(List.of(ProbeLine.of("created", "topic", TOPIC, "partitions", "1")), clients.probe("create-topic",
                bootstrap(), "topic=" + TOPIC, "partitions=1", "topic-config.compression.type=gzip"));
        ProbeLine described = configsByName(clients.probe("describe-configs", bootstrap(), "topic=" + TOPIC))
                .get("compression.type");
        assertEquals("gzip", described.get("value"));
        assertEquals("DYNAMIC_TOPIC_CONFIG", described.get("source"), "set on the topic, not the default");

        List<ProbeLine> sent = only("sent", clients.probe("produce", bootstrap(), "topic=" + TOPIC, "count=20",
                "timestamp=" + FIRST_TIMESTAMP, "config.compression.type=none"));
        List<ProbeLine> read = only("record", clients.probe("consume", bootstrap(), "topic=" + TOPIC,
                "from=beginning", "max=" + sent.size()));
        assertEquals(sent.size(), read.size(), "every record sent was read");
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(i, read.get(i).getLong("offset"));
            assertEquals(sent.get(i).without("timestampType").fields(), read.get(i).without("timestampType").fields(),
                    "record " + i);
        }
        List<StoredBatches.Batch> stored = StoredBatches.of(broker.dataDir(), TOPIC, 0);
        assertFalse(stored.isEmpty());
        for (StoredBatches.Batch batch : stored) {
            assertEquals("gzip", batch.compression(), "recompressed on append: " + batch);
            assertTrue(batch.producerId() >= 0, "the idempotent producer's id is kept: " + batch);
            assertEquals(batch.baseOffset(), batch.baseSequence(), "and its sequence: " + batch);
        }
    }

    @ParameterizedTest
    @MethodSource("toykafka.kafka.KafkaClients#bothVersions")
    void a_compression_type_kafka_does_not_know_is_refused_naming_the_ones_it_does(KafkaClients clients) {
        ProbeLine refused = clients.probeFailing("create-topic", bootstrap(), "topic=" + TOPIC, "partitions=1",
                "topic-config.compression.type=brotli");
        assertEquals("InvalidConfigurationException", refused.get("type"));
        assertTrue(refused.get("message").contains("uncompressed, zstd, lz4, snappy, gzip, producer"), refused.get("message"));
    }

    private String bootstrap() {
        return "bootstrap=127.0.0.1:" + broker.port();
    }

    private static Map<String, ProbeLine> configsByName(List<ProbeLine> lines) {
        return only("config", lines).stream().collect(Collectors.toMap(line -> line.get("name"), line -> line));
    }
}
