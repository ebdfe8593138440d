package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Partitions.ProduceRecord;
import toykafka.broker.Partitions.RecordAnswer;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.Header;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.TopicPartition;

/**
 * The JSON the produce and read routes handle without trees or maps is the JSON they handled with them: the
 * same records from the same requests, the same bytes in the same replies, and the tree's path for the rest.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PlainJsonTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00.123Z");

    @Test
    void a_plain_list_gives_the_records_the_tree_gives() throws Exception {
        String[] bodies = {
            "[{\"value\":\"abc\"}]",
            "  [ {\"partition_id\":1, \"value\":\"x\\\"y\"} , {\"key\":\"k\",\"value\":null} ]  ",
            "[{\"value\":\"h\u00e9llo \u20ac \ud83d\ude00\"}]",
            "[{\"value\":{\"type\":\"BINARY\",\"data\":\"aGVsbG8=\"},\"key\":{\"data\":\"a2V5\",\"type\":\"BINARY\"}}]",
            "[{\"value\":{\"type\":\"JSON\",\"data\":{\"a\":[1,2.50,\"x\"],\"b\":null}}}]",
            "[{\"value\":{\"type\":\"JSON\",\"data\":\"str\"}}]",
            "[{\"value\":{\"type\":\"STRING\",\"data\":\"s\"},\"timestamp\":1700000000000}]",
            "[{\"value\":{\"type\":\"STRING\"},\"timestamp\":\"2026-11-23T10:15:30Z\"}]",
            "[{\"value\":\"v\",\"headers\":[{\"name\":\"h1\",\"value\":\"aGk=\"},{\"name\":\"h2\",\"value\":null},"
                    + "{\"name\":\"h3\"}]}]",
            "[{\"value\":\"v\",\"headers\":null,\"timestamp\":null,\"partition_id\":null,\"key\":null}]",
            "[{}]",
            "[{\"value\":\"\"}]",
            "[{\"value\":\"tab\\there\\u0041 and a longer text past eight bytes \\/ \u007f\"}]",
        };
        for (String body : bodies) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            Optional<List<ProduceRoutes.Sent>> plain = PlainProduceRequests.list(bytes, bytes.length, NOW);
            assertTrue(plain.isPresent(), body);
            assertSame(viaTree(bytes), plain.get(), body);
        }
    }

    @Test
    void anything_the_tree_might_refuse_or_read_otherwise_is_left_to_the_tree() {
        String[] bodies = {"[]", "[{\"value\":\"a\"}] x", "[{\"value\":\"a\"},1]", "[{\"value\":\"a\",\"value\":\"b\"}]",
            "[{\"value\":\"\\ud800\"}]", "[{\"value\":{\"type\":\"AVRO\",\"data\":\"a\"}}]", "[{\"value\":1}]",
            "[{\"partition_id\":-1}]", "[{\"partition_id\":1.0}]", "[{\"timestamp\":-5}]", "[{\"timestamp\":\"nope\"}]",
            "[{\"value\":{\"type\":\"BINARY\",\"data\":\"!!\"}}]", "[{\"other\":1}]", "[{\"value\":\"a\"}", "{\"value\":\"a\"}",
            "[{\"value\":{\"type\":\"STRING\",\"data\":\"a\",\"schema_id\":1}}]", "[{\"headers\":[{\"value\":\"aGk=\"}]}]",
            "[{\"value\":{\"type\":\"JSON\",\"data\":[\"\\udc00\"]}}]"};
        for (String body : bodies) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            assertTrue(PlainProduceRequests.list(bytes, bytes.length, NOW).isEmpty(), body);
        }
    }

    @Test
    void random_strings_with_escapes_and_non_ascii_read_as_the_tree_reads_them() throws Exception {
        Random random = new Random(7);
        String[] parts = {"a", "xyz", " ", "~", "\\\"", "\\\\", "\\n", "\\u0041", "\u00e9", "\ud83d\ude00", "\u007f",
            "0123456789abcdef", "\\/"};
        for (int round = 0; round < 2000; round++) {
            StringBuilder value = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                value.append(parts[random.nextInt(random.nextInt(3) == 0 ? parts.length : 4)]);
            }
            byte[] bytes = ("[{\"value\":\"" + value + "\",\"key\":\"" + value + value + "\"}]")
                    .getBytes(StandardCharsets.UTF_8);
            assertSame(viaTree(bytes), PlainProduceRequests.list(bytes, bytes.length, NOW).orElseThrow(), value.toString());
        }
    }

    @Test
    void a_plain_v2_body_gives_the_records_the_tree_gives() throws Exception {
        String[] bodies = {
            "{\"records\":[{\"value\":\"aGVsbG8=\"}]}",
            " { \"records\" : [ {\"key\":\"a2V5\", \"value\":null, \"partition\":3}, {\"partition\":null} ] } ",
            "{\"records\":[{\"value\":\"\"},{\"key\":null,\"value\":\"/+8=\",\"partition\":0}]}",
        };
        for (String body : bodies) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            List<PlainV2ProduceRequests.Sent> plain = PlainV2ProduceRequests.records(bytes).orElseThrow(() ->
                    new AssertionError("not plain: " + body));
            assertSameV2(V2ProduceRoutes.treeRecords(bytes, null, MediaTypes.EmbeddedFormat.BINARY, () -> null), plain, body);
        }
    }

    @Test
    void a_v2_value_longer_than_the_tree_reads_is_left_to_the_tree_to_refuse() {
        int longest = Json.MAPPER.getFactory().streamReadConstraints().getMaxStringLength();
        String value = "A".repeat(longest / 4 * 4 + 4);
        byte[] body = ("{\"records\":[{\"value\":\"" + value + "\"}]}").getBytes(StandardCharsets.US_ASCII);
        assertTrue(PlainV2ProduceRequests.records(body).isEmpty());
        assertThrows(Exception.class, () -> V2ProduceRoutes.treeRecords(body, null, MediaTypes.EmbeddedFormat.BINARY,
                () -> null), "the tree's parser refuses a string past its longest");
    }

    @Test
    void any_v2_body_the_tree_might_refuse_or_read_otherwise_is_left_to_the_tree() {
        String[] bodies = {"{\"records\":[]}", "{}", "[]", "{\"records\":[{\"value\":\"aGk=\"}]} x",
            "{\"value_schema_id\":null,\"records\":[{\"value\":\"aGk=\"}]}",
            "{\"records\":[{\"value\":\"aGk=\"}],\"value_schema\":\"s\"}",
            "{\"records\":[{\"value\":\"aGk=\"}],\"records\":[]}", "{\"records\":[{\"value\":\"aGk=\",\"value\":\"aGk=\"}]}",
            "{\"records\":[{\"value\":\"not base64!\"}]}", "{\"records\":[{\"value\":{\"a\":1}}]}",
            "{\"records\":[{\"value\":1}]}", "{\"records\":[{\"partition\":-1}]}", "{\"records\":[{\"partition\":1.0}]}",
            "{\"records\":[{\"partition\":4294967296}]}", "{\"records\":[{\"headers\":[]}]}", "{\"records\":[1]}",
            "{\"records\":[{\"value\":\"\\ud800\"}]}", "{\"records\":[{\"value\":\"aGk=\"}"};
        for (String body : bodies) {
            assertTrue(PlainV2ProduceRequests.records(body.getBytes(StandardCharsets.UTF_8)).isEmpty(), body);
        }
    }

    @Test
    void whatever_v2_body_is_read_plainly_the_tree_reads_alike() throws Exception {
        Random random = new Random(11);
        String[] spaces = {"", "", " ", "\n\t", "\r\n  "};
        String[] fields = {"\"key\"", "\"value\"", "\"partition\""};
        int plain = 0;
        for (int round = 0; round < 3000; round++) {
            StringBuilder body = new StringBuilder("{" + pick(random, spaces) + "\"records\":" + pick(random, spaces) + "[");
            for (int r = random.nextInt(4) + 1; r > 0; r--) {
                body.append("{");
                for (int f = random.nextInt(4); f > 0; f--) {
                    String field = pick(random, fields);
                    body.append(pick(random, spaces)).append(field).append(':').append(pick(random, spaces));
                    if (random.nextInt(5) == 0) {
                        body.append("null");
                    } else if (field.equals("\"partition\"")) {
                        body.append(random.nextInt(3) == 0 ? random.nextInt(Integer.MAX_VALUE) : random.nextInt(10));
                    } else {
                        byte[] bytes = new byte[random.nextInt(40)];
                        random.nextBytes(bytes);
                        body.append('"').append(Base64.getEncoder().encodeToString(bytes)).append('"');
                    }
                    body.append(f > 1 ? "," : "");
                }
                body.append(pick(random, spaces)).append(r > 1 ? "}," : "}");
            }
            body.append("]}").append(pick(random, spaces));
            String text = body.toString();
            if (round % 2 == 1) { // a byte changed, dropped or doubled: mostly not plain, and never read otherwise
                int at = random.nextInt(text.length());
                String[] edits = {"", text.substring(at, at + 1).repeat(2), "-", "0", "e", "\\", "=", "\"", "}", "]", ",", "x"};
                text = text.substring(0, at) + pick(random, edits) + text.substring(at + 1);
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            Optional<List<PlainV2ProduceRequests.Sent>> read = PlainV2ProduceRequests.records(bytes);
            if (read.isEmpty()) {
                continue;
            }
            plain++;
            List<ProduceRecord> tree;
            try {
                tree = V2ProduceRoutes.treeRecords(bytes, null, MediaTypes.EmbeddedFormat.BINARY, () -> null);
            } catch (IOException | ApiException refused) {
                throw new AssertionError("read plainly, refused by the tree (" + refused.getMessage() + "): " + text);
            }
            assertSameV2(tree, read.get(), text);
        }
        assertTrue(plain > 600, "many bodies are plain (a field twice is not), so the comparison ran: " + plain);
    }

    private static void assertSameV2(List<ProduceRecord> tree, List<PlainV2ProduceRequests.Sent> plain, String body) {
        assertEquals(tree.size(), plain.size(), body);
        for (int i = 0; i < tree.size(); i++) {
            assertEquals(tree.get(i).partition(), plain.get(i).partition(), body);
            assertArrayEquals(tree.get(i).record().key(), plain.get(i).key(), body);
            assertArrayEquals(tree.get(i).record().value(), plain.get(i).value(), body);
        }
    }

    private static String pick(Random random, String[] choices) {
        return choices[random.nextInt(choices.length)];
    }

    @Test
    void the_v2_produce_reply_is_the_bytes_jackson_wrote_from_its_maps() {
        List<RecordAnswer> answers = List.of(
                new RecordAnswer(new TopicPartition("orders", 3), 12345678901L, NOW, Errors.NONE, null),
                new RecordAnswer(new TopicPartition("orders", 4), -1, null, Errors.NOT_LEADER_OR_FOLLOWER,
                        "the leader \"moved\" \u2028"),
                new RecordAnswer(new TopicPartition("orders", 9), -1, null, Errors.UNKNOWN_TOPIC_OR_PARTITION, "no such"),
                new RecordAnswer(new TopicPartition("orders", 0), 0, NOW, Errors.NONE, null));
        List<Object> offsets = List.of(
                Json.fields("partition", 3, "offset", 12345678901L, "error_code", null, "error", null),
                Json.fields("partition", null, "offset", null, "error_code", V2ProduceRoutes.RETRIABLE,
                        "error", "the leader \"moved\" \u2028"),
                Json.fields("partition", null, "offset", null, "error_code", V2ProduceRoutes.NON_RETRIABLE, "error", "no such"),
                Json.fields("partition", 0, "offset", 0L, "error_code", null, "error", null));
        assertArrayEquals(Json.write(Json.fields("key_schema_id", null, "value_schema_id", null, "offsets", offsets)),
                V2ProduceRoutes.offsets(answers));
    }

    @Test
    void delivery_reports_are_the_bytes_jackson_wrote_from_their_maps() {
        RecordAnswer answer = new RecordAnswer(new TopicPartition("t\u00f6\"pic", 3), 12345678901L,
                Instant.parse("2026-01-01T00:00:00.120Z"), Errors.NONE, null);
        List<ProduceReport> reports = List.of(ProduceReport.delivered("cluster", answer, null, 0, "STRING", 100),
                ProduceReport.delivered("cluster", answer, "BINARY", 5, "JSON", 0),
                ProduceRoutes.refused(new HttpError(400, "bad \u2028 thing")));
        List<Map<String, Object>> maps = reports.stream().map(ProduceReport::body).toList();
        assertArrayEquals(Json.write(maps), ProduceReport.list(reports));
        assertArrayEquals(Json.write(maps.get(0)), ProduceReport.one(reports.get(0)));
        StringBuilder lines = new StringBuilder();
        maps.forEach(map -> lines.append(new String(Json.write(map), StandardCharsets.UTF_8)).append('\n'));
        assertEquals(lines.toString(), new String(ProduceReport.lines(reports), StandardCharsets.UTF_8));
    }

    @Test
    void records_read_are_the_bytes_jackson_wrote_from_their_maps() {
        TopicPartition partition = new TopicPartition("t\"x", 2);
        List<OffsetRecord> records = List.of(
                new OffsetRecord(5, new Record(null, "plain\n\t\"q\" \u0001 /".getBytes(StandardCharsets.UTF_8),
                        Instant.ofEpochMilli(17), List.of())),
                new OffsetRecord(6, new Record("k".getBytes(StandardCharsets.UTF_8),
                        "h\u00e9llo \ud83d\ude00 \u2028".getBytes(StandardCharsets.UTF_8), Instant.ofEpochMilli(18),
                        List.of(new Header("h", "v".getBytes(StandardCharsets.UTF_8)), new Header("n", null)))),
                new OffsetRecord(7, new Record(new byte[0], null, Instant.ofEpochMilli(19), List.of())),
                new OffsetRecord(8, new Record("ab".getBytes(StandardCharsets.UTF_8), "h\u00e9!x".getBytes(StandardCharsets.UTF_8),
                        Instant.ofEpochMilli(20), List.of()))); // in base64 both padded by one, as "k" is by two
        for (boolean binary : new boolean[] {false, true}) {
            List<Object> maps = new ArrayList<>();
            records.forEach(record -> maps.add(Json.record(partition, record, binary)));
            assertArrayEquals(Json.write(maps), Json.records(partition, records,
                    binary ? RecordRoutes.Embedding.BINARY : RecordRoutes.Embedding.TEXT));
        }
    }

    private static List<ProduceRoutes.Sent> viaTree(byte[] body) throws Exception {
        List<ProduceRoutes.Sent> sent = new ArrayList<>();
        for (JsonNode request : Json.parse(body)) {
            sent.add(ProduceRoutes.sent(request, NOW));
        }
        return sent;
    }

    private static void assertSame(List<ProduceRoutes.Sent> expected, List<ProduceRoutes.Sent> actual, String body) {
        assertEquals(expected.size(), actual.size(), body);
        for (int i = 0; i < expected.size(); i++) {
            ProduceRoutes.Sent want = expected.get(i);
            ProduceRoutes.Sent got = actual.get(i);
            assertEquals(want.keyType(), got.keyType(), body);
            assertEquals(want.valueType(), got.valueType(), body);
            assertEquals(want.record().partition(), got.record().partition(), body);
            Record wanted = want.record().record();
            Record read = got.record().record();
            assertArrayEquals(wanted.key(), read.key(), body);
            assertArrayEquals(wanted.value(), read.value(), body);
            assertEquals(wanted.timestamp(), read.timestamp(), body);
            assertEquals(wanted.headers().size(), read.headers().size(), body);
            for (int h = 0; h < wanted.headers().size(); h++) {
                assertEquals(wanted.headers().get(h).key(), read.headers().get(h).key(), body);
                assertArrayEquals(wanted.headers().get(h).value(), read.headers().get(h).value(), body);
            }
        }
    }
}
