package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestRecords.appendOrders;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flush writes only the index entries added since the last write, as Kafka appends to its index files: also
 * after an open, which takes the entries already in the files as written.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IndexFilesWriteTest {

    private static final String INDEX = PartitionDirectory.fileName(0, "index");
    private static final String TIME_INDEX = PartitionDirectory.fileName(0, "timeindex");

    @TempDir
    Path dir;
    private final FaultyDisk disk = new FaultyDisk();

    @Test
    void a_flush_after_the_indexes_were_read_from_their_files_writes_only_the_entries_added_since() throws IOException {
        try (Segment segment = disk.segmentOfOrders(dir, 20)) {
            segment.flush();
        }
        try (Segment segment = Segment.open(dir, 0, 100, disk.opener())) {
            segment.adoptIndexes(segment.logFile().size());
            long newest = order(19).timestamp().toEpochMilli();
            segment.adoptTail(20, newest, 19, order(0).timestamp().toEpochMilli()); // what an open reads in the tail
            int entries = segment.index().entries();
            int times = segment.timeIndex().entries();

            appendOrders(segment, 20, 40);
            segment.flush();

            int added = segment.index().entries() - entries;
            int timesAdded = segment.timeIndex().entries() - times;
            assertTrue(added > 0 && timesAdded > 0, "the appends added entries to both indexes");
            assertEquals((long) added * SegmentIndex.ENTRY_SIZE, disk.channelOf(INDEX).bytesWritten.get());
            assertEquals((long) timesAdded * TimeIndex.ENTRY_SIZE, disk.channelOf(TIME_INDEX).bytesWritten.get());
            assertEquals(segment.index().entries(), segment.indexOnDisk().entries(), "and the file holds them all");
            assertEquals(segment.timeIndex().entries(), TimeIndex.decode(0,
                    ByteBuffer.wrap(Files.readAllBytes(dir.resolve(TIME_INDEX)))).entries());
        }
    }
}
