package toykafka.lesson08;

import java.io.IOException;
import java.nio.ByteBuffer;
import toykafka.common.CorruptRecordException;
import toykafka.common.FetchedBatches;
import toykafka.common.RecordBatch;

/**
 * The batches in one segment's {@code .log}, read back: finding the batch that holds an offset, from an index
 * entry on, and reading whole batches, checked, as they lie on disk. It reads the file and never writes it;
 * the {@link Segment} appends, indexes and tells it where the records end. Kafka's {@code FileRecords}, whose
 * {@code searchForOffsetFromPosition} a segment's offset lookup calls as ours calls {@link #searchForOffset}.
 */
final class FileRecords {

    /** Where a search reads at most at once: enough for one index interval in all but odd settings. */
    private static final int MAX_SEARCH_WINDOW = 64 * 1024;

    private final Segment segment;
    private final DiskFile log;
    private final int indexIntervalBytes;
    private ByteBuffer searchWindow;

    /** Where a batch starts in the file, its size and the offsets it holds. */
    record BatchAt(long position, int size, long baseOffset, long lastOffset) {
    }

    /** Where a read starts, and where the segment ends: in bytes, and the offset its records end before. */
    record ReadStart(BatchAt first, long end, long endsBefore) {
    }

    FileRecords(Segment segment, DiskFile log, int indexIntervalBytes) {
        this.segment = segment;
        this.log = log;
        this.indexIntervalBytes = indexIntervalBytes;
    }

    // tag::seek[]
    /**
     * From the index entry at or before the offset, steps from batch to batch by their length fields
     * until one holds the offset, checking the offsets in each header but not the CRC: these batches are
     * passed over, not handed out. That reads about index.interval.bytes, in one read as a rule.
     */
    BatchAt searchForOffset(IndexEntry entry, long offset) throws IOException {
        ByteBuffer window = searchWindow();
        long size = segment.size();
        long nextOffset = segment.nextOffset();
        long position = entry.position();
        long expectedBase = entry.position() == 0 ? entry.offset() : -1; // an entry names a batch's last offset
        long expectedLast = entry.position() == 0 ? -1 : entry.offset();
        while (position < size) {
            int wanted = (int) Math.min(window.capacity(), size - position);
            int got = log.readFully(window.clear().limit(wanted), position);
            int step = 0; // from batch to batch within the window
            while (got - step >= RecordBatch.HEADER_SIZE) {
                int batchSize = batchSizeAt(window, step, position + step);
                long base = window.getLong(step);
                long last = base + window.getInt(step + RecordBatch.LAST_OFFSET_DELTA_AT);
                if ((expectedBase >= 0 && base < expectedBase) || (expectedLast >= 0 && last != expectedLast)
                        || last < base) { // a gap before a batch is the cleaner's; an overlap is damage
                    throw new Offsets.OutOfOrder(name(), position + step, "expected a batch " + (expectedBase >= 0
                            ? "from offset " + expectedBase + " or later" : "ending at offset " + expectedLast)
                            + " here, found offsets " + base + ".." + last);
                }
                Offsets.require(segment, base, last, expectedBase, nextOffset, position + step);
                if (position + step + batchSize > size) {
                    throw new CorruptRecordException(name(), position + step, "the segment ends inside this batch"
                            + " (its length field asks for " + batchSize + " bytes)");
                }
                if (last >= offset) {
                    return new BatchAt(position + step, batchSize, base, last);
                }
                step += batchSize;
                expectedBase = last + 1;
                expectedLast = -1;
            }
            if (step == 0) {
                throw got < wanted ? cutShort(position + got) : new CorruptRecordException(name(), position,
                        "the last " + (size - position) + " bytes are not a whole batch");
            }
            position += step; // the next batch starts here, inside this window or past it
        }
        throw new CorruptRecordException(name(), size, "the segment ends here, before offset " + offset
                + ", though it should hold offsets up to " + (nextOffset - 1) + ": records are missing");
    }

    int batchSizeAt(ByteBuffer buffer, int at, long filePosition) {
        try {
            return RecordBatch.sizeAt(buffer, at);
        } catch (CorruptRecordException impossible) {
            throw new CorruptRecordException(name(), filePosition, impossible.getMessage());
        }
    }
    // end::seek[]

    private ByteBuffer searchWindow() {
        if (searchWindow == null) {
            searchWindow = ByteBuffer.allocate(Math.min(indexIntervalBytes, MAX_SEARCH_WINDOW) + RecordBatch.HEADER_SIZE);
        }
        return searchWindow;
    }

    // tag::read[]
    /**
     * Checked batches from a start found earlier, as they lie on disk: enough to hold {@code maxRecords} records
     * from {@code fromOffset}, as many whole batches as fit in {@code into} (at least one: a larger buffer is
     * used if the first does not fit), never past the end it was given. It touches only the file's bytes before
     * that end, which appends never change, so it needs no lock: appends go on while a reader reads.
     */
    FetchedBatches read(ReadStart start, long fromOffset, ByteBuffer into, int maxRecords) throws IOException {
        BatchAt first = start.first();
        if (first.size() > into.capacity()) {
            into = ByteBuffer.allocateDirect(first.size());
        }
        long room = Math.min(into.capacity(), start.end() - first.position());
        long perRecord = Math.max(1, first.size() / (first.lastOffset() - first.baseOffset() + 1));
        into.clear();
        int filled = 0;
        int at = 0;
        long records = 0;
        long expectedBase = first.baseOffset();
        while (records < maxRecords) {
            int batchSize = filled - at >= RecordBatch.LOG_OVERHEAD ? batchSizeAt(into, at, first.position() + at) : -1;
            if (batchSize > 0 && batchSize <= filled - at) {
                RecordBatch batch;
                try {
                    batch = checked(RecordBatch.wrap(into.duplicate().position(at).limit(filled)), expectedBase,
                            start.endsBefore());
                } catch (CorruptRecordException bad) {
                    if (at > 0) {
                        break; // hand out the good batches before it; the next read starting here reports it
                    }
                    throw new CorruptRecordException(name(), first.position() + at, bad.reason());
                }
                records += at == 0 ? recordsFrom(batch, fromOffset) : batch.count();
                expectedBase = batch.nextOffset();
                at += batchSize;
                continue;
            }
            // the next batch is not all in the buffer yet: read on, as far as the records still wanted need
            long need = at + (batchSize > 0 ? batchSize : RecordBatch.HEADER_SIZE);
            if (need > room) {
                if (at == 0) {
                    throw cutShort(first.position() + filled); // only a file cut short ends before its first batch
                }
                break; // it does not fit in this buffer, or the segment ends: the next read starts with it
            }
            long wanted = at + perRecord * (maxRecords - records);
            int until = (int) Math.min(room, Math.max(need, wanted));
            filled += log.readFully(into.limit(until).position(filled), first.position() + filled);
            if (filled < until) {
                room = filled; // the file ends early: hand out the whole batches before that
            }
        }
        return new FetchedBatches(into.slice(0, at), fromOffset, expectedBase);
    }
    // end::read[]

    /**
     * How many of the first batch's records are at {@code fromOffset} or after. A batch the cleaner left
     * gaps in cannot say without decoding its records, so it counts as none: the read goes on to the next.
     */
    private static long recordsFrom(RecordBatch batch, long fromOffset) {
        if (batch.baseOffset() >= fromOffset) {
            return batch.count(); // after a gap before it: all of them
        }
        return batch.count() == batch.lastOffsetDelta() + 1 ? batch.lastOffset() - fromOffset + 1 : 0;
    }

    /** Checks a stored batch whole before it is handed out: format, CRC and the offsets it may hold. */
    private RecordBatch checked(RecordBatch batch, long expectedBase, long endsBefore) {
        String damage = SegmentReader.damage(batch);
        if (damage != null) {
            throw new CorruptRecordException(name(), -1, damage);
        }
        // gaps, from the cleaner, are allowed: before a batch, and inside it (fewer records than offsets)
        if (batch.baseOffset() < expectedBase || batch.lastOffsetDelta() < 0 || batch.count() < 0
                || batch.count() - 1 > batch.lastOffsetDelta()) {
            throw new CorruptRecordException(name(), -1, "expected a batch from offset " + expectedBase + " or later"
                    + " here, found offsets " + batch.baseOffset() + ".." + batch.lastOffset() + " in " + batch.count()
                    + " records");
        }
        Offsets.require(segment, batch.baseOffset(), batch.lastOffset(), expectedBase, endsBefore, -1);
        return batch;
    }

    /** The file is shorter than the segment: someone cut it while the log had it open. */
    CorruptRecordException cutShort(long fileSize) {
        return new CorruptRecordException(name(), fileSize, "the file ends here, before the segment's "
                + segment.size() + " bytes: it was cut short while in use");
    }

    private String name() {
        return segment.name();
    }
}
