package toykafka.lesson08;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import toykafka.common.CorruptRecordException;
import toykafka.common.RecordBatch;
import toykafka.common.FetchedBatches;

/**
 * One segment of a partition: a {@code .log} file of record batches and its two sparse indexes, all named by the
 * base offset, the index files kept by {@link IndexFiles}. Only the newest segment, the active one, is appended
 * to; older ones are only read.
 * Not thread-safe: the {@link LocalLog} that owns it serialises access, except for the fsync that
 * group commit runs outside the log's lock and for retention's archiving of a segment already chosen.
 * Kafka's {@code LogSegment}.
 */
public final class Segment implements AutoCloseable {

    public static final long NO_TIMESTAMP = Long.MIN_VALUE;
    private static final System.Logger LOG = System.getLogger(Segment.class.getName());
    /** Where a seek reads at most at once: enough for one index interval in all but odd settings. */
    private static final int MAX_SEEK_WINDOW = 64 * 1024;

    private final Path dir;
    private final long baseOffset;
    private final int indexIntervalBytes;
    private final DiskFile log;
    private final IndexFiles indexFiles;
    private SegmentIndex index;
    private TimeIndex timeIndex;

    private long size;
    private long nextOffset;
    private long firstTimestamp = NO_TIMESTAMP;
    private long largestTimestamp = NO_TIMESTAMP;
    private long offsetOfLargest = -1;        // the last offset of the batch holding largestTimestamp
    private long lastIndexedPosition;
    private long durableSize;                // bytes known to be on disk, indexes and all
    private volatile boolean closedDurably;  // closed with every byte on disk: a late fsync has nothing to do
    private ByteBuffer seekWindow;
    private long archivedBelow;              // retention's progress: records below this offset are archived
    private boolean gapsAllowed;             // the cleaner may have removed batches: offsets need not run on

    /** Where a batch starts in the file, its size and the offsets it holds. */
    record BatchAt(long position, int size, long baseOffset, long lastOffset) {
    }

    private Segment(Path dir, long baseOffset, int indexIntervalBytes, List<DiskFile> files) {
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.indexIntervalBytes = indexIntervalBytes;
        this.log = files.get(0);
        this.indexFiles = new IndexFiles(files.get(1), files.get(2));
        this.index = new SegmentIndex(baseOffset);
        this.timeIndex = new TimeIndex(baseOffset);
        this.nextOffset = baseOffset;
        this.archivedBelow = baseOffset;
    }

    /** A new, empty segment. */
    public static Segment create(Path dir, long baseOffset, int indexIntervalBytes, DiskFile.Opener opener)
            throws IOException {
        return open(dir, baseOffset, indexIntervalBytes, opener, true, "");
    }

    /**
     * A new, empty segment whose files' names end in {@code suffix}, such as the cleaner's {@code .cleaned}:
     * no log opens it until its files are renamed into place.
     */
    public static Segment createAside(Path dir, long baseOffset, int indexIntervalBytes, DiskFile.Opener opener,
                               String suffix) throws IOException {
        return open(dir, baseOffset, indexIntervalBytes, opener, true, suffix);
    }

    /** An existing segment, not yet loaded: lesson 9's {@code Recovery} loads it. */
    public static Segment open(Path dir, long baseOffset, int indexIntervalBytes, DiskFile.Opener opener)
            throws IOException {
        return open(dir, baseOffset, indexIntervalBytes, opener, false, "");
    }

    /** Opens the three files; if one cannot be opened, closes those that were. */
    private static Segment open(Path dir, long baseOffset, int indexIntervalBytes, DiskFile.Opener opener,
                                boolean fresh, String suffix) throws IOException {
        List<DiskFile> files = new ArrayList<>(3);
        try {
            for (String extension : List.of("log", "index", "timeindex")) {
                files.add(DiskFile.open(dir.resolve(PartitionDirectory.fileName(baseOffset, extension) + suffix), fresh,
                        opener));
            }
        } catch (IOException | RuntimeException e) {
            for (DiskFile opened : files) {
                DiskFile.closeQuietly(opened, e);
            }
            throw e;
        }
        return new Segment(dir, baseOffset, indexIntervalBytes, files);
    }

    // tag::append[]
    /** Writes checked batches at the end of the file, with one write, then indexes them. */
    public void append(PreparedAppend prepared) throws IOException {
        long position = size;
        log.writeFully(prepared.bytes().duplicate(), position);
        for (RecordBatch written : prepared.batches()) {
            indexBatch(written.lastOffset(), position, written.sizeInBytes(), written.maxTimestamp());
            position += written.sizeInBytes();
        }
    }
    // end::append[]

    // tag::index-batch[]
    /**
     * Takes a batch into account: sizes, offsets, timestamps, and index entries every indexIntervalBytes,
     * as Kafka writes them. An offset index entry names a batch's last offset and where the batch starts;
     * a time index entry, the newest timestamp so far and the last offset of the batch that holds it.
     */
    void indexBatch(long lastOffset, long position, int batchSize, long maxTimestamp) {
        if (firstTimestamp == NO_TIMESTAMP) {
            firstTimestamp = maxTimestamp;
        }
        if (maxTimestamp > largestTimestamp && maxTimestamp != RecordBatch.NO_TIMESTAMP) { // -1: records without times
            largestTimestamp = maxTimestamp;
            offsetOfLargest = lastOffset;
        }
        if (position > 0 && position - lastIndexedPosition >= indexIntervalBytes) {
            index.add(lastOffset, (int) position);
            timeIndex.maybeAdd(largestTimestamp, offsetOfLargest);
            lastIndexedPosition = position;
        }
        nextOffset = lastOffset + 1;
        size = position + batchSize;
    }
    // end::index-batch[]

    /**
     * Where the record with this offset starts, and its size. If the walk from the index entry fails, the
     * entry itself may be what is damaged: then the index is rebuilt from the records, and the walk
     * runs again, instead of blaming an intact .log.
     */
    BatchAt seek(long offset) throws IOException {
        IndexEntry entry = index.lookup(offset);
        try {
            return seekFrom(entry, offset);
        } catch (CorruptRecordException bad) {
            if (entry.position() == 0 || !pointsAstray(entry)) {
                throw bad; // the entry is right, so the .log is damaged there
            }
            repairIndex(entry);
            return seekFrom(index.lookup(offset), offset);
        }
    }

    /**
     * Whether an index entry is wrong rather than the records it points to: read from the entry before it
     * to the entry's offset and see where that record really starts.
     */
    private boolean pointsAstray(IndexEntry suspect) throws IOException {
        SegmentReader reader = reader(index.lookup(suspect.offset() - 1));
        try {
            while (reader.next()) {
                if (reader.lastOffset() >= suspect.offset()) {
                    return reader.position() != suspect.position() || reader.lastOffset() != suspect.offset();
                }
            }
        } catch (CorruptRecordException damagedOnTheWay) {
            return false;
        }
        return false;
    }

    /** Rebuilds the offset index from the records and rewrites its file; the time index is kept. */
    private void repairIndex(IndexEntry wrong) throws IOException {
        TimeIndex times = timeIndex;
        SegmentIndex entries = index;
        long[] state = {size, nextOffset, firstTimestamp, largestTimestamp, lastIndexedPosition, durableSize};
        CorruptRecordException problem = SegmentScan.rescan(this, nextOffset);
        timeIndex = times;
        durableSize = state[5];
        if (problem != null) { // damage further on: leave the segment as it was and report that
            index = entries;
            size = state[0];
            nextOffset = state[1];
            firstTimestamp = state[2];
            largestTimestamp = state[3];
            lastIndexedPosition = state[4];
            throw problem;
        }
        indexFiles.rewriteOffsets(index);
        LOG.log(System.Logger.Level.WARNING, "{0}: entry {1} did not point at the start of its record; the index"
                + " was rebuilt from the records in {2}", file("index").getFileName(), wrong, name());
    }

    // tag::seek[]
    /**
     * From the index entry at or before the offset, steps from batch to batch by their length fields
     * until one holds the offset, checking the offsets in each header but not the CRC: these batches are
     * passed over, not handed out. That reads about index.interval.bytes, in one read as a rule.
     */
    private BatchAt seekFrom(IndexEntry entry, long offset) throws IOException {
        ByteBuffer window = seekWindow();
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
                Offsets.require(this, base, last, expectedBase, nextOffset, position + step);
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

    private ByteBuffer seekWindow() {
        if (seekWindow == null) {
            seekWindow = ByteBuffer.allocate(Math.min(indexIntervalBytes, MAX_SEEK_WINDOW) + RecordBatch.HEADER_SIZE);
        }
        return seekWindow;
    }

    // tag::read[]
    /**
     * Checked batches from the one that holds {@code fromOffset} on, as they lie on disk: enough to hold
     * {@code maxRecords} records from that offset, as many whole batches as fit in {@code into} (at least
     * one: a larger buffer is used if the first does not fit), never past the end of the segment. Like a
     * Kafka fetch, the first batch may begin before {@code fromOffset}; readers skip what they did not ask for.
     */
    FetchedBatches read(long fromOffset, ByteBuffer into, int maxRecords) throws IOException {
        return read(readStart(fromOffset), fromOffset, into, maxRecords);
    }

    /** Where a read starts, and where the segment ends: in bytes, and the offset its records end before. */
    record ReadStart(BatchAt first, long end, long endsBefore) {
    }

    /** Finds where a read from {@code fromOffset} starts: the log holds its lock for this part only. */
    ReadStart readStart(long fromOffset) throws IOException {
        return new ReadStart(seek(fromOffset), size, nextOffset);
    }

    /**
     * Reads from a start found earlier. It touches only the file's bytes before the end it was given, which
     * appends never change, so it needs no lock: appends go on while a reader reads.
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
        Offsets.require(this, batch.baseOffset(), batch.lastOffset(), expectedBase, endsBefore, -1);
        return batch;
    }

    /** The file is shorter than the segment: someone cut it while the log had it open. */
    CorruptRecordException cutShort(long fileSize) {
        return new CorruptRecordException(name(), fileSize, "the file ends here, before the segment's " + size
                + " bytes: it was cut short while in use");
    }

    /** A reader of this segment's batches from an index entry (or the segment's start) on. */
    public SegmentReader reader(IndexEntry from) {
        return reader(from, nextOffset);
    }

    /** As {@link #reader(IndexEntry)}, for a segment still loading: its records end before {@code endsBefore}. */
    public SegmentReader reader(IndexEntry from, long endsBefore) {
        return SegmentReader.from(log::read, name(), from, size).offsets(gapsAllowed, endsBefore);
    }

    /** Whether the cleaner may have removed batches here: then a gap between two batches is no damage. */
    boolean gapsAllowed() {
        return gapsAllowed;
    }

    /** Says that the cleaner may have rewritten this segment, leaving gaps. */
    public void allowGaps() {
        gapsAllowed = true;
    }

    // For Recovery, which loads a segment when the log opens, or rebuilds it from its records.

    /** Forgets everything known about the records, before they are read again from the start of the file. */
    void forgetRecords() {
        index = new SegmentIndex(baseOffset);
        timeIndex = new TimeIndex(baseOffset);
        size = 0;
        nextOffset = baseOffset;
        firstTimestamp = NO_TIMESTAMP;
        largestTimestamp = NO_TIMESTAMP;
        offsetOfLargest = -1;
        lastIndexedPosition = 0;
    }

    public DiskFile logFile() {
        return log;
    }

    public TimeIndex timeIndex() {
        return timeIndex;
    }

    /** Takes the indexes as read from their files: the log was flushed whole, indexes and all. */
    public void adoptIndexes(long fileSize) throws IOException {
        size = fileSize;
        durableSize = size; // it was flushed before the shutdown, or before the recovery point moved past it
        index = indexFiles.readOffsets(baseOffset, size);
        timeIndex = indexFiles.readTimes(baseOffset);
        indexFiles.holding(index, timeIndex);
        lastIndexedPosition = index.last().position();
    }

    /** What reading the records after the last index entries found: where the segment ends, its newest record. */
    public void adoptTail(long nextOffset, long largestTimestamp, long offsetOfLargest, long firstTimestamp) {
        this.nextOffset = nextOffset;
        this.largestTimestamp = largestTimestamp;
        this.offsetOfLargest = offsetOfLargest;
        this.firstTimestamp = firstTimestamp;
    }

    /** The offset index file as it lies on disk, whatever the index in memory says; empty if unreadable. */
    public SegmentIndex indexOnDisk() throws IOException {
        try {
            return indexFiles.readOffsets(baseOffset, Long.MAX_VALUE);
        } catch (IllegalArgumentException damaged) {
            return new SegmentIndex(baseOffset);
        }
    }

    /** Cuts the file after the good batches a {@link SegmentScan#rescan} found, rewrites both indexes and forces it all. */
    public void truncateToRescanned() throws IOException {
        log.truncate(size);
        rewriteIndexes();
        log.force(true);
        durableSize = size;
    }

    /** Says that every byte of the segment is on disk, as a rescan of a flushed segment found it. */
    public void markDurable() {
        durableSize = size;
    }

    /** Writes index entries added since the last write. The indexes can always be rebuilt from the log. */
    void writeIndexes() throws IOException {
        indexFiles.writeNew(index, timeIndex);
    }

    /** Replaces both index files with the indexes in memory, and forces them. */
    public void rewriteIndexes() throws IOException {
        indexFiles.rewrite(index, timeIndex);
    }

    /**
     * Forces the records to disk: what fsync-per-append waits for. It runs outside the log's lock, so the
     * segment may have been closed meanwhile; if that close came after everything was forced (a roll
     * seals and flushes before retention can delete a segment, and a clean close flushes first), there is
     * nothing left to force and the records are durable.
     */
    public void forceLog() throws IOException {
        try {
            log.force(false);
        } catch (DiskFile.ClosedException closed) {
            if (!closedDurably) {
                throw closed;
            }
        }
    }

    // tag::flush[]
    /** Writes and forces everything: the records and both indexes. */
    void flush() throws IOException {
        writeIndexes();
        log.force(true);
        indexFiles.force();
        durableSize = size;
    }
    // end::flush[]

    /** Keeps the active segment's {@code .log} open whatever the bound: appends and tail reads never wait for an open. */
    public void holdForAppends() throws IOException {
        log.hold();
    }

    /** No longer the active segment: its {@code .log} may be closed when idle, as its indexes may. */
    void sealedForAppends() {
        log.letGo();
    }

    /** Closes the segment for appends: a last time entry records its newest timestamp, then all is flushed. */
    public void seal() throws IOException {
        if (nextOffset > baseOffset) {
            timeIndex.maybeAdd(largestTimestamp, offsetOfLargest); // the newest record's batch, as Kafka does
        }
        flush();
    }

    public long baseOffset() {
        return baseOffset;
    }

    public long nextOffset() {
        return nextOffset;
    }

    public long size() {
        return size;
    }

    long firstTimestamp() {
        return firstTimestamp;
    }

    long largestTimestamp() {
        return largestTimestamp;
    }

    boolean isEmpty() {
        return nextOffset == baseOffset;
    }

    public SegmentIndex index() {
        return index;
    }

    /** Retention's progress in archiving this segment: every record below this offset is in the archive. */
    public long archivedBelow() {
        return archivedBelow;
    }

    public void archivedBelow(long offset) {
        archivedBelow = offset;
    }

    public String name() {
        return PartitionDirectory.fileName(baseOffset, "log");
    }

    public Path file(String extension) {
        return dir.resolve(PartitionDirectory.fileName(baseOffset, extension));
    }

    public SegmentInfo info() {
        return new SegmentInfo(baseOffset, nextOffset, size, index.entries(), timeIndex.entries(), loadFirstTimestamp(),
                largestTimestamp);
    }

    /**
     * The first batch's newest timestamp. Appends and rescans learn it, as does loading the active segment; a
     * sealed segment loaded from its indexes has not read that batch, so its first listing reads the batch's
     * header, once. Kafka's LogSegment loads its first batch timestamp as lazily: opening a log of many
     * segments reads nothing more for it.
     */
    private long loadFirstTimestamp() {
        if (firstTimestamp == NO_TIMESTAMP && size >= RecordBatch.HEADER_SIZE) {
            try {
                firstTimestamp = SegmentReader.firstBatchMaxTimestamp(log).orElse(NO_TIMESTAMP);
            } catch (IOException unreadable) {
                // left unknown: a listing is for looking, and the reads that need these bytes report the damage
            }
        }
        return firstTimestamp;
    }

    @Override
    public void close() throws IOException {
        closedDurably = durableSize == size;
        try (log; indexFiles) {
            // closes all three, even if one fails
        }
    }

    /**
     * Deletes the files but leaves them open: a reader that found this segment before the cleaner replaced
     * it reads on from the open files. {@link #close} lets them go.
     */
    public void unlinkKeepingOpen() throws IOException {
        log.hold(); // a file without a name could not be opened again by it
        indexFiles.hold();
        PartitionDirectory.deleteSegmentFiles(dir, baseOffset);
    }

    /** Closes the files and deletes them. */
    public void delete() throws IOException {
        close();
        PartitionDirectory.deleteSegmentFiles(dir, baseOffset);
    }

    /** Closes the files and renames them to end in {@code .damaged}, the log first, where no log will read them. */
    public void moveAside() throws IOException {
        close();
        PartitionDirectory.moveSegmentFilesAside(dir, baseOffset);
    }
}
