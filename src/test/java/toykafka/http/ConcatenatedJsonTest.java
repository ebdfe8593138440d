package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.http.ConcatenatedJson.Value;

/** Whole values found in JSON that arrives in pieces, wherever the pieces are cut. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConcatenatedJsonTest {

    private static final String BODY = " {\"value\":\"cod\"}{\"value\":{\"type\":\"JSON\",\"data\":[1,{\"a\":\"}\"}]}}\n\n"
            + "[{\"value\":\"chips\"}] \"text\" {\"key\":null}";

    private static List<String> values(ConcatenatedJson json, List<Value> found) {
        List<String> texts = new ArrayList<>();
        for (Value value : found) {
            texts.add(value instanceof ConcatenatedJson.Whole whole ? new String(whole.bytes(), StandardCharsets.UTF_8)
                    : value.toString());
        }
        return texts;
    }

    @Test
    void every_value_is_found_whole_whether_it_comes_at_once_or_a_byte_at_a_time() {
        List<String> expected = List.of("{\"value\":\"cod\"}", "{\"value\":{\"type\":\"JSON\",\"data\":[1,{\"a\":\"}\"}]}}",
                "[{\"value\":\"chips\"}]", "\"text\"", "{\"key\":null}");
        for (int pieceSize : new int[] {BODY.length(), 1, 2, 3, 7}) {
            ConcatenatedJson json = new ConcatenatedJson(1000);
            List<Value> found = new ArrayList<>();
            byte[] bytes = BODY.getBytes(StandardCharsets.UTF_8);
            for (int at = 0; at < bytes.length; at += pieceSize) {
                found.addAll(json.feed(ByteBuffer.wrap(bytes, at, Math.min(pieceSize, bytes.length - at))));
            }
            found.addAll(json.end());
            assertEquals(expected, values(json, found), "in pieces of " + pieceSize);
            assertEquals(0, json.heldBytes());
        }
    }

    @Test
    void a_value_longer_than_the_limit_is_named_and_skipped_and_the_next_is_read() {
        ConcatenatedJson json = new ConcatenatedJson(20);
        List<Value> found = new ArrayList<>(json.feed(ByteBuffer.wrap(
                "{\"value\":\"a long long long value\"}{\"value\":\"ok\"}".getBytes(StandardCharsets.UTF_8))));
        assertInstanceOf(ConcatenatedJson.TooLarge.class, found.get(0));
        assertEquals(List.of("{\"value\":\"ok\"}"), values(json, found.subList(1, found.size())));
    }

    @Test
    void broken_json_ends_the_reading_and_so_does_a_body_that_stops_inside_a_value() {
        ConcatenatedJson broken = new ConcatenatedJson(100);
        List<Value> found = broken.feed(ByteBuffer.wrap("{\"value\":}{\"value\":\"ok\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, found.size());
        assertInstanceOf(ConcatenatedJson.Broken.class, found.get(0));
        assertTrue(broken.broken());

        ConcatenatedJson cut = new ConcatenatedJson(100);
        assertEquals(List.of(), cut.feed(ByteBuffer.wrap("{\"value\":\"c".getBytes(StandardCharsets.UTF_8))));
        assertInstanceOf(ConcatenatedJson.Broken.class, cut.end().get(0));
    }
}
