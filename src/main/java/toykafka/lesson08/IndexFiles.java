package toykafka.lesson08;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A segment's two index files, its {@code .index} and {@code .timeindex}, and how many entries of each are in
 * them: the segment adds entries in memory as it appends, and a flush writes only the new ones. Either file can
 * always be rebuilt from the {@code .log}. Not thread-safe: its {@link Segment} serialises access.
 */
final class IndexFiles implements AutoCloseable {

    private final DiskFile offsets;
    private final DiskFile times;
    private int offsetEntriesWritten;
    private int timeEntriesWritten;

    IndexFiles(DiskFile offsets, DiskFile times) {
        this.offsets = offsets;
        this.times = times;
    }

    /** The offset index as its file holds it; {@code logSize} bounds the positions it may name. */
    SegmentIndex readOffsets(long baseOffset, long logSize) throws IOException {
        return SegmentIndex.decode(baseOffset, readAll(offsets), logSize);
    }

    /** The time index as its file holds it. */
    TimeIndex readTimes(long baseOffset) throws IOException {
        return TimeIndex.decode(baseOffset, readAll(times));
    }

    // tag::write[]
    /** Says that the files hold exactly these indexes, as they were just read from them. */
    void holding(SegmentIndex index, TimeIndex timeIndex) {
        offsetEntriesWritten = index.entries();
        timeEntriesWritten = timeIndex.entries();
    }

    /** Writes the entries added since the last write. */
    void writeNew(SegmentIndex index, TimeIndex timeIndex) throws IOException {
        offsets.writeFully(index.encode(offsetEntriesWritten), (long) offsetEntriesWritten * SegmentIndex.ENTRY_SIZE);
        offsetEntriesWritten = index.entries();
        times.writeFully(timeIndex.encode(timeEntriesWritten), (long) timeEntriesWritten * TimeIndex.ENTRY_SIZE);
        timeEntriesWritten = timeIndex.entries();
    }

    /** Replaces both files with the indexes given, and forces them. */
    void rewrite(SegmentIndex index, TimeIndex timeIndex) throws IOException {
        offsets.truncate(0);
        times.truncate(0);
        offsetEntriesWritten = 0;
        timeEntriesWritten = 0;
        writeNew(index, timeIndex);
        force();
    }
    // end::write[]

    /** Replaces the offset index file alone, repaired, and forces it; the time index file is kept. */
    void rewriteOffsets(SegmentIndex index) throws IOException {
        offsets.truncate(0);
        offsetEntriesWritten = 0;
        offsets.writeFully(index.encode(0), 0);
        offsetEntriesWritten = index.entries();
        offsets.force(true);
    }

    void force() throws IOException {
        offsets.force(true);
        times.force(true);
    }

    /** Keeps both files open whatever the bound on open files: before they are unlinked. */
    void hold() throws IOException {
        offsets.hold();
        times.hold();
    }

    private static ByteBuffer readAll(DiskFile file) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate((int) file.size());
        file.readFully(bytes, 0);
        return bytes.flip();
    }

    @Override
    public void close() throws IOException {
        try (offsets; times) {
            // closes both, even if one fails
        }
    }
}
