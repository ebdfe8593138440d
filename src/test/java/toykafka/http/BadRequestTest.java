package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static toykafka.http.Refusals.assertRefusedByName;
import static toykafka.testing.RunningBroker.TOPICS;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import toykafka.broker.config.BrokerConfig;
import toykafka.common.Errors;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/**
 * Every class of bad request gets a 4xx whose JSON names the problem and Kafka's error, and changes
 * nothing: the same files in the data directory, the same end offsets, the same configs. A v3 produce is
 * answered 200 as REST Proxy answers it, its record's own report carrying the refusal.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BadRequestTest {

    @StartedBroker(value = FrontEnd.HTTP, settings = {@Setting(name = BrokerConfig.REQUEST_MAX_BYTES, value = "4096"),
            @Setting(name = BrokerConfig.AUTO_CREATE_TOPICS, value = "false")})
    RunningBroker broker;

    @BeforeEach
    void start() {
        assertEquals(201, broker.post(TOPICS, "{\"topic_name\":\"orders\",\"partitions_count\":2}").status());
        assertEquals(200, broker.post(TOPICS + "/orders/records", "{\"partition_id\":0,\"value\":\"cod\"}").status());
    }

    static Stream<Arguments> badRequests() {
        String records = TOPICS + "/orders/records";
        String big = "{\"value\":\"" + "x".repeat(5000) + "\"}";
        return Stream.of(
                // method, path, body, status, Kafka's error name, a word the message must contain
                Arguments.of("malformed JSON", "POST", records, "{\"value\": ", 400, "INVALID_REQUEST", "JSON"),
                Arguments.of("a record that is not an object", "POST", records, "[1, 2]", 400, "INVALID_REQUEST", "object"),
                Arguments.of("a value of the wrong type", "POST", records, "{\"value\": 42}", 400, "INVALID_REQUEST", "value"),
                Arguments.of("a value that is not base64", "POST", records, "{\"value\":{\"type\":\"BINARY\",\"data\":\"%%%\"}}",
                        400, "INVALID_REQUEST", "base64"),
                Arguments.of("a bad timestamp", "POST", records, "{\"value\":\"a\",\"timestamp\":\"yesterday\"}",
                        400, "INVALID_TIMESTAMP", "ISO-8601"),
                // a record's timestamp is Kafka's int64 of milliseconds since 1970: 2^70 is not 0
                Arguments.of("a timestamp beyond a long", "POST", records, "{\"value\":\"a\",\"timestamp\":1180591620717411303424}",
                        400, "INVALID_TIMESTAMP", "0 to 9223372036854775807"),
                Arguments.of("a timestamp that is not whole", "POST", records, "{\"value\":\"a\",\"timestamp\":1700000000000.5}",
                        400, "INVALID_TIMESTAMP", "0 to 9223372036854775807"),
                Arguments.of("a negative timestamp", "POST", records, "{\"value\":\"a\",\"timestamp\":-5}",
                        400, "INVALID_TIMESTAMP", "0 to 9223372036854775807"),
                Arguments.of("an instant beyond a long of milliseconds", "POST", records,
                        "{\"value\":\"a\",\"timestamp\":\"+1000000000-01-01T00:00:00Z\"}", 400, "INVALID_TIMESTAMP",
                        "+292278994-08-17T07:12:55.807Z"),
                Arguments.of("an instant before 1970", "POST", records,
                        "{\"value\":\"a\",\"timestamp\":\"1969-12-31T23:59:59Z\"}", 400, "INVALID_TIMESTAMP",
                        "1970-01-01T00:00:00Z"),
                Arguments.of("a read from an instant beyond a long", "GET",
                        "/topics/orders/partitions/0/records?timestamp=%2B1000000000-01-01T00:00:00Z", null, 400,
                        "INVALID_REQUEST", "+292278994-08-17T07:12:55.807Z"),
                // half a surrogate pair has no UTF-8 form: refused, never stored as '?'
                Arguments.of("a lone surrogate in a value", "POST", records, "{\"value\":\"chips \\ud800\"}", 400,
                        "INVALID_REQUEST", "/value"),
                Arguments.of("a lone surrogate in a STRING key", "POST", records,
                        "{\"key\":{\"type\":\"STRING\",\"data\":\"\\udc00\"},\"value\":\"a\"}", 400, "INVALID_REQUEST",
                        "/key/data"),
                Arguments.of("a lone surrogate in a JSON value", "POST", records,
                        "{\"value\":{\"type\":\"JSON\",\"data\":{\"fish\":\"\\ud83d\"}}}", 400, "INVALID_REQUEST",
                        "/value/data/fish"),
                Arguments.of("a lone surrogate in a JSON field name", "POST", records,
                        "{\"value\":{\"type\":\"JSON\",\"data\":{\"\\ud83d\":1}}}", 400, "INVALID_REQUEST",
                        "field name in /value/data"),
                Arguments.of("a lone surrogate in a header name", "POST", records,
                        "{\"value\":\"a\",\"headers\":[{\"name\":\"till\\ud800\",\"value\":null}]}", 400,
                        "INVALID_REQUEST", "/headers/0/name"),
                Arguments.of("a lone surrogate in a second record", "POST", records,
                        "[{\"value\":\"a\"},{\"value\":\"\\ud800\"}]", 400, "INVALID_REQUEST", "/1/value"),
                Arguments.of("a lone surrogate in a topic name", "POST", TOPICS, "{\"topic_name\":\"menus\\ud800\"}", 400,
                        "INVALID_REQUEST", "/topic_name"),
                Arguments.of("a lone surrogate in a Katar payload", "POST", "/publish",
                        "{\"topic\":\"orders\",\"payload\":[\"\\ud800\"]}", 400, "INVALID_REQUEST", "/payload/0"),
                // REST Proxy's 422 for a produce with nothing in it
                Arguments.of("no records at all", "POST", records, "", 422, "INVALID_REQUEST", "no records"),
                Arguments.of("an empty list of records", "POST", records, "[]", 422, "INVALID_REQUEST", "no records"),
                Arguments.of("an empty records:batch", "POST", records + ":batch", "{\"entries\":[]}", 422, "INVALID_REQUEST",
                        "no records"),
                Arguments.of("a records:batch entry without an id", "POST", records + ":batch",
                        "{\"entries\":[{\"value\":{\"type\":\"STRING\",\"data\":\"a\"}}]}", 400, "INVALID_REQUEST", "\"id\""),
                Arguments.of("a value that needs a Schema Registry", "POST", records,
                        "{\"value\":{\"type\":\"AVRO\",\"data\":\"a\"}}", 400, "INVALID_REQUEST", "Schema Registry"),
                Arguments.of("a body over the size limit", "POST", records, big, 413, "MESSAGE_TOO_LARGE", "socket.request.max.bytes"),
                Arguments.of("an unknown topic", "POST", TOPICS + "/menus/records", "{\"value\":\"a\"}", 404,
                        "UNKNOWN_TOPIC_OR_PARTITION", "menus"),
                Arguments.of("an unknown partition", "POST", records, "{\"partition_id\":2,\"value\":\"a\"}", 404,
                        "UNKNOWN_TOPIC_OR_PARTITION", "0..1"),
                Arguments.of("a negative partition", "POST", records, "{\"partition_id\":-1,\"value\":\"a\"}", 400,
                        "INVALID_REQUEST", "partition_id"),
                Arguments.of("a read of an unknown partition", "GET", "/topics/orders/partitions/7/records", null, 404,
                        "UNKNOWN_TOPIC_OR_PARTITION", "0..1"),
                Arguments.of("a negative offset", "GET", "/topics/orders/partitions/0/records?offset=-3", null, 416,
                        "OFFSET_OUT_OF_RANGE", "-3"),
                Arguments.of("offset -1, naming the end offset too", "GET", "/topics/orders/partitions/0/records?offset=-1",
                        null, 416, "OFFSET_OUT_OF_RANGE", "from 0 (the log start offset) to 1 (the end offset"),
                Arguments.of("an offset past the end", "GET", "/topics/orders/partitions/0/records?offset=99", null, 416,
                        "OFFSET_OUT_OF_RANGE", "99"),
                Arguments.of("an offset that is not a number", "GET", "/topics/orders/partitions/0/records?offset=first",
                        null, 400, "INVALID_REQUEST", "earliest, latest"),
                Arguments.of("too many records asked for", "GET", "/topics/orders/partitions/0/records?max_records=0",
                        null, 400, "INVALID_REQUEST", "1 to 10000"),
                Arguments.of("a wait too long", "GET", "/topics/orders/partitions/0/records?timeout=999999", null, 400,
                        "INVALID_REQUEST", "0 to 60000"),
                Arguments.of("a name with a dot-dot", "POST", TOPICS, "{\"topic_name\":\"..\"}", 400,
                        "INVALID_TOPIC_EXCEPTION", ".."),
                Arguments.of("a name that climbs out of the data directory", "POST", TOPICS,
                        "{\"topic_name\":\"../../etc\"}", 400, "INVALID_TOPIC_EXCEPTION", "/"),
                Arguments.of("an escaping name in the path", "GET", TOPICS + "/..%2F..%2Fetc", null, 400,
                        "INVALID_TOPIC_EXCEPTION", "/"),
                Arguments.of("too many partitions", "POST", TOPICS, "{\"topic_name\":\"menus\",\"partitions_count\":5000}",
                        400, "INVALID_PARTITIONS", "1 to 1000"),
                Arguments.of("a partition count beyond an int", "POST", TOPICS,
                        "{\"topic_name\":\"menus\",\"partitions_count\":2147483648}", 400, "INVALID_PARTITIONS", "1 to 1000"),
                Arguments.of("a partition count beyond a long", "POST", TOPICS,
                        "{\"topic_name\":\"menus\",\"partitions_count\":1180591620717411303424}", 400, "INVALID_PARTITIONS",
                        "1 to 1000"),
                Arguments.of("partitions added beyond an int", "POST", TOPICS + "/orders/partitions",
                        "{\"partitions_count\":2147483648}", 400, "INVALID_PARTITIONS", "1 to 1000"),
                Arguments.of("a subscription to a name no topic can have", "POST",
                        "/consumers/kitchen/instances/ghost/subscription", "{\"topics\":[\"../x\"]}", 400,
                        "INVALID_TOPIC_EXCEPTION", "ASCII letter"),
                // the broker's own topics are there from its start, and Kafka 4.1 refuses __cluster_metadata
                Arguments.of("a topic named as the broker's own", "POST", TOPICS, "{\"topic_name\":\"__consumer_offsets\"}",
                        400, "TOPIC_ALREADY_EXISTS", "broker's own"),
                Arguments.of("a topic named as Kafka's metadata log", "POST", TOPICS,
                        "{\"topic_name\":\"__cluster_metadata\"}", 400, "INVALID_REQUEST", "__cluster_metadata is prohibited"),
                Arguments.of("a Katar topic named as the broker's own", "POST", "/topic", "{\"topic\":\"__consumer_offsets\"}",
                        400, "TOPIC_ALREADY_EXISTS", "broker's own"),
                Arguments.of("an unknown config", "POST", TOPICS, "{\"topic_name\":\"menus\",\"configs\":"
                        + "[{\"name\":\"retention.hours\",\"value\":\"1\"}]}", 400, "INVALID_CONFIG", "retention.hours"),
                Arguments.of("a config value out of range", "PATCH", TOPICS + "/orders/configs",
                        "{\"data\":[{\"name\":\"segment.bytes\",\"value\":\"3\"}]}", 400, "INVALID_CONFIG", "segment.bytes"),
                Arguments.of("a duplicate topic", "POST", TOPICS, "{\"topic_name\":\"orders\"}", 400,
                        "TOPIC_ALREADY_EXISTS", "orders"),
                Arguments.of("a write to the broker's own topic", "POST", TOPICS + "/__consumer_offsets/records",
                        "{\"value\":\"a\"}", 400, "INVALID_TOPIC_EXCEPTION", "broker's own"),
                Arguments.of("deleting the broker's own topic", "DELETE", TOPICS + "/__consumer_offsets", null, 400,
                        "INVALID_TOPIC_EXCEPTION", "broker's own"),
                Arguments.of("a wrong method", "PUT", TOPICS + "/orders", "{}", 405, "INVALID_REQUEST", "GET"),
                Arguments.of("an unknown route", "GET", "/v2/brokers", null, 404, "INVALID_REQUEST", "GET /"),
                Arguments.of("an unknown cluster", "GET", "/v3/clusters/prod/topics", null, 404, "INVALID_REQUEST", "toykafka"),
                Arguments.of("an unknown group member", "GET", "/consumers/kitchen/instances/ghost/records", null, 404,
                        "UNKNOWN_MEMBER_ID", "ghost"),
                Arguments.of("a commit by a member that does not exist", "POST", "/consumers/kitchen/instances/ghost/offsets",
                        "{\"offsets\":[{\"topic\":\"orders\",\"partition\":0,\"offset\":1}]}", 404, "UNKNOWN_MEMBER_ID", "ghost"),
                Arguments.of("a subscription to an unknown topic", "POST", "/consumers/kitchen", "{\"name\":\"cook\","
                        + "\"auto.offset.reset\":\"sometimes\"}", 422, "INVALID_CONFIG", "earliest, latest or none"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void a_bad_request_is_refused_by_name_and_changes_nothing(String what, String method, String path, String body,
                                                             int status, String error, String mentioned) {
        Map<String, Long> filesBefore = files();
        String topicsBefore = broker.get(TOPICS + "/orders").text();

        var reply = broker.send(method, path, body);

        if (reportedInTheStream(method, path, body)) {
            // REST Proxy v3: the produce is answered 200, and the record's own report carries its refusal
            assertEquals(200, reply.status(), what + ": " + reply.text());
            assertEquals(HttpError.errorCodeOf(status, Errors.valueOf(error)), reply.json().get("error_code").asInt(),
                    what + ": " + reply.text());
        } else {
            assertEquals(status, reply.status(), what + ": " + reply.text());
        }
        assertRefusedByName(reply, what, error, mentioned);
        assertFalse(reply.text().contains("\tat "), "no stack trace reaches a client");
        assertEquals(topicsBefore, broker.get(TOPICS + "/orders").text(), what + " changed the topic");
        assertEquals(filesBefore, files(), what + " changed the data directory");
        assertEquals("", broker.faults(), "a client's mistake is not a fault of the broker's");
    }

    /** A v3 produce of records one after another (not this broker's list form) reports each record's refusal. */
    private static boolean reportedInTheStream(String method, String path, String body) {
        return method.equals("POST") && path.startsWith(TOPICS) && path.endsWith("/records") && body != null
                && !body.isBlank() && !body.startsWith("[");
    }

    /** Every file under the data directory and its size. */
    private Map<String, Long> files() {
        try (Stream<Path> paths = Files.walk(broker.dataDir())) {
            Map<String, Long> sizes = new TreeMap<>();
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                sizes.put(broker.dataDir().relativize(path).toString(), Files.size(path));
            }
            return sizes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
