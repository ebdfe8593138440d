package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.testing.RunningBroker.TOPICS;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import toykafka.broker.FetchParams;
import toykafka.broker.Partitions;
import toykafka.common.Compression;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * The topic config {@code compression.type} in REST Proxy v3's documented examples: a topic created with
 * {@code {"name": "compression.type", "value": "gzip"}} among its configs, and the config list that shows it
 * set ({@code ListTopicConfigsResponse}: value gzip, {@code is_default} false). Records produced over HTTP to
 * such a topic are stored in its codec, the value Kafka gives it.
 */
class RestProxyV3CompressionTypeConformanceTest {

    @StartedBroker(FrontEnd.HTTP)
    RunningBroker broker;

    @Test
    void create_topic_example_with_compression_type_gzip_among_its_configs_is_accepted() {
        var created = broker.post(TOPICS, "{\"topic_name\":\"topic-X\",\"partitions_count\":1,\"configs\":["
                + "{\"name\":\"cleanup.policy\",\"value\":\"compact\"},{\"name\":\"compression.type\",\"value\":\"gzip\"}]}");
        assertEquals(201, created.status(), created.text());
        assertEquals("topic-X", created.json().get("topic_name").asText());
    }

    @Test
    void list_topic_configs_example_shows_compression_type_gzip_set_on_the_topic() {
        broker.post(TOPICS, "{\"topic_name\":\"topic-1\",\"configs\":[{\"name\":\"compression.type\",\"value\":\"gzip\"}]}");
        var listed = broker.get(TOPICS + "/topic-1/configs");
        assertEquals(200, listed.status(), listed.text());
        assertTrue(listed.header("Content-Type").startsWith("application/json"), listed.header("Content-Type"));
        JsonNode entry = config(listed.json(), "compression.type");
        assertEquals("gzip", entry.get("value").asText());
        assertEquals(false, entry.get("is_default").asBoolean());

        broker.post(TOPICS, "{\"topic_name\":\"topic-2\"}");
        JsonNode byDefault = config(broker.get(TOPICS + "/topic-2/configs").json(), "compression.type");
        assertEquals("producer", byDefault.get("value").asText(), "Kafka's default");
        assertEquals(true, byDefault.get("is_default").asBoolean());
    }

    @Test
    void alter_configs_sets_compression_type_and_the_next_records_are_stored_in_that_codec() {
        broker.post(TOPICS, "{\"topic_name\":\"topic-1\"}");
        var altered = broker.post(TOPICS + "/topic-1/configs:alter",
                "{\"data\":[{\"name\":\"compression.type\",\"value\":\"gzip\"}]}");
        assertEquals(204, altered.status(), altered.text());

        var produced = broker.post(TOPICS + "/topic-1/records", "{\"key\":\"till-1\",\"value\":\"{\\\"total\\\":100}\"}");
        assertEquals(200, produced.status(), produced.text());
        List<RecordBatch> stored = broker.broker().partitions().readAndWait(FetchParams.of(
                new TopicPartition("topic-1", 0), 0, 1 << 20, Duration.ZERO)).get(new TopicPartition("topic-1", 0))
                .batches().batches();
        assertEquals(1, stored.size());
        assertEquals(Compression.GZIP, stored.get(0).compression(), "HTTP's records, encoded as one batch, stored in gzip");
        assertEquals("till-1", new String(stored.get(0).records().get(0).key()));
    }

    @Test
    void a_compression_type_kafka_does_not_know_is_a_400_naming_the_valid_values() {
        var refused = broker.post(TOPICS, "{\"topic_name\":\"topic-1\",\"configs\":[{\"name\":\"compression.type\","
                + "\"value\":\"brotli\"}]}");
        assertEquals(400, refused.status(), refused.text());
        assertTrue(refused.json().get("message").asText().contains(
                "compression.type: it must be one of uncompressed, zstd, lz4, snappy, gzip, producer"), refused.text());
        assertEquals(404, broker.get(TOPICS + "/topic-1").status(), "nothing was created");
    }

    private static JsonNode config(JsonNode list, String name) {
        for (JsonNode entry : list.get("data")) {
            if (entry.get("name").asText().equals(name)) {
                return entry;
            }
        }
        throw new AssertionError(name + " is not in " + list);
    }
}
