package toykafka.common;

import java.nio.ByteBuffer;

/**
 * Kafka's variable-length integers, as protocol buffers write them: zigzag first (so -1 is small, not
 * huge), then 7 bits a byte, low bits first, the top bit of each byte saying "more follows". A record
 * in a batch spends one byte on most of its lengths and deltas instead of four or eight.
 */
public final class Varint {

    private Varint() {
    }

    public static void writeInt(ByteBuffer out, int value) {
        int zigzag = (value << 1) ^ (value >> 31);
        while ((zigzag & ~0x7f) != 0) {
            out.put((byte) ((zigzag & 0x7f) | 0x80));
            zigzag >>>= 7;
        }
        out.put((byte) zigzag);
    }

    public static void writeLong(ByteBuffer out, long value) {
        long zigzag = (value << 1) ^ (value >> 63);
        while ((zigzag & ~0x7fL) != 0) {
            out.put((byte) ((zigzag & 0x7f) | 0x80));
            zigzag >>>= 7;
        }
        out.put((byte) zigzag);
    }

    /** Reads an int varint; more than 5 bytes cannot be an int, and says the bytes are not a record. */
    public static int readInt(ByteBuffer in) {
        int zigzag = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = next(in);
            zigzag |= (b & 0x7f) << shift;
            if (b >= 0) {
                return unzigzag(zigzag);
            }
        }
        throw tooLong(5);
    }

    public static long readLong(ByteBuffer in) {
        long zigzag = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte b = next(in);
            zigzag |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return unzigzag(zigzag);
            }
        }
        throw tooLong(10);
    }

    /** Undoes the zigzag: 0, 1, 2, 3, 4, ... back to 0, -1, 1, -2, 2, ... */
    public static int unzigzag(int zigzag) {
        return (zigzag >>> 1) ^ -(zigzag & 1);
    }

    public static long unzigzag(long zigzag) {
        return (zigzag >>> 1) ^ -(zigzag & 1);
    }

    /** The refusal of a varint longer than its type allows: 5 bytes for an int, 10 for a long. */
    static CorruptRecordException tooLong(int maxBytes) {
        return new CorruptRecordException(maxBytes == 5 ? "a varint runs over 5 bytes, longer than any int"
                : "a varlong runs over 10 bytes, longer than any long");
    }

    public static int sizeOfInt(int value) {
        int zigzag = (value << 1) ^ (value >> 31);
        int bytes = 1;
        while ((zigzag & ~0x7f) != 0) {
            bytes++;
            zigzag >>>= 7;
        }
        return bytes;
    }

    public static int sizeOfLong(long value) {
        long zigzag = (value << 1) ^ (value >> 63);
        int bytes = 1;
        while ((zigzag & ~0x7fL) != 0) {
            bytes++;
            zigzag >>>= 7;
        }
        return bytes;
    }

    /** The next byte; a varint cut off by the end of the bytes throws BufferUnderflowException, as a short read does. */
    private static byte next(ByteBuffer in) {
        return in.get();
    }
}
