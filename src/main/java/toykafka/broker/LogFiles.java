package toykafka.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import toykafka.lesson08.BatchLog;
import toykafka.lesson08.FileLog;
import toykafka.lesson08.IndexEntry;
import toykafka.lesson08.PartitionDirectory;
import toykafka.lesson08.SegmentIndex;
import toykafka.lesson08.SegmentInfo;

/**
 * A partition's files as they lie in its folder, for people to look at: its segments, and a segment's offset
 * index as its {@code .index} file holds it. A partition kept in memory has none.
 */
public final class LogFiles {

    private final String partition;
    private final BatchLog log;

    LogFiles(String partition, BatchLog log) {
        this.partition = partition;
        this.log = log;
    }

    /** The segments, oldest first, the active one last. */
    public List<SegmentInfo> segments() {
        return log instanceof FileLog files ? files.segments() : List.of();
    }

    /**
     * The entries of a segment's {@code .index} file: each names the byte of the {@code .log} where a batch
     * starts. The segment writes new entries at each flush, so the active one's file may lag its memory.
     */
    public List<IndexEntry> indexEntries(long baseOffset) {
        if (!(log instanceof FileLog files)) {
            return List.of();
        }
        Path index = files.directory().resolve(PartitionDirectory.fileName(baseOffset, "index"));
        Path segment = files.directory().resolve(PartitionDirectory.fileName(baseOffset, "log"));
        try {
            if (!Files.isRegularFile(segment)) {
                throw new IllegalArgumentException(partition + " has no segment with base offset " + baseOffset
                        + "; its segments start at " + segments().stream().map(SegmentInfo::baseOffset).toList());
            }
            byte[] bytes = Files.isRegularFile(index) ? Files.readAllBytes(index) : new byte[0];
            SegmentIndex read = SegmentIndex.decode(baseOffset, ByteBuffer.wrap(bytes), Files.size(segment));
            List<IndexEntry> entries = new ArrayList<>(read.entries());
            for (int n = 0; n < read.entries(); n++) {
                entries.add(read.entry(n));
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the index of " + partition + " at " + baseOffset + ": "
                    + e.getMessage(), e);
        }
    }
}
