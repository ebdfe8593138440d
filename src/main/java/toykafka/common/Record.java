package toykafka.common;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An event as Kafka stores it: an optional key, a value, a timestamp and optional headers. Keys and
 * values are bytes, because the log does not care what they mean; the String helpers are for people.
 * A null value with a key is a tombstone (lesson 6). Timestamps keep millisecond precision, as Kafka's do.
 */
// tag::record[]
public record Record(byte[] key, byte[] value, Instant timestamp, List<Header> headers) {

    public Record {
        Objects.requireNonNull(timestamp, "a record needs a timestamp");
        InvalidTimestampException.requireValid(timestamp);
        key = key == null ? null : key.clone();
        value = value == null ? null : value.clone();
        timestamp = timestamp.truncatedTo(ChronoUnit.MILLIS);
        headers = headers == null ? List.of() : List.copyOf(headers);
    }
    // end::record[]

    /**
     * The time of a record that has none: Kafka's -1 ms ({@code RecordBatch.NO_TIMESTAMP}), which an old or
     * hand-written producer may send and Kafka stores as it is. No time index entry and no retention.ms count it.
     */
    public static final Instant NO_TIMESTAMP = Instant.ofEpochMilli(RecordBatch.NO_TIMESTAMP);

    /** A record with text key and value (either may be null), stamped with the given time. */
    public static Record of(String key, String value, Instant timestamp) {
        return new Record(bytes(key), bytes(value), timestamp, List.of());
    }

    public Record withHeaders(List<Header> newHeaders) {
        return new Record(key, value, timestamp, newHeaders);
    }

    /** The same record, stamped with another time: what a broker does for a topic with LogAppendTime. */
    public Record withTimestamp(Instant newTimestamp) {
        return new Record(key, value, newTimestamp, headers);
    }

    /**
     * The bytes this record takes as a Kafka record batch of its own, batch header included: what a
     * topic's max.message.bytes is compared with.
     */
    public int sizeInBytes() {
        return (int) RecordBatchSize.of(List.of(this));
    }

    /** The key's length in bytes, or -1 for no key. */
    public int keyLength() {
        return key == null ? -1 : key.length;
    }

    /** The value's length in bytes, or -1 for no value (a tombstone). */
    public int valueLength() {
        return value == null ? -1 : value.length;
    }

    @Override
    public byte[] key() {
        return key == null ? null : key.clone();
    }

    @Override
    public byte[] value() {
        return value == null ? null : value.clone();
    }

    /** The key as UTF-8 text, or null. */
    public String keyText() {
        return text(key);
    }

    /** The value as UTF-8 text, or null for a tombstone. */
    public String valueText() {
        return text(value);
    }

    public boolean hasKey() {
        return key != null;
    }

    public boolean isTombstone() {
        return key != null && value == null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Record that && Arrays.equals(key, that.key) && Arrays.equals(value, that.value)
                && timestamp.equals(that.timestamp) && headers.equals(that.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(key), Arrays.hashCode(value), timestamp, headers);
    }

    @Override
    public String toString() {
        return "Record[key=" + text(key) + ", value=" + text(value) + ", timestamp=" + timestamp
                + (headers.isEmpty() ? "" : ", headers=" + headers) + "]";
    }

    static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
