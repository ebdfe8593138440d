package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static toykafka.lesson08.TestConfigs.ONE_SEGMENT;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.archive.Archive;
import toykafka.lesson09.ClosedLogs;
import toykafka.lesson09.FileLog;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;

/** An index entry a read finds pointing astray is repaired in the {@code .index} file too, entries and all. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IndexRepairOnReadTest {

    @TempFileLogs
    FileLogs logs;

    /** The index file of the log's first segment. */
    private static Path indexOf(Path dir) {
        return dir.resolve(PartitionDirectory.fileName(0, "index"));
    }

    /** Damages the index file: its first entry now points one byte off its record. Returns the offset it names. */
    private static int pointFirstEntryOneByteOff(Path index) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(index));
        bytes.putInt(4, bytes.getInt(4) ^ 1);
        Files.write(index, bytes.array());
        return bytes.getInt(0);
    }

    @Test
    void the_next_open_finds_every_entry_of_the_repaired_index_in_its_file() throws IOException {
        FileLog written = logs.ordersWith(100, ONE_SEGMENT);
        int entries = written.segments().get(0).indexEntries();
        written.close();
        Path index = indexOf(written.directory());
        int wrongOffset = pointFirstEntryOneByteOff(index);

        try (FileLog log = logs.orders(ONE_SEGMENT)) {
            assertEquals(order(wrongOffset), log.read(wrongOffset), "the read repairs the index");
        }
        assertEquals(entries * SegmentIndex.ENTRY_SIZE, Files.size(index));

        try (FileLog log = logs.orders(ONE_SEGMENT)) {
            assertEquals(entries, log.segments().get(0).indexEntries(), "the open trusts the repaired file whole");
            assertEquals(order(wrongOffset), log.read(wrongOffset));
        }
    }

    @Test
    void the_repaired_index_file_is_forced_before_the_read_goes_on() throws IOException {
        Path index = indexOf(ClosedLogs.ordersWith(logs, 100, ONE_SEGMENT));
        int wrongOffset = pointFirstEntryOneByteOff(index);
        FaultyDisk disk = new FaultyDisk();

        try (FileLog log = logs.open(dataDir -> FileLog.open(dataDir, "orders", 0, ONE_SEGMENT, Clock.systemUTC(),
                Archive.discard(), disk.opener()))) {
            disk.forced.clear();
            assertEquals(order(wrongOffset), log.read(wrongOffset));

            assertEquals(List.of(index.getFileName().toString()), disk.forced, "the repair forces what it wrote");
            assertEquals(Set.of(), disk.unforced(), "a power loss now leaves the repaired file whole");
        }
    }
}
