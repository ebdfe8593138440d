package toykafka.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * REST Proxy v2's produce body read in one pass, when it is plainly what a client sending binary records sends:
 * {@code {"records": [{"key": .., "value": .., "partition": ..}]}}, keys and values base64 text or null, partitions
 * whole numbers 0 or more or null, JSON's whitespace anywhere between. A tree of the body, its strings and the walk
 * that checks them cost a third of the broker's time at 100-byte values, and a streaming parser reads each value
 * twice, once to find its end and once to decode it. Anything else (a schema field, an unknown or repeated field,
 * an escape, text that is not base64, a string longer than Jackson reads, a number JSON would not write so, broken
 * JSON) gives an empty answer, and the caller reads the same bytes as a tree ({@link V2ProduceRoutes}), which
 * accepts and refuses as it always has and words every refusal.
 */
final class PlainV2ProduceRequests {

    /** A record as the body gives it: its partition if it names one, its key and value bytes. */
    record Sent(Integer partition, byte[] key, byte[] value) {
    }

    private static final Optional<List<Sent>> NOT_PLAIN = Optional.empty();
    /** The longest string the tree's parser takes; past it, the parser's refusal must be the answer. */
    private static final int MAX_STRING = Json.MAPPER.getFactory().streamReadConstraints().getMaxStringLength();
    private static final VarHandle EIGHT_BYTES = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long EACH_BYTE = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = EACH_BYTE * '"';

    private final byte[] in;
    private int at;

    private PlainV2ProduceRequests(byte[] in) {
        this.in = in;
    }

    /** The body's records if it is plainly a binary produce of one or more records. */
    static Optional<List<Sent>> records(byte[] body) {
        try {
            return Optional.ofNullable(new PlainV2ProduceRequests(body).body());
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException notPlain) {
            return NOT_PLAIN; // base64 that does not decode, or a body that ends too soon
        }
    }

    private List<Sent> body() {
        if (!take('{') || !take("\"records\"") || !take(':') || !take('[')) {
            return null;
        }
        List<Sent> records = new ArrayList<>();
        do {
            Sent one = record();
            if (one == null) {
                return null;
            }
            records.add(one);
        } while (take(','));
        if (!take(']') || !take('}')) {
            return null;
        }
        skipSpace();
        return at == in.length ? records : null;
    }

    private Sent record() {
        if (!take('{')) {
            return null;
        }
        byte[] key = null;
        byte[] value = null;
        Integer partition = null;
        int seen = 0;
        if (take('}')) {
            return new Sent(null, null, null);
        }
        do {
            int bit = take("\"value\"") ? 1 : take("\"key\"") ? 2 : take("\"partition\"") ? 4 : 0;
            if (bit == 0 || (seen & bit) != 0 || !take(':')) {
                return null; // an unknown or repeated field: the tree decides what it means
            }
            seen |= bit;
            if (take("null")) {
                continue;
            }
            if (bit == 4) {
                partition = wholeNumber();
                if (partition == null) {
                    return null;
                }
            } else {
                byte[] bytes = base64();
                if (bytes == null) {
                    return null;
                }
                if (bit == 1) {
                    value = bytes;
                } else {
                    key = bytes;
                }
            }
        } while (take(','));
        return take('}') ? new Sent(partition, key, value) : null;
    }

    /**
     * A string decoded as base64, or null. The decoder refuses any character base64 lacks, an escape's backslash
     * among them (so an escaped quote never ends a value early), and a bad length or padding, by throwing.
     */
    private byte[] base64() {
        if (!take('"')) {
            return null;
        }
        int start = at;
        int end = closingQuote(in, start);
        if (end - start > MAX_STRING) {
            return null;
        }
        at = end + 1;
        ByteBuffer decoded = Base64.getDecoder().decode(ByteBuffer.wrap(in, start, end - start));
        return decoded.remaining() == decoded.array().length ? decoded.array()
                : Arrays.copyOfRange(decoded.array(), decoded.position(), decoded.limit());
    }

    /**
     * Where the next quote is, looking at eight bytes at a time: a byte at a time, finding the end of kilobyte values
     * took two fifths of the broker's time, ten times what decoding them took.
     */
    private static int closingQuote(byte[] bytes, int from) {
        int i = from;
        for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
            long notQuote = (long) EIGHT_BYTES.get(bytes, i) ^ QUOTES;
            long quote = (notQuote - EACH_BYTE) & ~notQuote & HIGH_BITS; // the lowest bit set marks the first quote
            if (quote != 0) {
                return i + Long.numberOfTrailingZeros(quote) / Byte.SIZE;
            }
        }
        for (; i < bytes.length; i++) {
            if (bytes[i] == '"') {
                return i;
            }
        }
        throw new ArrayIndexOutOfBoundsException("no closing quote");
    }

    /** 0, or a digit 1 to 9 and more digits, up to Integer.MAX_VALUE; else null. */
    private Integer wholeNumber() {
        int start = at;
        long number = 0;
        while (at < in.length && in[at] >= '0' && in[at] <= '9' && at - start < 11) {
            number = number * 10 + (in[at++] - '0');
        }
        int digits = at - start;
        boolean plain = digits > 0 && (digits == 1 || in[start] != '0') && number <= Integer.MAX_VALUE
                && (at == in.length || in[at] != '.' && in[at] != 'e' && in[at] != 'E' && (in[at] < '0' || in[at] > '9'));
        return plain ? (int) number : null;
    }

    private boolean take(char expected) {
        skipSpace();
        if (at < in.length && in[at] == expected) {
            at++;
            return true;
        }
        return false;
    }

    private boolean take(String expected) {
        skipSpace();
        if (at + expected.length() > in.length) {
            return false;
        }
        for (int i = 0; i < expected.length(); i++) {
            if (in[at + i] != expected.charAt(i)) {
                return false;
            }
        }
        at += expected.length();
        return true;
    }

    private void skipSpace() {
        while (at < in.length && (in[at] == ' ' || in[at] == '\n' || in[at] == '\r' || in[at] == '\t')) {
            at++;
        }
    }
}
