package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.check.MessageFacts.assertMentions;
import static toykafka.lesson08.TestConfigs.ONE_SEGMENT;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.tools.SegmentDump;
import toykafka.lesson09.ClosedLogs;
import toykafka.lesson09.FileLog;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;

/**
 * Byte 0 is where every lookup starts when no entry is at or before the offset, and there the seek expects the
 * segment's first batch to begin at the base offset. An index entry names a batch's last offset, so an entry at
 * byte 0 would contradict that: the segment never writes one, and a damaged index file that has one is rebuilt.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IndexEntryAtTheSegmentStartTest {

    @TempFileLogs
    FileLogs logs;

    @Test
    void an_entry_at_byte_0_is_refused() {
        SegmentIndex index = new SegmentIndex(100);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> index.add(104, 0));
        assertMentions(refused, 0);
        assertEquals(0, index.entries());
        index.add(104, 1);
        assertEquals(new IndexEntry(104, 1), index.lookup(104), "any byte after the start is a batch's place");
    }

    @Test
    void an_index_file_whose_first_entry_was_zeroed_is_rebuilt_at_open_and_every_record_reads_back() throws IOException {
        Path dir = ClosedLogs.ordersWith(logs, 30, ONE_SEGMENT);
        Path indexFile = dir.resolve(PartitionDirectory.fileName(0, "index"));
        ByteBuffer entries = ByteBuffer.wrap(Files.readAllBytes(indexFile));
        assertTrue(entries.getInt(4) > 0, "the first entry points past the first batch");
        entries.putInt(4, 0); // its position, as if its bits were cleared
        Files.write(indexFile, entries.array());

        try (FileLog log = logs.orders(ONE_SEGMENT)) {
            for (int i = 0; i < 30; i++) {
                assertEquals(order(i), log.read(i), "record " + i);
            }
        }
        assertTrue(SegmentDump.verify(dir.resolve(PartitionDirectory.fileName(0, "log"))).ok(),
                "the index was rebuilt on disk");
    }
}
