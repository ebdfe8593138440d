package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static toykafka.lesson08.TestRecords.order;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;
import toykafka.lesson09.FileLog;

/**
 * A segment at its edges: the batch that gets an index entry once index.interval.bytes of batches are written,
 * and a read that starts inside a batch of several records, which needs the next batch for the records it lacks.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SegmentBoundariesTest {

    @TempFileLogs
    FileLogs logs;

    private FileLog open(int partition, TopicConfig config) {
        return logs.open("orders", partition, config);
    }

    /** The bytes one batch of order n takes, for n of one digit: all of them the same. */
    private long batchSize() {
        FileLog probe = open(9, TopicConfig.defaults());
        probe.append(order(1));
        return probe.segments().get(0).bytes();
    }

    private FileLog nineBatches(long indexIntervalBytes) {
        FileLog log = open(0, TopicConfig.defaults().with(TopicConfig.INDEX_INTERVAL_BYTES, indexIntervalBytes));
        for (int i = 0; i < 9; i++) {
            log.append(order(i));
        }
        return log;
    }

    @Test
    void the_batch_starting_exactly_index_interval_bytes_after_the_last_entry_gets_the_next_entry() {
        long size = batchSize();

        FileLog log = nineBatches(2 * size); // batches start at 0, size, 2 size, …, 8 size

        assertEquals(4, log.segments().get(0).indexEntries(), "entries at 2, 4, 6 and 8 batches' bytes");
        assertEquals(new IndexEntry(2, (int) (2 * size)), log.locate(2).indexEntry(), "the first entry is batch 2's");
    }

    @Test
    void with_index_interval_bytes_0_every_batch_but_the_first_gets_an_entry() {
        FileLog log = nineBatches(0);

        assertEquals(8, log.segments().get(0).indexEntries(), "the first batch is found at byte 0 without one");
        for (int i = 0; i < 9; i++) {
            assertEquals(order(i), log.read(i));
        }
    }

    @Test
    void a_read_from_inside_a_batch_takes_the_next_batch_for_the_records_it_lacks() {
        FileLog log = open(0, TopicConfig.defaults());
        for (int batch = 0; batch < 4; batch++) {
            List<Record> five = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                five.add(order(5 * batch + i));
            }
            log.appendAll(five);
        }

        assertEquals(List.of(3L, 4L, 5L), offsets(log.readBatchWithOffsets(3, 3)), "two from the first batch, one more");
        assertEquals(List.of(3L, 4L), offsets(log.readBatchWithOffsets(3, 2)));
        assertEquals(9, log.readBatchWithOffsets(1, 9).size());
    }

    private static List<Long> offsets(List<OffsetRecord> records) {
        return records.stream().map(OffsetRecord::offset).toList();
    }
}
