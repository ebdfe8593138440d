package toykafka.lesson08;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalLong;
import toykafka.common.CorruptRecordException;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordBatch;

/**
 * Walks a segment's record batches in order, reading the file in large chunks and checking every
 * batch's length, magic, CRC and offsets on the way. Recovery, index rebuilding, time lookups,
 * retention's archiving and the dump tool all read a segment this way: it is the one batch walker.
 */
public final class SegmentReader {

    private static final int CHUNK = 256 * 1024;
    private static final long UNKNOWN = -1;

    /** Where the bytes come from: a segment's file, or a channel the dump tool opened read-only. */
    public interface Source {
        /** Reads from a position into the buffer, once; -1 at the end of the file. */
        int read(ByteBuffer into, long position) throws IOException;
    }

    private final Source source;
    private final String segmentName;
    private final long end;
    private ByteBuffer buffer;
    private long bufferStart;
    private long next;                    // where the next batch starts in the file
    private long expectedBase = UNKNOWN;  // the base offset the next batch must have
    private long expectedLast = UNKNOWN;  // or the last offset the first batch must have (an index entry's)
    private boolean gapsAllowed = true;   // only where the cleaner has been: elsewhere each batch follows the last
    private long endsBefore = UNKNOWN;    // the offset the segment's records end before, where the next begins
    private long previousAt = UNKNOWN;    // where the batch before the current one starts
    private RecordBatch current;

    /**
     * @param start where to start, which must be the start of a batch
     * @param end   where the segment ends
     */
    public SegmentReader(Source source, String segmentName, long start, long end) {
        this.source = source;
        this.segmentName = segmentName;
        this.next = start;
        this.bufferStart = start;
        this.end = end;
        // no larger than the stretch to read: a lookup reads a few KiB, a whole segment is read in chunks
        this.buffer = ByteBuffer.allocateDirect((int) Math.max(RecordBatch.HEADER_SIZE, Math.min(CHUNK, end - start)))
                .limit(0);
    }

    /**
     * The newest timestamp of the batch at a segment's start, from its header alone, for a listing: nothing is
     * walked or checked. Empty if the file holds no whole header there, or not a v2 batch's.
     */
    static OptionalLong firstBatchMaxTimestamp(DiskFile file) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
        if (file.readFully(header, 0) < RecordBatch.HEADER_SIZE
                || header.get(RecordBatch.MAGIC_AT) != RecordBatch.MAGIC) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(header.getLong(RecordBatch.MAX_TIMESTAMP_AT));
    }

    /**
     * A reader that starts where an index entry points. The start of a segment (position 0) is the batch
     * with the entry's offset as its base; any other entry names the last offset of the batch it points at.
     */
    public static SegmentReader from(Source source, String segmentName, IndexEntry entry, long end) {
        SegmentReader reader = new SegmentReader(source, segmentName, entry.position(), end);
        if (entry.position() == 0) {
            reader.expectedBase = entry.offset();
        } else {
            reader.expectedLast = entry.offset();
        }
        return reader;
    }

    /**
     * Sets what the offsets must obey besides growing: with {@code gapsAllowed} false (a log the cleaner never
     * touched), each batch starts right after the one before; with {@code endsBefore} not -1, every offset is
     * below it. A base offset lies outside the CRC, so only these catch a bit flipped in it.
     */
    public SegmentReader offsets(boolean gapsAllowed, long endsBefore) {
        this.gapsAllowed = gapsAllowed;
        this.endsBefore = endsBefore;
        return this;
    }

    // tag::next[]
    /** Moves to the next batch; false at the end. Throws if the bytes there are not a whole, good batch. */
    public boolean next() throws IOException {
        if (next >= end) {
            return false;
        }
        while (true) {
            int inBuffer = (int) (bufferStart + buffer.limit() - next);
            int offsetInBuffer = (int) (next - bufferStart);
            int size = inBuffer < RecordBatch.HEADER_SIZE ? -1 : sizeAt(offsetInBuffer);
            if (size > 0 && size <= inBuffer) {
                current = check(RecordBatch.wrap(buffer.duplicate().position(offsetInBuffer)));
                next += size;
                return true;
            }
            long needed = size > 0 ? size : RecordBatch.HEADER_SIZE;
            if (next + needed > end) { // the batch cannot be whole, however much we read
                throw new CorruptRecordException(segmentName, next, "the last " + (end - next) + " bytes are not"
                        + " a whole batch" + (size > 0 ? " (its length field asks for " + size + ")" : "")
                        + ": a torn write");
            }
            refill((int) needed);
        }
    }

    /** The batch's CRC, format and offsets; a batch that fails any is not handed out. */
    private RecordBatch check(RecordBatch batch) {
        String damage = damage(batch);
        if (damage != null) {
            throw bad(damage);
        }
        // a cleaned batch may hold fewer records than offsets, even none, but never more
        if (batch.count() < 0 || batch.lastOffsetDelta() < 0 || batch.count() - 1 > batch.lastOffsetDelta()) {
            throw bad("a batch of " + batch.count() + " records with last offset delta " + batch.lastOffsetDelta());
        }
        // the cleaner may leave a gap before a batch, never an overlap
        if (expectedBase != UNKNOWN && batch.baseOffset() < expectedBase) {
            throw outOfOrder("expected a batch from offset " + expectedBase + " or later here, found one from "
                    + batch.baseOffset() + (previousAt == UNKNOWN ? "" : ", which overlaps the batch at byte "
                    + previousAt + ": this batch's base offset or that one's is damaged"));
        }
        if (expectedLast != UNKNOWN && batch.lastOffset() != expectedLast) {
            throw outOfOrder("the index says the batch here ends at offset " + expectedLast + ", but it ends at "
                    + batch.lastOffset());
        }
        String wrong = Offsets.wrong(batch.baseOffset(), batch.lastOffset(), gapsAllowed ? UNKNOWN : expectedBase,
                endsBefore);
        if (wrong != null) {
            throw outOfOrder(wrong);
        }
        expectedLast = UNKNOWN;
        expectedBase = batch.nextOffset();
        previousAt = next;
        return batch;
    }
    // end::next[]

    /** What is wrong with a stored batch's format or CRC, or null if nothing is. */
    static String damage(RecordBatch batch) {
        if (batch.magic() != RecordBatch.MAGIC) {
            return "magic " + batch.magic() + " where record batch v2 has 2";
        }
        if (batch.storedCrc() != batch.computeCrc()) {
            return String.format("CRC-32C mismatch: stored %08x, computed %08x", batch.storedCrc(), batch.computeCrc());
        }
        return null;
    }

    private int sizeAt(int offsetInBuffer) {
        try {
            return RecordBatch.sizeAt(buffer, offsetInBuffer);
        } catch (CorruptRecordException impossible) {
            throw bad(impossible.getMessage());
        }
    }

    private CorruptRecordException bad(String reason) {
        return new CorruptRecordException(segmentName, next, reason);
    }

    private CorruptRecordException outOfOrder(String reason) {
        return new Offsets.OutOfOrder(segmentName, next, reason);
    }

    /** Reads from the next batch on, into a buffer large enough for {@code needed} bytes. */
    private void refill(int needed) throws IOException {
        if (needed > buffer.capacity()) {
            buffer = ByteBuffer.allocateDirect(needed);
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

    /** Where the current batch starts in the file. */
    public long position() {
        return next - current.sizeInBytes();
    }

    public int size() {
        return current.sizeInBytes();
    }

    public long baseOffset() {
        return current.baseOffset();
    }

    public long lastOffset() {
        return current.lastOffset();
    }

    /** The newest timestamp in the batch (the broker's, with LogAppendTime). */
    public long maxTimestamp() {
        return current.maxTimestamp();
    }

    /** The current batch, as a view that the next call to {@link #next()} may overwrite. */
    public RecordBatch batch() {
        return current;
    }

    /** The current batch's records, decoded (and decompressed). */
    public List<Record> records() {
        return offsetRecords().stream().map(OffsetRecord::record).toList();
    }

    /** The current batch's records with their offsets, which may have gaps in a cleaned segment. */
    public List<OffsetRecord> offsetRecords() {
        try {
            return current.offsetRecords();
        } catch (RuntimeException bad) { // a CRC-good batch whose records still do not parse
            throw new CorruptRecordException(segmentName, position(), bad.getMessage());
        }
    }
}
