package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestConfigs.SMALL;
import static toykafka.lesson08.TestRecords.START;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.CorruptRecordException;
import toykafka.common.RecordBatch;
import toykafka.lesson09.FileLog;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;

/**
 * A segment's listing gives its first batch's newest timestamp, what segment.ms counts from: learned by the
 * appends, and read from that batch's header when the segment was loaded from its indexes.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SegmentFirstTimestampTest {

    @TempFileLogs
    FileLogs logs;

    private FileLog twentyOrders() {
        FileLog log = logs.open("orders", 0, SMALL);
        for (int i = 0; i < 20; i++) {
            log.append(order(i));
        }
        return log;
    }

    private static List<Long> firstTimestamps(FileLog log) {
        return log.segments().stream().map(SegmentInfo::firstTimestamp).toList();
    }

    /** order(n) is stamped n seconds after START, so a segment's first batch is stamped by its base offset. */
    private static List<Long> stampsOfBaseOffsets(FileLog log) {
        return log.segments().stream().map(segment -> START.plusSeconds(segment.baseOffset()).toEpochMilli()).toList();
    }

    @Test
    void each_segment_gives_its_first_batch_s_time_and_gives_it_again_when_reopened() {
        FileLog log = twentyOrders();
        assertTrue(log.segments().size() >= 3, "20 orders of about 50 bytes fill several segments: " + log.segments());
        assertEquals(stampsOfBaseOffsets(log), firstTimestamps(log), "as the appends learned them");

        logs.closeAll();
        FileLog reopened = logs.open("orders", 0, SMALL);
        assertEquals(stampsOfBaseOffsets(reopened), firstTimestamps(reopened), "read from each first batch's header");
    }

    @Test
    void a_first_batch_of_several_records_gives_its_newest_as_kafka_s_log_segment_does() {
        FileLog log = logs.open("orders", 0, SMALL);
        log.appendAll(List.of(order(5), order(3)));
        long newest = START.plusSeconds(5).toEpochMilli();
        assertEquals(newest, log.segments().get(0).firstTimestamp());

        for (int i = 6; i < 20; i++) {
            log.append(order(i)); // rolls: the first segment is sealed and reopens from its indexes
        }
        logs.closeAll();
        assertEquals(newest, logs.open("orders", 0, SMALL).segments().get(0).firstTimestamp());
    }

    @Test
    void an_empty_segment_has_none() {
        assertEquals(List.of(Long.MIN_VALUE), firstTimestamps(logs.open("orders", 0, SMALL)));
    }

    @Test
    void a_first_header_damaged_under_an_open_log_leaves_the_time_unknown_and_the_read_there_says_why()
            throws IOException {
        twentyOrders();
        logs.closeAll();
        FileLog reopened = logs.open("orders", 0, SMALL); // no sealed segment has listed its first batch yet
        Damage.flipByte(logs.dir().resolve("orders-0").resolve(PartitionDirectory.fileName(0, "log")),
                RecordBatch.MAGIC_AT);

        List<Long> times = firstTimestamps(reopened);
        assertEquals(Long.MIN_VALUE, times.get(0), "unknown, rather than a listing that fails: " + times);
        assertEquals(stampsOfBaseOffsets(reopened).subList(1, times.size()), times.subList(1, times.size()));
        assertThrows(CorruptRecordException.class, () -> reopened.read(0));
    }
}
