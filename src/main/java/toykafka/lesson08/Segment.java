package toykafka.lesson08;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import toykafka.common.CorruptRecordException;

/**
 * One segment of a partition: a {@code .log} file of frames and its two sparse indexes, all named by the
 * base offset. Only the newest segment, the active one, is appended to; older ones are only read.
 * Not thread-safe: the {@link FileLog} that owns it serialises access, except for the fsync that
 * group commit runs outside the log's lock and for retention's archiving of a segment already chosen.
 */
final class Segment implements AutoCloseable {

    static final long NO_TIMESTAMP = Long.MIN_VALUE;
    private static final System.Logger LOG = System.getLogger(Segment.class.getName());
    /** Where a seek reads at most at once: enough for one index interval in all but odd settings. */
    private static final int MAX_SEEK_WINDOW = 64 * 1024;

    private final Path dir;
    private final long baseOffset;
    private final int indexIntervalBytes;
    private final DiskFile log;
    private final DiskFile indexFile;
    private final DiskFile timeIndexFile;
    private SegmentIndex index;
    private TimeIndex timeIndex;
    private int indexEntriesWritten;
    private int timeEntriesWritten;

    private long size;
    private long nextOffset;
    private long firstTimestamp = NO_TIMESTAMP;
    private long largestTimestamp = NO_TIMESTAMP;
    private long lastIndexedPosition;
    private long durableSize;                // bytes known to be on disk, indexes and all
    private volatile boolean closedDurably;  // closed with every byte on disk: a late fsync has nothing to do
    private ByteBuffer seekWindow;
    private long archivedBelow;              // retention's progress: records below this offset are archived

    /** Where a frame starts in the file, and its size. */
    private record FrameAt(long position, int size) {
    }

    private Segment(Path dir, long baseOffset, int indexIntervalBytes, List<DiskFile> files) {
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.indexIntervalBytes = indexIntervalBytes;
        this.log = files.get(0);
        this.indexFile = files.get(1);
        this.timeIndexFile = files.get(2);
        this.index = new SegmentIndex(baseOffset);
        this.timeIndex = new TimeIndex(baseOffset);
        this.nextOffset = baseOffset;
        this.archivedBelow = baseOffset;
    }

    /** A new, empty segment. */
    static Segment create(Path dir, long baseOffset, int indexIntervalBytes, DiskFile.Opener opener)
            throws IOException {
        return open(dir, baseOffset, indexIntervalBytes, opener, true);
    }

    /** An existing segment, not yet loaded: call {@link #loadSealed}, {@link #loadActive} or {@link #recover}. */
    static Segment open(Path dir, long baseOffset, int indexIntervalBytes, DiskFile.Opener opener)
            throws IOException {
        return open(dir, baseOffset, indexIntervalBytes, opener, false);
    }

    /** Opens the three files; if one cannot be opened, closes those that were. */
    private static Segment open(Path dir, long baseOffset, int indexIntervalBytes, DiskFile.Opener opener,
                                boolean fresh) throws IOException {
        List<DiskFile> files = new ArrayList<>(3);
        try {
            for (String extension : List.of("log", "index", "timeindex")) {
                files.add(DiskFile.open(dir.resolve(PartitionDirectory.fileName(baseOffset, extension)), fresh, opener));
            }
        } catch (IOException | RuntimeException e) {
            for (DiskFile opened : files) {
                closeQuietly(opened, e);
            }
            throw e;
        }
        return new Segment(dir, baseOffset, indexIntervalBytes, files);
    }

    // tag::append[]
    /** Writes an encoded batch at the end of the file, with one write, then indexes its records. */
    void append(Batch batch) throws IOException {
        long position = size;
        log.writeFully(batch.frames(), position);
        int[] sizes = batch.sizes();
        long[] timestamps = batch.timestamps();
        for (int i = 0; i < batch.count(); i++) {
            note(batch.firstOffset() + i, position, sizes[i], timestamps[i]);
            position += sizes[i];
        }
    }
    // end::append[]

    // tag::note[]
    /** Takes a frame into account: sizes, offsets, timestamps, and an index entry every indexIntervalBytes. */
    private void note(long offset, long position, int frameSize, long timestamp) {
        if (position > 0 && position - lastIndexedPosition >= indexIntervalBytes) {
            timeIndex.maybeAdd(largestTimestamp, offset - 1); // nothing up to the previous record is newer
            index.add(offset, (int) position);
            lastIndexedPosition = position;
        }
        if (firstTimestamp == NO_TIMESTAMP) {
            firstTimestamp = timestamp;
        }
        largestTimestamp = Math.max(largestTimestamp, timestamp);
        nextOffset = offset + 1;
        size = position + frameSize;
    }
    // end::note[]

    // tag::repair[]
    /**
     * Where the record with this offset starts, and its size. If the walk from the index entry fails, the
     * entry itself may be what is damaged: then the index is rebuilt from the records, and the walk
     * runs again, instead of blaming an intact .log.
     */
    private FrameAt seek(long offset) throws IOException {
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
    // end::repair[]

    /**
     * Whether an index entry is wrong rather than the records it points to: read from the entry before it
     * to the entry's offset and see where that record really starts.
     */
    private boolean pointsAstray(IndexEntry suspect) throws IOException {
        IndexEntry before = index.lookup(suspect.offset() - 1);
        SegmentReader reader = reader(before.position(), before.offset());
        try {
            while (reader.next()) {
                if (reader.offset() == suspect.offset()) {
                    return reader.position() != suspect.position();
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
        CorruptRecordException problem = rescan();
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
        indexFile.truncate(0);
        indexEntriesWritten = 0;
        indexFile.writeFully(index.encode(0), 0);
        indexEntriesWritten = index.entries();
        indexFile.force(true);
        LOG.log(System.Logger.Level.WARNING, "{0}: entry {1} did not point at the start of its record; the index"
                + " was rebuilt from the records in {2}", file("index").getFileName(), wrong, name());
    }

    // tag::seek[]
    /**
     * From the index entry at or before the offset, steps from frame to frame by their length fields,
     * checking each one's offset but not its CRC: these frames are passed over, not handed out. That
     * reads about index.interval.bytes, in one read as a rule.
     */
    private FrameAt seekFrom(IndexEntry entry, long offset) throws IOException {
        ByteBuffer window = seekWindow();
        long position = entry.position();
        long at = entry.offset();
        while (position < size) {
            int wanted = (int) Math.min(window.capacity(), size - position);
            int got = log.readFully(window.clear().limit(wanted), position);
            int step = 0; // from frame to frame within the window
            while (step + RecordCodec.FRAME_HEAD <= got) {
                int frame;
                try {
                    frame = RecordCodec.frameSizeAt(window, step, at);
                } catch (RecordCodec.BadFrame bad) {
                    throw new CorruptRecordException(name(), position + step, bad.getMessage());
                }
                if (position + step + frame > size) {
                    throw new CorruptRecordException(name(), position + step, "the segment ends inside this frame"
                            + " (its length field asks for " + frame + " bytes)");
                }
                if (at == offset) {
                    return new FrameAt(position + step, frame);
                }
                step += frame;
                at++;
            }
            if (step == 0) {
                throw got < wanted ? cutShort(position + got) : new CorruptRecordException(name(), position,
                        "the last " + (size - position) + " bytes are not a whole frame");
            }
            position += step; // the next frame starts here, inside this window or past it
        }
        throw new CorruptRecordException(name(), size, "the segment ends here, before offset " + offset
                + ", though it should hold offsets up to " + (nextOffset - 1) + ": records are missing");
    }
    // end::seek[]

    private ByteBuffer seekWindow() {
        if (seekWindow == null) {
            seekWindow = ByteBuffer.allocate(Math.min(indexIntervalBytes, MAX_SEEK_WINDOW) + RecordCodec.FRAME_HEAD);
        }
        return seekWindow;
    }

    // tag::read[]
    /**
     * Checked frames from {@code fromOffset} on: at most {@code maxRecords}, as many whole ones as fit in
     * {@code into} (at least one: a larger buffer is used if the first does not fit), never past the end
     * of the segment. Reads only what those records need, guessing from the first record's size.
     */
    Frames read(long fromOffset, ByteBuffer into, int maxRecords) throws IOException {
        FrameAt first = seek(fromOffset);
        if (first.size() > into.capacity()) {
            into = ByteBuffer.allocateDirect(first.size());
        }
        long room = Math.min(into.capacity(), size - first.position());
        long guess = (long) first.size() * maxRecords;
        RecordCodec.Checker checker = new RecordCodec.Checker(into.clear());
        int filled = 0;
        int at = 0;
        int count = 0;
        while (count < maxRecords) {
            int frame;
            try {
                frame = checker.check(at, filled - at, fromOffset + count);
            } catch (RecordCodec.BadFrame bad) {
                if (count > 0) {
                    break; // hand out the good frames before it; the next read starting here reports it
                }
                throw new CorruptRecordException(name(), first.position() + at, bad.getMessage());
            }
            if (frame > 0) {
                at += frame;
                count++;
                continue;
            }
            // the next frame is not all in the buffer yet: read on, as far as the records still wanted need
            long need = at + (filled - at >= RecordCodec.FRAME_HEAD ? 4L + into.getInt(at) : RecordCodec.FRAME_HEAD);
            if (need > room) {
                if (count == 0) {
                    throw cutShort(first.position() + filled); // only a file cut short ends before its first frame
                }
                break; // it does not fit in this buffer, or the segment ends: the next read starts with it
            }
            long wanted = count == 0 ? guess : at + (long) (at / count) * (maxRecords - count);
            int until = (int) Math.min(room, Math.max(need, wanted));
            filled += log.readFully(into.limit(until).position(filled), first.position() + filled);
            if (filled < until) {
                room = filled; // the file ends early: hand out the whole frames before that
            }
        }
        return new Frames(into.slice(0, at), fromOffset, count);
    }
    // end::read[]

    /** The file is shorter than the segment: someone cut it while the log had it open. */
    private CorruptRecordException cutShort(long fileSize) {
        return new CorruptRecordException(name(), fileSize, "the file ends here, before the segment's " + size
                + " bytes: it was cut short while in use");
    }

    /** The byte at which the record with this offset starts: an index lookup, then a short seek. */
    long positionOf(long offset) throws IOException {
        return seek(offset).position();
    }

    // tag::time[]
    /** The first offset in this segment whose record is stamped at or after {@code timestamp}. */
    OptionalLong offsetForTime(long timestamp) throws IOException {
        if (largestTimestamp < timestamp) {
            return OptionalLong.empty();
        }
        long from = timeIndex.scanFrom(timestamp);
        IndexEntry start = index.lookup(from);
        SegmentReader reader = reader(start.position(), start.offset());
        while (reader.next()) {
            if (reader.offset() >= from && reader.timestamp() >= timestamp) {
                return OptionalLong.of(reader.offset());
            }
        }
        return OptionalLong.empty();
    }
    // end::time[]

    SegmentReader reader(long position, long expectedOffset) {
        return new SegmentReader(log::read, name(), position, expectedOffset, size);
    }

    // tag::recover[]
    /**
     * Rebuilds this segment from its .log alone: reads every frame, checking each, and rebuilds both
     * indexes. At the first frame that is torn or damaged, cuts the file there. Returns what it found
     * wrong, or null if every frame was good. Only for the newest segment after a crash: a torn write
     * can only be there.
     */
    CorruptRecordException recover() throws IOException {
        SegmentIndex indexOnDisk = indexAsWritten();
        CorruptRecordException problem = rescan();
        if (problem != null && goodRecordsFollow(problem.position(), indexOnDisk)) {
            throw new CorruptRecordException(name(), problem.position(), problem.reason() + "; good records follow"
                    + " it, so this is damage inside the log, not the tail of a write the crash cut off");
        }
        log.truncate(size);
        rewriteIndexes();
        log.force(true);
        durableSize = size;
        return problem;
    }
    // end::recover[]

    /**
     * Rebuilds the indexes of a segment that was flushed whole: refuses, cutting nothing, if a record is
     * damaged, or if the records stop before {@code nextBaseOffset}, where the next segment begins.
     */
    void rebuildIndexes(long nextBaseOffset) throws IOException {
        rescanWhole(nextBaseOffset);
        rewriteIndexes();
    }

    /** Reads every record and rebuilds the indexes in memory only; refuses as {@link #rebuildIndexes} does. */
    void rescanWhole(long nextBaseOffset) throws IOException {
        CorruptRecordException problem = rescan();
        if (problem != null) {
            throw problem;
        }
        if (nextBaseOffset >= 0) {
            requireEndsBefore(nextBaseOffset, nextOffset - 1);
        }
        durableSize = size;
    }

    /**
     * A crash can only tear the end of what was written. So a bad frame is a torn tail only if nothing
     * good comes after it: not the frame its length field points to, nor one an index entry past it
     * points to. Either found means records after the damage, perhaps acknowledged: never cut those.
     */
    private boolean goodRecordsFollow(long badAt, SegmentIndex indexOnDisk) throws IOException {
        long fileSize = log.size();
        ByteBuffer lengthField = ByteBuffer.allocate(4);
        if (log.readFully(lengthField, badAt) == 4) {
            long after = badAt + 4 + Integer.toUnsignedLong(lengthField.getInt(0));
            if (after < fileSize && isGoodFrame(after, nextOffset + 1, fileSize)) {
                return true;
            }
        }
        for (int i = 0; i < indexOnDisk.entries(); i++) {
            IndexEntry entry = indexOnDisk.entry(i);
            if (entry.position() > badAt && entry.position() < fileSize
                    && isGoodFrame(entry.position(), entry.offset(), fileSize)) {
                return true;
            }
        }
        return false;
    }

    private boolean isGoodFrame(long position, long offset, long fileSize) throws IOException {
        try {
            return new SegmentReader(log::read, name(), position, offset, fileSize).next();
        } catch (CorruptRecordException notAFrame) {
            return false;
        }
    }

    /** The index file as the crash left it, for evidence only; an unreadable one is no evidence. */
    private SegmentIndex indexAsWritten() throws IOException {
        try {
            return SegmentIndex.decode(baseOffset, readAll(indexFile), Long.MAX_VALUE);
        } catch (IllegalArgumentException damaged) {
            return new SegmentIndex(baseOffset);
        }
    }

    private CorruptRecordException rescan() throws IOException {
        index = new SegmentIndex(baseOffset);
        timeIndex = new TimeIndex(baseOffset);
        size = 0;
        nextOffset = baseOffset;
        firstTimestamp = NO_TIMESTAMP;
        largestTimestamp = NO_TIMESTAMP;
        lastIndexedPosition = 0;
        SegmentReader reader = new SegmentReader(log::read, name(), 0, baseOffset, log.size());
        try {
            while (reader.next()) {
                note(reader.offset(), reader.position(), reader.size(), reader.timestamp());
            }
            return null;
        } catch (CorruptRecordException bad) {
            return bad;
        }
    }

    // tag::load[]
    /**
     * Loads a flushed, older segment: trusts its indexes, and reads only the records after the last index
     * entry (about index.interval.bytes) to check that they end exactly where the file ends, with the
     * record just before {@code nextBaseOffset}: a file cut short must not pass for a whole one.
     */
    void loadSealed(long nextBaseOffset) throws IOException {
        loadIndexes();
        if (size > 0 && timeIndex.entries() == 0) {
            throw new IllegalArgumentException("a sealed segment's time index has no entry, not even its last");
        }
        if (timeIndex.entries() > 0 && timeIndex.offset(timeIndex.entries() - 1) >= nextBaseOffset) {
            throw new IllegalArgumentException("the time index names an offset past the segment's last record");
        }
        Tail tail = readTail();
        requireEndsBefore(nextBaseOffset, tail.lastOffset());
        if (tail.newest() != timeIndex.lastTimestamp()) { // sealing wrote an entry for the newest record
            throw new IllegalArgumentException("the time index's last entry says " + timeIndex.lastTimestamp()
                    + ", but the newest record is stamped " + tail.newest() + ": entries are missing or wrong");
        }
        nextOffset = nextBaseOffset;
        largestTimestamp = tail.newest();
    }
    // end::load[]

    /** The last record's offset and the newest timestamp among the records the time index cannot vouch for. */
    private record Tail(long lastOffset, long newest) {
    }

    /**
     * Reads the records after the second-to-last time index entry (and at least those after the last
     * offset index entry). Entries are added only when the newest timestamp grows, so the newest record
     * of the segment lies in that stretch; a time index cut short, or with a changed last entry, then
     * disagrees with what is read. A few KiB as a rule.
     */
    private Tail readTail() throws IOException {
        int entries = timeIndex.entries();
        long from = entries >= 2 ? timeIndex.offset(entries - 2) + 1 : baseOffset;
        IndexEntry start = index.lookup(Math.min(from, index.last().offset()));
        SegmentReader reader = reader(start.position(), start.offset());
        long lastOffset = start.offset() - 1;
        long newest = NO_TIMESTAMP;
        while (reader.next()) {
            lastOffset = reader.offset();
            if (lastOffset >= from) {
                newest = Math.max(newest, reader.timestamp());
            }
        }
        return new Tail(lastOffset, newest);
    }

    private void requireEndsBefore(long nextBaseOffset, long lastOffset) {
        if (lastOffset != nextBaseOffset - 1) {
            String missing = lastOffset + 2 == nextBaseOffset ? "record " + (lastOffset + 1) + " is missing"
                    : "records " + (lastOffset + 1) + ".." + (nextBaseOffset - 1) + " are missing";
            throw new CorruptRecordException(name(), size, "the last record here has offset " + lastOffset
                    + ", but the next segment starts at offset " + nextBaseOffset + ": " + missing);
        }
    }

    /** Loads the active segment after a clean shutdown: trusts its indexes, reads the records after the last entry. */
    void loadActive() throws IOException {
        loadIndexes();
        Tail tail = readTail();
        if (timeIndex.entries() > 0 && tail.newest() < timeIndex.lastTimestamp()) {
            throw new IllegalArgumentException("the time index's last entry says " + timeIndex.lastTimestamp()
                    + ", newer than any record after the entry before it (" + tail.newest() + ")");
        }
        largestTimestamp = Math.max(tail.newest(), timeIndex.lastTimestamp());
        nextOffset = Math.max(nextOffset, tail.lastOffset() + 1);
        if (size > 0) {
            SegmentReader head = reader(0, baseOffset);
            head.next();
            firstTimestamp = head.timestamp();
        }
    }

    private void loadIndexes() throws IOException {
        size = log.size();
        durableSize = size; // it was flushed before the shutdown, or before the recovery point moved past it
        index = SegmentIndex.decode(baseOffset, readAll(indexFile), size);
        timeIndex = TimeIndex.decode(baseOffset, readAll(timeIndexFile));
        indexEntriesWritten = index.entries();
        timeEntriesWritten = timeIndex.entries();
        lastIndexedPosition = index.last().position();
    }

    private static ByteBuffer readAll(DiskFile file) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate((int) file.size());
        file.readFully(bytes, 0);
        return bytes.flip();
    }

    /** Writes index entries added since the last write. The indexes can always be rebuilt from the log. */
    void writeIndexes() throws IOException {
        indexFile.writeFully(index.encode(indexEntriesWritten), (long) indexEntriesWritten * SegmentIndex.ENTRY_SIZE);
        indexEntriesWritten = index.entries();
        timeIndexFile.writeFully(timeIndex.encode(timeEntriesWritten),
                (long) timeEntriesWritten * TimeIndex.ENTRY_SIZE);
        timeEntriesWritten = timeIndex.entries();
    }

    /** Replaces both index files with the indexes in memory, and forces them. */
    void rewriteIndexes() throws IOException {
        indexFile.truncate(0);
        timeIndexFile.truncate(0);
        indexEntriesWritten = 0;
        timeEntriesWritten = 0;
        writeIndexes();
        indexFile.force(true);
        timeIndexFile.force(true);
    }

    // tag::force[]
    /**
     * Forces the records to disk: what fsync-per-append waits for. It runs outside the log's lock, so the
     * segment may have been closed meanwhile; if that close came after everything was forced (a roll
     * seals and flushes before retention can delete a segment, and a clean close flushes first), there is
     * nothing left to force and the records are durable.
     */
    void forceLog() throws IOException {
        try {
            log.force(false);
        } catch (DiskFile.ClosedException closed) {
            if (!closedDurably) {
                throw closed;
            }
        }
    }
    // end::force[]

    /** Writes and forces everything: the records and both indexes. */
    void flush() throws IOException {
        writeIndexes();
        log.force(true);
        indexFile.force(true);
        timeIndexFile.force(true);
        durableSize = size;
    }

    /** Closes the segment for appends: a last time entry records its newest timestamp, then all is flushed. */
    void seal() throws IOException {
        if (nextOffset > baseOffset) {
            timeIndex.maybeAdd(largestTimestamp, nextOffset - 1);
        }
        flush();
    }

    long baseOffset() {
        return baseOffset;
    }

    long nextOffset() {
        return nextOffset;
    }

    long size() {
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

    SegmentIndex index() {
        return index;
    }

    /** Retention's progress in archiving this segment: every record below this offset is in the archive. */
    long archivedBelow() {
        return archivedBelow;
    }

    void archivedBelow(long offset) {
        archivedBelow = offset;
    }

    String name() {
        return PartitionDirectory.fileName(baseOffset, "log");
    }

    Path file(String extension) {
        return dir.resolve(PartitionDirectory.fileName(baseOffset, extension));
    }

    SegmentInfo info() {
        return new SegmentInfo(baseOffset, nextOffset, size, index.entries(), timeIndex.entries(), largestTimestamp);
    }

    @Override
    public void close() throws IOException {
        closedDurably = durableSize == size;
        try (log; indexFile; timeIndexFile) {
            // closes all three, even if one fails
        }
    }

    /** Closes the files and deletes them, the log first: index files left behind are removed on open. */
    void delete() throws IOException {
        close();
        for (String extension : List.of("log", "index", "timeindex")) {
            Files.deleteIfExists(file(extension));
        }
    }

    /** Closes the files and renames them to end in {@code .damaged}, the log first, where no log will read them. */
    void moveAside() throws IOException {
        close();
        for (String extension : List.of("log", "index", "timeindex")) {
            Path file = file(extension);
            if (Files.exists(file)) {
                Files.move(file, file.resolveSibling(file.getFileName() + ".damaged"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void closeQuietly(AutoCloseable closeable, Exception failure) {
        try {
            closeable.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
