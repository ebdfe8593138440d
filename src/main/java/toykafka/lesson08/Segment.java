package toykafka.lesson08;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * One segment of a partition: a {@code .log} file of frames and its two sparse indexes, all named by the
 * base offset. Only the newest segment, the active one, is appended to; older ones are only read.
 * Not thread-safe: the {@link FileLog} that owns it serialises access.
 */
final class Segment implements AutoCloseable {

    static final long NO_TIMESTAMP = Long.MIN_VALUE;

    private final Path dir;
    private final long baseOffset;
    private final int indexIntervalBytes;
    private final FileChannel log;
    private final FileChannel indexFile;
    private final FileChannel timeIndexFile;
    private SegmentIndex index;
    private TimeIndex timeIndex;
    private int indexEntriesWritten;
    private int timeEntriesWritten;

    private long size;
    private long nextOffset;
    private long firstTimestamp = NO_TIMESTAMP;
    private long largestTimestamp = NO_TIMESTAMP;
    private long lastIndexedPosition;

    private Segment(Path dir, long baseOffset, int indexIntervalBytes, boolean fresh) throws IOException {
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.indexIntervalBytes = indexIntervalBytes;
        StandardOpenOption create = fresh ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE;
        this.log = FileChannel.open(file("log"), create, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.indexFile = FileChannel.open(file("index"), create, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.timeIndexFile = FileChannel.open(file("timeindex"), create, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        this.index = new SegmentIndex(baseOffset);
        this.timeIndex = new TimeIndex(baseOffset);
        this.nextOffset = baseOffset;
    }

    /** A new, empty segment. */
    static Segment create(Path dir, long baseOffset, int indexIntervalBytes) throws IOException {
        return new Segment(dir, baseOffset, indexIntervalBytes, true);
    }

    /** An existing segment, not yet loaded: call {@link #loadSealed}, {@link #loadActive} or {@link #recover}. */
    static Segment open(Path dir, long baseOffset, int indexIntervalBytes) throws IOException {
        return new Segment(dir, baseOffset, indexIntervalBytes, false);
    }

    // tag::append[]
    /** Writes an encoded batch at the end of the file, with one write, then indexes its records. */
    void append(Batch batch) throws IOException {
        ByteBuffer frames = batch.frames();
        long position = size;
        while (frames.hasRemaining()) {
            log.write(frames, position + frames.position());
        }
        for (int i = 0; i < batch.count(); i++) {
            note(batch.firstOffset() + i, position, batch.sizes()[i], batch.timestamps()[i]);
            position += batch.sizes()[i];
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

    // tag::read[]
    /**
     * Checked frames from {@code fromOffset} on, as many whole ones as fit in {@code into} (at least one:
     * a larger buffer is used if the first does not fit). Empty at the end of the segment.
     */
    Frames read(long fromOffset, ByteBuffer into) throws IOException {
        IndexEntry entry = index.lookup(fromOffset);
        long position = entry.position();
        long expected = entry.offset();
        while (position < size) {
            int length = readAt(position, into.clear());
            RecordCodec.Checker checker = new RecordCodec.Checker(into);
            int at = 0;
            int first = -1;
            while (true) {
                int frame;
                try {
                    frame = checker.check(at, length - at, expected);
                } catch (RecordCodec.BadFrame bad) {
                    if (first >= 0) {
                        break; // hand out the good frames before it; the next read starting here reports it
                    }
                    throw new CorruptRecordException(name(), position + at, bad.getMessage());
                }
                if (frame == 0) {
                    break;
                }
                if (first < 0 && expected >= fromOffset) {
                    first = at;
                }
                at += frame;
                expected++;
            }
            if (first >= 0) {
                return new Frames(into.slice(first, at - first), fromOffset, (int) (expected - fromOffset));
            }
            if (at == 0) { // the next frame does not fit: read it into a buffer of its own size
                into = ByteBuffer.allocateDirect(frameLengthAt(position));
            }
            position += at;
        }
        return new Frames(ByteBuffer.allocate(0), fromOffset, 0);
    }
    // end::read[]

    private int readAt(long position, ByteBuffer into) throws IOException {
        into.limit((int) Math.min(into.capacity(), size - position));
        while (into.hasRemaining()) {
            if (log.read(into, position + into.position()) < 0) {
                break;
            }
        }
        return into.flip().limit();
    }

    /** The size of the frame at a position, read from its length field. */
    private int frameLengthAt(long position) throws IOException {
        ByteBuffer field = ByteBuffer.allocate(4);
        if (position + 4 > size || readAt(position, field) < 4) {
            throw new CorruptRecordException(name(), position, "the segment ends inside this frame");
        }
        long needed = 4L + field.getInt(0);
        if (needed < RecordCodec.FRAME_HEAD + RecordCodec.MIN_BODY || position + needed > size) {
            throw new CorruptRecordException(name(), position, "length field says " + (needed - 4)
                    + " bytes, which does not fit in the segment");
        }
        return (int) needed;
    }

    /** The byte at which the record with this offset starts: an index lookup, then a short scan. */
    long positionOf(long offset) throws IOException {
        IndexEntry entry = index.lookup(offset);
        SegmentReader reader = reader(entry.position(), entry.offset());
        while (reader.next()) {
            if (reader.offset() == offset) {
                return reader.position();
            }
        }
        throw new IllegalArgumentException("offset " + offset + " is not in segment " + name());
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
        return new SegmentReader(log, name(), position, expectedOffset, size);
    }

    // tag::recover[]
    /**
     * Rebuilds this segment from its .log alone: reads every frame, checking each, and rebuilds both
     * indexes. At the first frame that is torn or damaged, cuts the file there. Returns what it found
     * wrong, or null if every frame was good.
     */
    CorruptRecordException recover() throws IOException {
        CorruptRecordException problem = rescan();
        log.truncate(size);
        rewriteIndexes();
        log.force(true);
        return problem;
    }
    // end::recover[]

    /** Rebuilds damaged index files of an older segment; refuses, cutting nothing, if a record is damaged too. */
    void rebuildIndexes() throws IOException {
        CorruptRecordException problem = rescan();
        if (problem != null) {
            throw problem;
        }
        rewriteIndexes();
    }

    private CorruptRecordException rescan() throws IOException {
        index = new SegmentIndex(baseOffset);
        timeIndex = new TimeIndex(baseOffset);
        size = 0;
        nextOffset = baseOffset;
        firstTimestamp = NO_TIMESTAMP;
        largestTimestamp = NO_TIMESTAMP;
        lastIndexedPosition = 0;
        SegmentReader reader = new SegmentReader(log, name(), 0, baseOffset, log.size());
        try {
            while (reader.next()) {
                note(reader.offset(), reader.position(), reader.size(), reader.timestamp());
            }
            return null;
        } catch (CorruptRecordException bad) {
            return bad;
        }
    }

    /** Loads a flushed, older segment: trusts its indexes, reads no records. */
    void loadSealed(long nextBaseOffset) throws IOException {
        size = log.size();
        index = SegmentIndex.decode(baseOffset, readAll(indexFile), size);
        timeIndex = TimeIndex.decode(baseOffset, readAll(timeIndexFile));
        indexEntriesWritten = index.entries();
        timeEntriesWritten = timeIndex.entries();
        if (size > 0 && timeIndex.entries() == 0) {
            throw new IllegalArgumentException("a sealed segment's time index has no entry, not even its last");
        }
        nextOffset = nextBaseOffset;
        largestTimestamp = timeIndex.lastTimestamp();
        lastIndexedPosition = index.last().position();
    }

    /** Loads the active segment after a clean shutdown: trusts its indexes, reads the records after the last entry. */
    void loadActive() throws IOException {
        size = log.size();
        index = SegmentIndex.decode(baseOffset, readAll(indexFile), size);
        timeIndex = TimeIndex.decode(baseOffset, readAll(timeIndexFile));
        indexEntriesWritten = index.entries();
        timeEntriesWritten = timeIndex.entries();
        IndexEntry last = index.last();
        lastIndexedPosition = last.position();
        largestTimestamp = timeIndex.lastTimestamp();
        SegmentReader tail = new SegmentReader(log, name(), last.position(), last.offset(), size);
        while (tail.next()) {
            largestTimestamp = Math.max(largestTimestamp, tail.timestamp());
            nextOffset = tail.offset() + 1;
        }
        if (size > 0) {
            SegmentReader head = reader(0, baseOffset);
            head.next();
            firstTimestamp = head.timestamp();
        }
    }

    private static ByteBuffer readAll(FileChannel channel) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate((int) channel.size());
        while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) >= 0) {
            // keep reading until full
        }
        return bytes.flip();
    }

    /** Writes index entries added since the last write. The indexes can always be rebuilt from the log. */
    void writeIndexes() throws IOException {
        writeFully(indexFile, index.encode(indexEntriesWritten), (long) indexEntriesWritten * SegmentIndex.ENTRY_SIZE);
        indexEntriesWritten = index.entries();
        writeFully(timeIndexFile, timeIndex.encode(timeEntriesWritten), (long) timeEntriesWritten * TimeIndex.ENTRY_SIZE);
        timeEntriesWritten = timeIndex.entries();
    }

    private void rewriteIndexes() throws IOException {
        indexFile.truncate(0);
        timeIndexFile.truncate(0);
        indexEntriesWritten = 0;
        timeEntriesWritten = 0;
        writeIndexes();
        indexFile.force(true);
        timeIndexFile.force(true);
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes, position + bytes.position());
        }
    }

    /** Forces the records to disk: what fsync-per-append waits for. */
    void forceLog() throws IOException {
        log.force(false);
    }

    /** Writes and forces everything: the records and both indexes. */
    void flush() throws IOException {
        writeIndexes();
        log.force(true);
        indexFile.force(true);
        timeIndexFile.force(true);
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
        try (log; indexFile; timeIndexFile) {
            // closes all three, even if one fails
        }
    }

    /** Closes the files and deletes them, the log first: index files left behind are removed on open. */
    void delete() throws IOException {
        close();
        Files.deleteIfExists(file("log"));
        Files.deleteIfExists(file("index"));
        Files.deleteIfExists(file("timeindex"));
    }
}
