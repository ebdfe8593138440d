package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.testing.RunningBroker.TOPICS;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * REST Proxy v3 produce, example by example from its OpenAPI reference (the ProduceRequest examples, the
 * ProduceResponse example, the error examples) and its description of the records and records:batch paths:
 * status, content type and fields. The examples that need a Schema Registry are refused by name, inside the
 * 200 as REST Proxy reports a record it cannot produce.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RestProxyV3ProduceConformanceTest {

    @StartedBroker(FrontEnd.HTTP)
    RunningBroker broker;

    String records;

    @BeforeEach
    void start() {
        assertEquals(201, broker.post(TOPICS, "{\"topic_name\":\"topic-1\",\"partitions_count\":2}").status());
        records = "/v3/clusters/" + broker.broker().clusterId() + "/topics/topic-1/records";
    }

    /** The produce was answered 200, its report an error with this code and a message that says {@code said}. */
    private static void assertErrorReport(RunningBroker.Response reply, int errorCode, String said) {
        assertEquals(200, reply.status());
        assertEquals(errorCode, reply.json().get("error_code").asInt(), reply.text());
        assertTrue(reply.json().get("message").asText().contains(said), reply.text());
    }

    private static void assertJson(RunningBroker.Response reply) {
        assertTrue(reply.header("Content-Type").startsWith("application/json"), reply.header("Content-Type"));
    }

    private void assertRefusedForSchemaRegistry(String body) {
        var reply = broker.post(records, body);
        assertEquals(200, reply.status(), "the stream was established: " + reply.text());
        assertJson(reply);
        assertEquals(400, reply.json().get("error_code").asInt(), reply.text());
        assertTrue(reply.json().get("message").asText().contains("Schema Registry"), reply.text());
    }

    @Test
    void the_ProduceResponse_example_reports_partition_offset_timestamp_and_the_type_and_size_of_key_and_value() {
        var reply = broker.post(records, "{\"partition_id\":1,\"headers\":[{\"name\":\"Header-1\",\"value\":\"SGVhZGVyLTE=\"},"
                + "{\"name\":\"Header-2\",\"value\":\"SGVhZGVyLTI=\"}],\"key\":{\"type\":\"BINARY\",\"data\":\"Zm9vYmFy\"},"
                + "\"value\":{\"type\":\"JSON\",\"data\":{\"foo\":\"bar\"}},\"timestamp\":\"2021-02-05T19:14:42Z\"}");
        assertEquals(200, reply.status(), reply.text());
        assertJson(reply);
        assertTrue(reply.header("Content-Length") != null, "one record with a length known is one JSON object");
        JsonNode report = reply.json();
        assertEquals(200, report.get("error_code").asInt());
        assertEquals(broker.broker().clusterId(), report.get("cluster_id").asText());
        assertEquals("topic-1", report.get("topic_name").asText());
        assertEquals(1, report.get("partition_id").asInt());
        assertEquals(0, report.get("offset").asLong());
        assertEquals("2021-02-05T19:14:42Z", report.get("timestamp").asText());
        assertEquals("BINARY", report.get("key").get("type").asText());
        assertEquals(6, report.get("key").get("size").asInt(), "foobar, decoded");
        assertEquals("JSON", report.get("value").get("type").asText());
        assertEquals("{\"foo\":\"bar\"}".length(), report.get("value").get("size").asInt());
        JsonNode stored = broker.get("/topics/topic-1/partitions/1/records?offset=0").json().get(0);
        assertEquals("Header-1", stored.get("headers").get(0).get("name").asText());
        assertEquals("SGVhZGVyLTE=", stored.get("headers").get(0).get("value").asText());
    }

    @Test
    void the_binary_and_avro_with_subject_and_raw_schema_example_is_refused_naming_the_missing_schema_registry() {
        assertRefusedForSchemaRegistry("{\"partition_id\":1,\"key\":{\"type\":\"BINARY\",\"data\":\"Zm9vYmFy\"},"
                + "\"value\":{\"type\":\"AVRO\",\"subject\":\"topic-1-key\",\"schema\":\"{\\\"type\\\":\\\"string\\\"}\","
                + "\"data\":\"foobar\"},\"timestamp\":\"2021-02-05T19:14:42Z\"}");
    }

    @Test
    void the_schema_id_and_schema_version_example_is_refused_naming_the_missing_schema_registry() {
        assertRefusedForSchemaRegistry("{\"key\":{\"subject_name_strategy\":\"TOPIC_NAME\",\"schema_id\":1,\"data\":1000},"
                + "\"value\":{\"schema_version\":1,\"data\":{\"foo\":\"bar\"}}}");
    }

    @Test
    void the_latest_schema_example_is_refused_naming_the_missing_schema_registry() {
        assertRefusedForSchemaRegistry("{\"key\":{\"data\":1000},\"value\":{\"data\":\"foobar\"}}");
    }

    @Test
    void the_null_and_empty_data_example_is_refused_naming_the_missing_schema_registry() {
        assertRefusedForSchemaRegistry("{\"key\":{\"schema_id\":1},\"value\":{\"schema_version\":1,\"data\":null}}");
    }

    @Test
    void the_empty_value_example_is_refused_naming_the_missing_schema_registry() {
        assertRefusedForSchemaRegistry("{\"key\":{\"data\":1000}}");
    }

    @Test
    void concatenated_records_get_concatenated_delivery_reports_in_the_same_order() {
        var reply = broker.post(records, "{\"partition_id\":0,\"value\":{\"type\":\"STRING\",\"data\":\"a\"}}"
                + "{\"partition_id\":0,\"value\":{\"type\":\"STRING\",\"data\":\"bb\"}}");
        assertEquals(200, reply.status());
        assertJson(reply);
        String[] reports = reply.text().strip().split("\n");
        assertEquals(2, reports.length, reply.text());
        assertEquals(1, read(reports[0]).get("value").get("size").asInt());
        assertEquals(1, read(reports[1]).get("offset").asLong());
        assertEquals(2, read(reports[1]).get("value").get("size").asInt());
    }

    @Test
    void the_unknown_topic_or_partition_error_example_is_the_records_report_with_40403() {
        var reply = broker.post(records, "{\"partition_id\":7,\"value\":{\"type\":\"STRING\",\"data\":\"a\"}}");
        assertErrorReport(reply, 40403, "7");
    }

    @Test
    void a_timestamp_ten_years_ahead_gets_its_own_400_report_naming_the_topic_config_and_nothing_is_written() {
        var reply = broker.post(records, "{\"partition_id\":0,\"value\":{\"type\":\"STRING\",\"data\":\"a\"},"
                + "\"timestamp\":\"" + java.time.Instant.now().plus(java.time.Duration.ofDays(3650)) + "\"}");
        assertErrorReport(reply, 400, "message.timestamp.after.max.ms");
        assertEquals(0, broker.broker().describeTopic("topic-1").partitions().get(0).endOffset());
    }

    @Test
    void the_produce_message_badly_escaped_error_example_is_a_400_report_naming_the_unexpected_character() {
        var reply = broker.post(records, "{'key': {'type': 'STRING', 'data': 'a'}}");
        assertErrorReport(reply, 400, "Unexpected character");
    }

    @Test
    void a_produce_with_no_record_is_a_422() {
        var reply = broker.post(records, "");
        assertEquals(422, reply.status(), reply.text());
        assertJson(reply);
        assertEquals(42206, reply.json().get("error_code").asInt());
    }

    @Test
    void records_batch_answers_207_with_each_entry_by_id_among_successes_and_failures() {
        var reply = broker.post(records + ":batch", "{\"entries\":[{\"id\":\"1\",\"partition_id\":0,\"value\":"
                + "{\"type\":\"STRING\",\"data\":\"cod\"}},{\"id\":\"2\",\"partition_id\":9,\"value\":{\"type\":\"STRING\","
                + "\"data\":\"lost\"}}]}");
        assertEquals(207, reply.status(), reply.text());
        assertJson(reply);
        JsonNode success = reply.json().get("successes").get(0);
        assertEquals("1", success.get("id").asText());
        assertEquals("topic-1", success.get("topic_name").asText());
        assertEquals(0, success.get("offset").asLong());
        assertEquals("STRING", success.get("value").get("type").asText());
        JsonNode failure = reply.json().get("failures").get(0);
        assertEquals("2", failure.get("id").asText());
        assertEquals(40403, failure.get("error_code").asInt());
        assertTrue(failure.get("message").asText().contains("9"), failure.toString());
    }

    private static JsonNode read(String json) {
        try {
            return RunningBroker.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
