package toykafka.lesson08;

import java.io.IOException;
import java.nio.ByteBuffer;
import toykafka.common.Record;
import toykafka.common.CorruptRecordException;

/**
 * Walks a segment's frames in order, reading the file in large chunks and checking every frame's
 * length, CRC and offset on the way. Recovery, index rebuilding, time lookups, retention's archiving and
 * the dump tool all read a segment this way.
 */
public final class SegmentReader {

    private static final int CHUNK = 256 * 1024;

    /** Where the bytes come from: a segment's file, or a channel the dump tool opened read-only. */
    public interface Source {
        /** Reads from a position into the buffer, once; -1 at the end of the file. */
        int read(ByteBuffer into, long position) throws IOException;
    }

    private final Source source;
    private final String segmentName;
    private final long end;
    private ByteBuffer buffer;
    private RecordCodec.Checker checker;
    private long bufferStart;
    private long next;           // where the next frame starts in the file
    private long expectedOffset; // the offset it must have; -1 when unknown
    private int at;              // where the current frame starts in the buffer
    private int size;            // the current frame's size

    /**
     * @param start          the byte to start at, which must be the start of a frame
     * @param expectedOffset the offset of the frame there, or -1 if unknown
     * @param end            where the segment ends
     */
    public SegmentReader(Source source, String segmentName, long start, long expectedOffset, long end) {
        this.source = source;
        this.segmentName = segmentName;
        this.next = start;
        this.bufferStart = start;
        this.expectedOffset = expectedOffset;
        this.end = end;
        // no larger than the stretch to read: a lookup reads a few KiB, a whole segment is read in chunks
        this.buffer = ByteBuffer.allocateDirect((int) Math.max(RecordCodec.FRAME_HEAD, Math.min(CHUNK, end - start)))
                .limit(0);
        this.checker = new RecordCodec.Checker(buffer);
    }

    // tag::next[]
    /** Moves to the next frame; false at the end. Throws if the bytes there are not a whole, good frame. */
    public boolean next() throws IOException {
        if (next >= end) {
            return false;
        }
        while (true) {
            int inBuffer = (int) (bufferStart + buffer.limit() - next);
            int offsetInBuffer = (int) (next - bufferStart);
            int frame;
            try {
                frame = checker.check(offsetInBuffer, inBuffer, expectedOffset);
            } catch (RecordCodec.BadFrame bad) {
                throw new CorruptRecordException(segmentName, next, bad.getMessage());
            }
            if (frame > 0) {
                at = offsetInBuffer;
                size = frame;
                next += frame;
                expectedOffset = offset() + 1;
                return true;
            }
            boolean knowsLength = inBuffer >= RecordCodec.FRAME_HEAD;
            long needed = knowsLength ? 4L + buffer.getInt(offsetInBuffer) : RecordCodec.FRAME_HEAD;
            if (next + needed > end) { // the frame cannot be whole, however much we read
                throw new CorruptRecordException(segmentName, next, "the last " + (end - next) + " bytes are not"
                        + " a whole frame" + (knowsLength ? " (its length field asks for " + needed + ")" : "")
                        + ": a torn write");
            }
            refill((int) needed);
        }
    }
    // end::next[]

    /** Reads from the next frame on, into a buffer large enough for {@code needed} bytes. */
    private void refill(int needed) throws IOException {
        if (needed > buffer.capacity()) {
            buffer = ByteBuffer.allocateDirect(needed);
            checker = new RecordCodec.Checker(buffer);
        }
        bufferStart = next;
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), end - next));
        while (buffer.hasRemaining()) {
            if (source.read(buffer, bufferStart + buffer.position()) < 0) {
                throw new CorruptRecordException(segmentName, bufferStart + buffer.position(), "the file ends here,"
                        + " before the segment's " + end + " bytes: it was cut short while in use");
            }
        }
        buffer.flip();
    }

    /** Where the current frame starts in the file. */
    public long position() {
        return next - size;
    }

    public int size() {
        return size;
    }

    public long offset() {
        return RecordCodec.offsetAt(buffer, at);
    }

    public long timestamp() {
        return RecordCodec.timestampAt(buffer, at);
    }

    public Record record() {
        try {
            return RecordCodec.decode(buffer, at);
        } catch (RecordCodec.BadFrame bad) {
            throw new CorruptRecordException(segmentName, position(), bad.getMessage());
        }
    }

    /** The current frame's bytes, as a view that the next call to {@link #next()} may overwrite. */
    public ByteBuffer frame() {
        return buffer.slice(at, size);
    }
}
