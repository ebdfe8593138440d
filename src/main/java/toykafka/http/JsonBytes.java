package toykafka.http;

import com.fasterxml.jackson.core.io.SerializedString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reply's JSON written by hand, byte by byte, where a reply of many entries made maps and Jackson's generator most
 * of the broker's work: fixed parts prepared once as ASCII, texts already escaped, numbers as digits in place. A
 * growing byte array without ByteArrayOutputStream's lock on every byte.
 */
final class JsonBytes {

    private byte[] bytes;
    private int size;

    JsonBytes(int capacity) {
        bytes = new byte[capacity];
    }

    void write(int b) {
        room(1);
        bytes[size++] = (byte) b;
    }

    void write(byte[] more) {
        room(more.length);
        System.arraycopy(more, 0, bytes, size, more.length);
        size += more.length;
    }

    /** A string's JSON: its escaped UTF-8 between quotes. */
    void writeQuoted(SerializedString text) {
        write('"');
        write(text.asQuotedUTF8());
        write('"');
    }

    /** Its decimal digits, written in place: making a String of each number was a third of the writing. */
    void writeNumber(long number) {
        if (number < 0) {
            write(Long.toString(number).getBytes(StandardCharsets.US_ASCII)); // none of ours: offsets, partitions and sizes are 0 or more
            return;
        }
        int digits = 1;
        for (long rest = number / 10; rest > 0; rest /= 10) {
            digits++;
        }
        room(digits);
        for (int at = size + digits - 1; at >= size; at--) {
            bytes[at] = (byte) ('0' + number % 10);
            number /= 10;
        }
        size += digits;
    }

    private void room(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + more, 2 * bytes.length));
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** A fixed part of the JSON, as its bytes. */
    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
