package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import toykafka.broker.Partitions;
import toykafka.common.Record;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * The partition read as Redpanda's HTTP proxy serves it ({@code GET /topics/<t>/partitions/<p>/records}): its
 * handler reads the Accept header, binary v2 for keys and values in base64 and json v2 for the JSON they hold,
 * and answers in that type. Without such a header this broker takes {@code format} instead, text by default.
 */
class RedpandaRecordsReadTest {

    private static final String BINARY = "application/vnd.kafka.binary.v2+json";
    private static final String JSON = "application/vnd.kafka.json.v2+json";
    private static final String READ = "/topics/menus/partitions/0/records?offset=0&timeout=0";

    @StartedBroker(FrontEnd.HTTP)
    RunningBroker broker;

    @BeforeEach
    void menu() {
        broker.broker().createTopic("menus", 1, Map.of(), OnDuplicate.FAIL);
        broker.broker().partitions().appendRecords("menus", List.of(new Partitions.ProduceRecord(0,
                Record.of("\"soup\"", "{\"price\":3.5}", Instant.ofEpochMilli(1_000)))));
    }

    @Test
    void accept_binary_v2_answers_base64_keys_and_values_in_that_type() {
        var read = broker.send("GET", READ, null, "Accept", BINARY);
        assertEquals(200, read.status(), read.text());
        assertEquals(BINARY, read.header("Content-Type"));
        assertEquals(base64("\"soup\""), read.json().get(0).get("key").asText());
        assertEquals(base64("{\"price\":3.5}"), read.json().get(0).get("value").asText());
    }

    @Test
    void accept_json_v2_answers_the_json_keys_and_values_hold_in_that_type() {
        var read = broker.send("GET", READ, null, "Accept", JSON);
        assertEquals(200, read.status(), read.text());
        assertEquals(JSON, read.header("Content-Type"));
        assertEquals("soup", read.json().get(0).get("key").asText());
        assertEquals(3.5, read.json().get(0).get("value").get("price").asDouble());
    }

    @Test
    void without_such_an_accept_the_format_parameter_decides_text_by_default() {
        assertEquals("{\"price\":3.5}", broker.get(READ).json().get(0).get("value").asText());
        assertEquals(base64("{\"price\":3.5}"), broker.get(READ + "&format=binary").json().get(0).get("value").asText());
    }

    @Test
    void an_accept_and_a_format_that_disagree_or_a_value_that_is_no_json_are_refused_naming_why() {
        var both = broker.send("GET", READ + "&format=text", null, "Accept", BINARY);
        assertEquals(400, both.status(), both.text());
        assertTrue(both.text().contains("format=text") && both.text().contains(BINARY), both.text());
        broker.broker().partitions().appendRecords("menus", List.of(new Partitions.ProduceRecord(0,
                Record.of("bread", "2.00 a loaf", Instant.ofEpochMilli(2_000)))));
        var notJson = broker.send("GET", READ, null, "Accept", JSON);
        assertEquals(406, notJson.status(), notJson.text());
        assertTrue(notJson.text().contains("offset 1") && notJson.text().contains(BINARY), notJson.text());
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
