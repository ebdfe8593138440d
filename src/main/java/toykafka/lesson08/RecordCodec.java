package toykafka.lesson08;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import toykafka.common.Header;
import toykafka.common.Record;

/**
 * How one record lies in a segment's {@code .log} file: a <em>frame</em>. The length comes first, so a
 * reader can step from frame to frame without decoding; the CRC-32C comes next, so a reader can tell a
 * whole frame from a torn or damaged one. All numbers are big-endian.
 */
public final class RecordCodec {

    // tag::layout[]
    //  field        size              meaning
    //  length       int32             bytes after this field
    //  offset       int64             given by the log as it appends; outside the CRC, so giving it
    //                                 to a frame a producer encoded needs no new checksum
    //  crc          int32             CRC-32C of the body
    //  ---- body ----
    //  timestamp    int64             milliseconds since 1970-01-01T00:00Z
    //  key          int32 + bytes     length -1 means no key
    //  value        int32 + bytes     length -1 means no value (a tombstone)
    //  headers      int32 count, then per header: int32 + UTF-8 name, int32 + bytes (-1: no value)
    // end::layout[]

    /** The length, offset and CRC fields that come before the body. */
    public static final int FRAME_HEAD = 4 + 8 + 4;
    /** The smallest body: timestamp, key length, value length, header count. */
    public static final int MIN_BODY = 8 + 4 + 4 + 4;
    /** Where the fields are, counted from the start of a frame. */
    static final int OFFSET_AT = 4;
    public static final int CRC_AT = 12;
    static final int TIMESTAMP_AT = 16;
    static final int KEY_AT = 24;
    /** No frame may be larger than this, whatever the configuration: a sane bound for a length read from disk. */
    public static final int MAX_FRAME = 64 * 1024 * 1024;

    private RecordCodec() {
    }

    /** The bytes the record takes on disk, frame head included. */
    public static int frameSize(Record record) {
        long size = FRAME_HEAD + MIN_BODY + length(record.key()) + length(record.value());
        for (Header header : record.headers()) {
            size += 8 + header.key().getBytes(StandardCharsets.UTF_8).length + length(header.value());
        }
        return (int) Math.min(size, Integer.MAX_VALUE);
    }

    // tag::encode[]
    /** Writes one frame at the buffer's position and moves the position past it. */
    public static void encode(Record record, long offset, ByteBuffer out) {
        int start = out.position();
        if (out.remaining() < FRAME_HEAD + MIN_BODY) {
            throw new BufferOverflowException();
        }
        out.position(start + FRAME_HEAD); // length and CRC are filled in once the body is written
        out.putLong(record.timestamp().toEpochMilli());
        putBytes(out, record.key());
        putBytes(out, record.value());
        out.putInt(record.headers().size());
        for (Header header : record.headers()) {
            putBytes(out, header.key().getBytes(StandardCharsets.UTF_8));
            putBytes(out, header.value());
        }
        int end = out.position();
        out.putInt(start, end - start - 4);
        out.putLong(start + OFFSET_AT, offset);
        out.putInt(start + CRC_AT, crcOf(out, start + FRAME_HEAD, end));
    }
    // end::encode[]

    /** Encodes records as a producer does before sending them: frames back to back, offsets from 0. */
    public static ByteBuffer encodeAll(List<Record> records) {
        int size = records.stream().mapToInt(RecordCodec::frameSize).sum();
        ByteBuffer frames = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < records.size(); i++) {
            encode(records.get(i), i, frames);
        }
        return frames.flip();
    }

    /** The CRC-32C of {@code buffer[from, to)}; the buffer's position and limit end as they began. */
    static int crcOf(ByteBuffer buffer, int from, int to) {
        int position = buffer.position();
        int limit = buffer.limit();
        CRC32C crc = new CRC32C();
        crc.update(buffer.limit(to).position(from)); // no duplicate(): this runs once per record
        buffer.limit(limit).position(position);
        return (int) crc.getValue();
    }

    // tag::check[]
    /**
     * Checks the frames of one buffer, one frame at a time. It keeps a CRC and a view of the buffer for
     * reuse, since it runs once for every record read.
     */
    static final class Checker {
        private final ByteBuffer buffer;
        private final ByteBuffer view;
        private final CRC32C crc = new CRC32C();

        Checker(ByteBuffer buffer) {
            this.buffer = buffer;
            this.view = buffer.duplicate();
        }

        /**
         * Checks the frame that starts at {@code at}: its length, its CRC and its offset (unless
         * {@code expectedOffset} is -1). Returns the frame's size, or 0 if the {@code available} bytes do
         * not hold all of it (read more; or at the end of a file, a torn write). Throws {@link BadFrame}
         * with the reason when the bytes cannot be a good frame.
         */
        int check(int at, int available, long expectedOffset) {
            if (available < FRAME_HEAD) {
                return 0;
            }
            int length = checkLength(buffer.getInt(at));
            if (available < 4 + length) {
                return 0;
            }
            crc.reset();
            crc.update(view.limit(at + 4 + length).position(at + FRAME_HEAD));
            int stored = buffer.getInt(at + CRC_AT);
            if (stored != (int) crc.getValue()) {
                throw new BadFrame(String.format("CRC-32C mismatch: stored %08x, computed %08x", stored,
                        (int) crc.getValue()));
            }
            if (expectedOffset >= 0) {
                checkOffset(buffer, at, expectedOffset);
            }
            return 4 + length;
        }
    }
    // end::check[]

    /**
     * The size of the frame at {@code at}, from its length field, checking that field and the offset but
     * not the CRC: enough to step over a frame that is not handed out.
     */
    static int frameSizeAt(ByteBuffer frames, int at, long expectedOffset) {
        int length = checkLength(frames.getInt(at));
        checkOffset(frames, at, expectedOffset);
        return 4 + length;
    }

    private static int checkLength(int length) {
        if (length < FRAME_HEAD - 4 + MIN_BODY || length > MAX_FRAME - 4) {
            throw new BadFrame("length field says " + length + " bytes, which no record can be");
        }
        return length;
    }

    private static void checkOffset(ByteBuffer frames, int at, long expectedOffset) {
        long offset = frames.getLong(at + OFFSET_AT);
        if (offset != expectedOffset) {
            throw new BadFrame("expected offset " + expectedOffset + " here, found " + offset);
        }
    }

    /** The offset stored in the frame at {@code at}. */
    static long offsetAt(ByteBuffer buffer, int at) {
        return buffer.getLong(at + OFFSET_AT);
    }

    /** The timestamp, in epoch milliseconds, stored in the frame at {@code at}. */
    static long timestampAt(ByteBuffer buffer, int at) {
        return buffer.getLong(at + TIMESTAMP_AT);
    }

    /** The length of the key in the frame at {@code at}, -1 for none. */
    static int keyLengthAt(ByteBuffer buffer, int at) {
        return buffer.getInt(at + KEY_AT);
    }

    /** The length of the value in the frame at {@code at}, -1 for none. */
    static int valueLengthAt(ByteBuffer buffer, int at) {
        return buffer.getInt(at + KEY_AT + 4 + Math.max(keyLengthAt(buffer, at), 0));
    }

    /**
     * Checks that the fields of the frame at {@code at} fill its {@code size} bytes exactly, without
     * copying them: a frame from a producer can carry a good CRC over fields that do not add up.
     * Returns the value's length (-1 for none), which the log's rules need next.
     */
    static int checkFields(ByteBuffer frames, int at, int size, int keyLength) {
        int end = at + size;
        int valueAt = skip(keyLength, at + KEY_AT, end);
        int valueLength = readInt(frames, valueAt, end);
        int field = skip(valueLength, valueAt, end);
        int headers = readInt(frames, field, end);
        field += 4;
        for (int i = 0; i < headers; i++) {
            field = skipBytes(frames, skipBytes(frames, field, end), end);
        }
        if (headers < 0 || field != end) {
            throw new BadFrame("its fields do not fill the frame exactly");
        }
        return valueLength;
    }

    /** Where the field after one of {@code length} bytes, whose length sits at {@code field}, starts. */
    private static int skip(int length, int field, int end) {
        if (length < -1 || length > end - field - 4) {
            throw new BadFrame("a field says it is " + length + " bytes long, more than the frame holds");
        }
        return field + 4 + Math.max(length, 0);
    }

    private static int skipBytes(ByteBuffer frames, int field, int end) {
        return skip(readInt(frames, field, end), field, end);
    }

    private static int readInt(ByteBuffer frames, int field, int end) {
        if (field + 4 > end) {
            throw new BadFrame("its fields run past the end of the frame");
        }
        return frames.getInt(field);
    }

    /** Decodes the (already checked) frame at {@code at}. */
    public static Record decode(ByteBuffer frames, int at) {
        ByteBuffer in = frames.duplicate().limit(at + 4 + frames.getInt(at)).position(at + FRAME_HEAD);
        Instant timestamp = Instant.ofEpochMilli(in.getLong());
        byte[] key = getBytes(in);
        byte[] value = getBytes(in);
        int headerCount = in.getInt();
        if (headerCount < 0 || headerCount > in.remaining() / 8) {
            throw new BadFrame("header count " + headerCount + " does not fit in the frame");
        }
        List<Header> headers = new ArrayList<>(headerCount);
        for (int i = 0; i < headerCount; i++) {
            byte[] name = getBytes(in);
            if (name == null) {
                throw new BadFrame("header " + i + " has no name");
            }
            headers.add(new Header(new String(name, StandardCharsets.UTF_8), getBytes(in)));
        }
        if (in.hasRemaining()) {
            throw new BadFrame(in.remaining() + " bytes left over after the last field");
        }
        return new Record(key, value, timestamp, headers);
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static void putBytes(ByteBuffer out, byte[] bytes) {
        if (bytes == null) {
            out.putInt(-1);
        } else {
            out.putInt(bytes.length);
            out.put(bytes);
        }
    }

    private static byte[] getBytes(ByteBuffer in) {
        int length = in.getInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.remaining()) {
            throw new BadFrame("a field says it is " + length + " bytes long, but only " + in.remaining()
                    + " bytes are left in the frame");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    /** The bytes where a frame should be are not a good frame; the message says why. */
    static final class BadFrame extends RuntimeException {
        BadFrame(String reason) {
            super(reason);
        }
    }
}
