package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.testing.RunningBroker.TOPICS;
import static toykafka.http.V2Requests.AVRO;
import static toykafka.http.V2Requests.BINARY;
import static toykafka.http.V2Requests.DOCS_ACCEPT;
import static toykafka.http.V2Requests.JSON;
import static toykafka.http.V2Requests.V2;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.config.BrokerConfig;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * REST Proxy v2's produce, {@code POST /topics/(topic_name)} and {@code POST /topics/(topic_name)/partitions/
 * (partition_id)}, one test per example of its API reference (request as documented; the reply's status, content
 * type and fields as documented), and the refusals the reference names for these routes (404 with 40401 and
 * 40402, 422 with 42201 and 42202, 422 for no records). What each record stored is read back through the broker's
 * own partition read, so a base64 key is seen to arrive as its bytes and a JSON value as its JSON text. Avro,
 * Protobuf and JSON Schema are left out on purpose: their examples are answered with a refusal naming the missing
 * Schema Registry, and nothing is written.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RestProxyV2ProduceConformanceTest {

    @StartedBroker(FrontEnd.HTTP)
    RunningBroker broker;

    @BeforeEach
    void start() {
        assertEquals(201, broker.post(TOPICS, "{\"topic_name\":\"test\",\"partitions_count\":3}").status());
    }

    // ---- the reference's examples ----

    @Test
    void binary_example_to_a_topic_stores_the_base64_keys_and_values_as_their_bytes() {
        var reply = V2Requests.post(broker, "/topics/test", BINARY, DOCS_ACCEPT, """
                {"records": [
                  {"key": "a2V5", "value": "Y29uZmx1ZW50"},
                  {"value": "a2Fma2E=", "partition": 1},
                  {"value": "bG9ncw=="}
                ]}""");

        assertProduced(reply, 3);
        JsonNode offsets = reply.json().get("offsets");
        assertEquals(1, offsets.get(1).get("partition").asInt(), "the record that names partition 1 goes there");
        assertStored(offsets.get(0), "key", "confluent");
        assertStored(offsets.get(1), null, "kafka");
        assertStored(offsets.get(2), null, "logs");
    }

    @Test
    void json_example_to_a_topic_stores_each_embedded_value_as_its_json_text() {
        var reply = V2Requests.post(broker, "/topics/test", JSON, DOCS_ACCEPT, """
                {"records": [
                  {"key": "somekey", "value": {"foo": "bar"}},
                  {"value": [ "foo", "bar" ], "partition": 1},
                  {"value": 53.5}
                ]}""");

        assertProduced(reply, 3);
        JsonNode offsets = reply.json().get("offsets");
        assertEquals(1, offsets.get(1).get("partition").asInt());
        assertStored(offsets.get(0), "\"somekey\"", "{\"foo\":\"bar\"}"); // a JSON string is stored as JSON, quoted
        assertStored(offsets.get(1), null, "[\"foo\",\"bar\"]");
        assertStored(offsets.get(2), null, "53.5");
    }

    @Test
    void avro_example_to_a_topic_is_refused_naming_the_missing_schema_registry() {
        assertSchemaFormatRefused(V2Requests.post(broker, "/topics/test", AVRO, DOCS_ACCEPT, """
                {"value_schema": "{\\"name\\":\\"int\\",\\"type\\": \\"int\\"}",
                 "records": [{"value": 12}, {"value": 24, "partition": 1}]}"""));
    }

    @Test
    void binary_example_to_a_partition_puts_every_record_in_that_partition() {
        var reply = V2Requests.post(broker, "/topics/test/partitions/1", BINARY, DOCS_ACCEPT, """
                {"records": [
                  {"key": "a2V5", "value": "Y29uZmx1ZW50"},
                  {"value": "a2Fma2E="}
                ]}""");

        assertProduced(reply, 2);
        JsonNode offsets = reply.json().get("offsets");
        for (JsonNode offset : offsets) {
            assertEquals(1, offset.get("partition").asInt(), reply.text());
        }
        assertEquals(offsets.get(0).get("offset").asLong() + 1, offsets.get(1).get("offset").asLong(),
                "one after another in the partition");
        assertStored(offsets.get(0), "key", "confluent");
        assertStored(offsets.get(1), null, "kafka");
    }

    @Test
    void json_example_to_a_partition_puts_every_record_in_that_partition() {
        var reply = V2Requests.post(broker, "/topics/test/partitions/1", JSON, DOCS_ACCEPT, """
                {"records": [
                  {"key": "somekey", "value": {"foo": "bar"}},
                  {"value": 53.5}
                ]}""");

        assertProduced(reply, 2);
        JsonNode offsets = reply.json().get("offsets");
        assertEquals(1, offsets.get(0).get("partition").asInt());
        assertEquals(1, offsets.get(1).get("partition").asInt());
        assertStored(offsets.get(0), "\"somekey\"", "{\"foo\":\"bar\"}");
        assertStored(offsets.get(1), null, "53.5");
    }

    @Test
    void avro_example_to_a_partition_is_refused_naming_the_missing_schema_registry() {
        assertSchemaFormatRefused(V2Requests.post(broker, "/topics/test/partitions/1", AVRO, DOCS_ACCEPT, """
                {"value_schema": "{\\"name\\":\\"int\\",\\"type\\": \\"int\\"}",
                 "records": [{"value": 25}, {"value": 26}]}"""));
    }

    // ---- the refusals the reference names for these routes ----

    @Test
    void a_request_without_records_is_422() {
        for (String body : new String[] {"{\"records\": []}", "{}"}) {
            var reply = V2Requests.post(broker, "/topics/test", BINARY, DOCS_ACCEPT, body);
            assertRefused(reply, 422, 422, "records may not be empty");
        }
    }

    @Test
    void an_unknown_topic_is_404_with_40401_when_topics_are_not_created_on_first_write() {
        broker.restartWith(Map.of(BrokerConfig.AUTO_CREATE_TOPICS, "false"));

        var reply = V2Requests.post(broker, "/topics/nowhere", BINARY, DOCS_ACCEPT, "{\"records\":[{\"value\":\"eA==\"}]}");

        assertRefused(reply, 404, 40401, "nowhere");
        assertFalse(broker.broker().listTopics().contains("nowhere"));
    }

    @Test
    void an_unknown_topic_is_created_on_first_write_as_the_v3_produce_creates_it() {
        var reply = V2Requests.post(broker, "/topics/fresh", BINARY, DOCS_ACCEPT, "{\"records\":[{\"value\":\"eA==\"}]}");

        assertProduced(reply, 1);
        assertTrue(broker.broker().listTopics().contains("fresh"), "auto.create.topics.enable is true by default");
    }

    @Test
    void a_partition_the_topic_lacks_is_404_with_40402() {
        for (String partition : new String[] {"3", "-1", "one"}) {
            var reply = V2Requests.post(broker, "/topics/test/partitions/" + partition, BINARY, DOCS_ACCEPT,
                    "{\"records\":[{\"value\":\"eA==\"}]}");
            assertRefused(reply, 404, 40402, partition);
        }
        assertEndOffsets(0, 0, 0);
    }

    @Test
    void a_record_naming_a_partition_the_topic_lacks_gets_its_own_error_and_the_others_are_written() {
        var reply = V2Requests.post(broker, "/topics/test", BINARY, DOCS_ACCEPT,
                "{\"records\":[{\"value\":\"eA==\",\"partition\":0},{\"value\":\"eQ==\",\"partition\":7}]}");

        assertEquals(200, reply.status(), reply.text());
        JsonNode refused = reply.json().get("offsets").get(1);
        assertTrue(refused.get("partition").isNull() && refused.get("offset").isNull(), reply.text());
        assertEquals(1, refused.get("error_code").asInt(), "1: a non-retriable Kafka error, as the reference numbers it");
        assertTrue(refused.get("error").asText().contains("7"), refused.toString());
        assertStored(reply.json().get("offsets").get(0), null, "x");
    }

    @Test
    void invalid_base64_is_422_naming_the_record() {
        var reply = V2Requests.post(broker, "/topics/test", BINARY, DOCS_ACCEPT,
                "{\"records\":[{\"value\":\"eA==\"},{\"key\":\"not base64!\",\"value\":\"eA==\"}]}");

        assertRefused(reply, 422, 422, "record 1", "key", "base64");
        assertEndOffsets(0, 0, 0); // the good record before it is not written either: the request is refused whole
    }

    @Test
    void a_schema_format_with_keys_but_no_key_schema_is_422_with_42201() {
        var reply = V2Requests.post(broker, "/topics/test", AVRO, DOCS_ACCEPT,
                "{\"value_schema_id\": 32, \"records\":[{\"key\": 1, \"value\": 12}]}");
        assertRefused(reply, 422, 42201, "key_schema", "Schema Registry");
    }

    @Test
    void a_schema_format_with_values_but_no_value_schema_is_422_with_42202() {
        var reply = V2Requests.post(broker, "/topics/test/partitions/1", AVRO, DOCS_ACCEPT, "{\"records\":[{\"value\": 12}]}");
        assertRefused(reply, 422, 42202, "value_schema", "Schema Registry");
    }

    @Test
    void protobuf_and_jsonschema_are_refused_naming_the_missing_schema_registry() {
        for (String format : new String[] {"protobuf", "jsonschema"}) {
            var reply = V2Requests.post(broker, "/topics/test", "application/vnd.kafka." + format + ".v2+json", DOCS_ACCEPT,
                    "{\"value_schema_id\": 1, \"records\":[{\"value\": 12}]}");
            assertRefused(reply, 415, 415, format, "Schema Registry");
        }
        assertEndOffsets(0, 0, 0);
    }

    @Test
    void a_schema_in_a_binary_request_is_refused_naming_the_missing_schema_registry() {
        var reply = V2Requests.post(broker, "/topics/test", BINARY, DOCS_ACCEPT,
                "{\"value_schema_id\": 32, \"records\":[{\"value\":\"eA==\"}]}");
        assertRefused(reply, 422, 422, "value_schema_id", "Schema Registry");
    }

    @Test
    void a_record_naming_another_partition_than_the_path_is_422() {
        var reply = V2Requests.post(broker, "/topics/test/partitions/1", BINARY, DOCS_ACCEPT,
                "{\"records\":[{\"value\":\"eA==\",\"partition\":2}]}");
        assertRefused(reply, 422, 422, "partition 2", "partition 1");
    }

    @Test
    void a_json_content_type_without_an_embedded_format_is_taken_as_binary() {
        var reply = V2Requests.post(broker, "/topics/test/partitions/0", "application/json", null,
                "{\"records\":[{\"value\":\"Y29uZmx1ZW50\"}]}");

        assertProduced(reply, 1);
        assertStored(reply.json().get("offsets").get(0), null, "confluent");
    }

    @Test
    void an_accept_header_that_takes_no_v2_type_is_406_and_writes_nothing() {
        var reply = V2Requests.post(broker, "/topics/test", BINARY, "text/html", "{\"records\":[{\"value\":\"eA==\"}]}");

        assertEquals(406, reply.status(), reply.text());
        assertEquals(406, reply.json().get("error_code").asInt());
        assertEndOffsets(0, 0, 0);
    }

    @Test
    void the_reply_is_plain_json_when_the_client_accepts_only_that() {
        var reply = V2Requests.post(broker, "/topics/test", BINARY, "application/json", "{\"records\":[{\"value\":\"eA==\"}]}");

        assertEquals(200, reply.status(), reply.text());
        assertEquals("application/json", reply.header("Content-Type"));
    }

    // ---- helpers ----

    /** 200, REST Proxy v2's type, no schema ids, and an offset for each record with no error. */
    private static void assertProduced(RunningBroker.Response reply, int records) {
        assertEquals(200, reply.status(), reply.text());
        assertEquals(V2, reply.header("Content-Type"));
        assertTrue(reply.json().has("key_schema_id") && reply.json().get("key_schema_id").isNull(), reply.text());
        assertTrue(reply.json().has("value_schema_id") && reply.json().get("value_schema_id").isNull(), reply.text());
        JsonNode offsets = reply.json().get("offsets");
        assertEquals(records, offsets.size(), reply.text());
        for (JsonNode offset : offsets) {
            assertTrue(offset.get("partition").isInt() && offset.get("offset").canConvertToLong(), reply.text());
            assertTrue(offset.get("error_code").isNull() && offset.get("error").isNull(), reply.text());
        }
    }

    /** The record at the reply's partition and offset holds exactly these bytes (UTF-8 of the text; null for none). */
    private void assertStored(JsonNode offset, String key, String value) {
        String topic = "/topics/" + (offset.has("topic") ? offset.get("topic").asText() : "test");
        var read = broker.get(topic + "/partitions/" + offset.get("partition").asInt() + "/records?offset="
                + offset.get("offset").asLong() + "&max_records=1&timeout=0&format=binary");
        assertEquals(200, read.status(), read.text());
        JsonNode record = read.json().get(0);
        assertBytes(key, record.get("key"));
        assertBytes(value, record.get("value"));
    }

    private static void assertBytes(String expected, JsonNode base64) {
        if (expected == null) {
            assertTrue(base64.isNull(), "stored no bytes, was " + base64);
        } else {
            assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), Base64.getDecoder().decode(base64.asText()),
                    "stored " + expected);
        }
    }

    private void assertSchemaFormatRefused(RunningBroker.Response reply) {
        assertRefused(reply, 415, 415, "avro", "Schema Registry");
        assertEndOffsets(0, 0, 0);
    }

    private void assertRefused(RunningBroker.Response reply, int status, int errorCode, String... mentioned) {
        assertEquals(status, reply.status(), reply.text());
        assertEquals(V2, reply.header("Content-Type"), "a refusal is in the type the client accepts too");
        assertEquals(errorCode, reply.json().get("error_code").asInt(), reply.text());
        String message = reply.json().get("message").asText();
        for (String word : mentioned) {
            assertTrue(message.contains(word), "the message names '" + word + "': " + message);
        }
    }

    private void assertEndOffsets(long... ends) {
        var topic = broker.broker().describeTopic("test");
        for (int p = 0; p < ends.length; p++) {
            assertEquals(ends[p], topic.partitions().get(p).endOffset(), "partition " + p + " holds what it held");
        }
    }
}
