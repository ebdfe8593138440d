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
 * to; older ones are only read. The segment appends, indexes and keeps what is known of its records; finding
 * and reading its batches back is its {@link FileRecords}' job.
 * Not thread-safe: the {@link LocalLog} that owns it serialises access, except for the fsync that
 * group commit runs outside the log's lock and for retention's archiving of a segment already chosen.
 * Kafka's {@code LogSegment}.
 */
public final class Segment implements AutoCloseable {

    public static final long NO_TIMESTAMP = Long.MIN_VALUE;
    private static final System.Logger LOG = System.getLogger(Segment.class.getName());

    private final Path dir;
    private final long baseOffset;
    private final int indexIntervalBytes;
    private final DiskFile log;
    private final IndexFiles indexFiles;
    private final FileRecords records;
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
    private long archivedBelow;              // retention's progress: records below this offset are archived
    private boolean gapsAllowed;             // the cleaner may have removed batches: offsets need not run on

    private Segment(Path dir, long baseOffset, int indexIntervalBytes, List<DiskFile> files) {
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.indexIntervalBytes = indexIntervalBytes;
        this.log = files.get(0);
        this.indexFiles = new IndexFiles(files.get(1), files.get(2));
        this.records = new FileRecords(this, log, indexIntervalBytes);
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
    FileRecords.BatchAt seek(long offset) throws IOException {
        IndexEntry entry = index.lookup(offset);
        try {
            return records.searchForOffset(entry, offset);
        } catch (CorruptRecordException bad) {
            if (entry.position() == 0 || !pointsAstray(entry)) {
                throw bad; // the entry is right, so the .log is damaged there
            }
            repairIndex(entry);
            return records.searchForOffset(index.lookup(offset), offset);
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

    /** Finds where a read from {@code fromOffset} starts: the log holds its lock for this part only. */
    FileRecords.ReadStart readStart(long fromOffset) throws IOException {
        return new FileRecords.ReadStart(seek(fromOffset), size, nextOffset);
    }

    /**
     * Checked batches from the one that holds {@code fromOffset} on, as they lie on disk: enough to hold
     * {@code maxRecords} records from that offset, as many whole batches as fit in {@code into}, never past the
     * end of the segment. Like a Kafka fetch, the first batch may begin before {@code fromOffset}; readers skip
     * what they did not ask for.
     */
    FetchedBatches read(long fromOffset, ByteBuffer into, int maxRecords) throws IOException {
        return records.read(readStart(fromOffset), fromOffset, into, maxRecords);
    }

    /** Reads from a start found earlier, without the log's lock: see {@link FileRecords#read}. */
    FetchedBatches read(FileRecords.ReadStart start, long fromOffset, ByteBuffer into, int maxRecords)
            throws IOException {
        return records.read(start, fromOffset, into, maxRecords);
    }

    /** The batches of the {@code .log}, read back: what a slice of it asks where each batch ends. */
    FileRecords records() {
        return records;
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
