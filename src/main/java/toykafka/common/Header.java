package toykafka.common;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** A named piece of metadata on a record, such as a trace id. Kafka's headers are the same: a String key, bytes. */
public record Header(String key, byte[] value) {

    public Header {
        Objects.requireNonNull(key, "a header key must not be null");
        value = value == null ? null : value.clone();
    }

    public static Header of(String key, String value) {
        return new Header(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] value() {
        return value == null ? null : value.clone();
    }

    /** The value's length in bytes, or -1 for none. */
    public int valueLength() {
        return value == null ? -1 : value.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Header that && key.equals(that.key) && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return key + "=" + Record.text(value);
    }
}
