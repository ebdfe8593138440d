package toykafka.lesson08;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import toykafka.common.Header;
import toykafka.common.Record;
import toykafka.common.RecordRules;

/** Records for the tests of lesson 8 and of the storage built on it: the same number always gives the same record. */
public final class TestRecords {

    public static final Instant START = Instant.parse("2024-03-01T12:00:00Z");

    private TestRecords() {
    }

    /** Record n: key "till-(n mod 3)", value "order-n", stamped n seconds after START. */
    public static Record order(int n) {
        return Record.of("till-" + (n % 3), "order-" + n, START.plusSeconds(n));
    }

    /** Appends orders {@code from} to {@code to - 1} to the segment, one batch each at its own number's offset. */
    public static void appendOrders(Segment segment, int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            segment.append(PreparedAppend.encode(List.of(order(i)), i, RecordRules.defaults()));
        }
    }

    public static Record valued(String value, Instant at) {
        return Record.of(null, value, at);
    }

    /** A record that exercises every field: binary key, every byte value, headers with and without values. */
    public static Record everyField() {
        byte[] allBytes = new byte[256];
        for (int i = 0; i < allBytes.length; i++) {
            allBytes[i] = (byte) i;
        }
        return new Record(new byte[] {0, -1, 42}, allBytes, START.plusMillis(123),
                List.of(Header.of("trace-id", "abc"), new Header("empty", new byte[0]), new Header("none", null),
                        new Header("ünïcödé ✓", "fish & chips".getBytes(StandardCharsets.UTF_8))));
    }
}
