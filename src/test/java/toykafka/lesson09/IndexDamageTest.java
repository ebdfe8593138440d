package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestConfigs.ONE_SEGMENT;
import static toykafka.lesson08.TestConfigs.SMALL;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.TopicConfig;
import toykafka.tools.SegmentDump;
import toykafka.lesson08.SegmentInfo;
import toykafka.lesson08.TimeIndex;
import toykafka.lesson08.PartitionDirectory;
import toykafka.lesson08.Damage;

/** Index files are only hints: a damaged one is noticed and rebuilt from the records, never trusted or blamed on the .log. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IndexDamageTest {

    @TempDir
    Path dataDir;

    private Path closedLogWith(int count, TopicConfig config) {
        try (FileLog log = FileLog.open(dataDir, "orders", 0, config)) {
            for (int i = 0; i < count; i++) {
                log.append(order(i));
            }
            return log.directory();
        }
    }

    private static Path file(Path dir, long base, String extension) {
        return dir.resolve(PartitionDirectory.fileName(base, extension));
    }

    private static void assertEveryLookupIsRight(FileLog log, int count) {
        for (int i = 0; i < count; i++) {
            assertEquals(order(i), log.read(i), "record " + i);
            assertEquals(i, log.offsetForTime(order(i).timestamp()).orElseThrow(), "the first record at order " + i + "'s time");
        }
    }

    @Test
    void a_time_index_cut_short_is_caught_at_open_and_rebuilt() throws IOException {
        Path dir = closedLogWith(30, SMALL);
        Path timeIndex = file(dir, 0, "timeindex");
        long entries = Files.size(timeIndex) / TimeIndex.ENTRY_SIZE;
        Damage.truncate(timeIndex, (entries - 1) * TimeIndex.ENTRY_SIZE); // the seal's entry for the newest record is gone
        assertFalse(SegmentDump.verify(file(dir, 0, "log")).ok(), "verify sees the missing entry");

        try (FileLog log = FileLog.open(dataDir, "orders", 0, SMALL)) {
            SegmentInfo first = log.segments().get(0);
            assertEquals(order((int) first.nextOffset() - 1).timestamp().toEpochMilli(), first.largestTimestamp(),
                    "retention sees the segment's real newest record, not an older one");
            assertEveryLookupIsRight(log, 30);
        }
        assertTrue(SegmentDump.verify(file(dir, 0, "log")).ok(), "the time index was rebuilt on disk");
    }

    @Test
    void a_lowered_last_time_entry_is_caught_at_open_and_rebuilt() throws IOException {
        Path dir = closedLogWith(30, SMALL);
        Path timeIndex = file(dir, 0, "timeindex");
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(timeIndex));
        int last = bytes.limit() - TimeIndex.ENTRY_SIZE;
        bytes.putLong(last, bytes.getLong(last) - 1); // still after the entry before it
        Files.write(timeIndex, bytes.array());

        try (FileLog log = FileLog.open(dataDir, "orders", 0, SMALL)) {
            SegmentInfo first = log.segments().get(0);
            assertEquals(order((int) first.nextOffset() - 1).timestamp().toEpochMilli(), first.largestTimestamp());
            assertEveryLookupIsRight(log, 30);
        }
    }

    @Test
    void a_flipped_bit_in_an_index_entry_is_repaired_on_read_and_the_log_is_not_blamed() throws IOException {
        Path dir = closedLogWith(100, ONE_SEGMENT);
        Path index = file(dir, 0, "index");
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(index));
        int wrongPosition = bytes.getInt(4) ^ 1; // the first entry now points one byte off its record
        bytes.putInt(4, wrongPosition);
        Files.write(index, bytes.array());
        int wrongOffset = bytes.getInt(0);

        try (FileLog log = FileLog.open(dataDir, "orders", 0, ONE_SEGMENT)) {
            assertEquals(order(wrongOffset), log.read(wrongOffset), "the record behind the damaged entry reads right");
            assertEveryLookupIsRight(log, 100);
        }
        List<String> problems = SegmentDump.verify(file(dir, 0, "log")).problems();
        assertEquals(List.of(), problems, "the .index file was rewritten from the records");
    }
}
