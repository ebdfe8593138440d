package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.RecordRules;
import toykafka.common.FetchedBatches;

/**
 * How much a read takes from the file: as many bytes as the records asked for need, guessed from the size of the
 * first batch's records, in one read as a rule, even with a large buffer to fill.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SegmentReadSizeTest {

    @TempDir
    Path dir;
    private final FaultyDisk disk = new FaultyDisk();
    private Segment segment;
    private final List<Integer> batchSizes = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        segment.close();
    }

    /** A segment of {@code batches} batches of {@code perBatch} records each. */
    private void segmentOf(int batches, int perBatch) throws IOException {
        segment = Segment.create(dir, 0, 100, disk.opener());
        for (int b = 0; b < batches; b++) {
            List<Record> records = new ArrayList<>();
            for (int i = 0; i < perBatch; i++) {
                records.add(order(b * perBatch + i));
            }
            PreparedAppend batch = PreparedAppend.encode(records, (long) b * perBatch, RecordRules.defaults());
            batchSizes.add(batch.sizeInBytes());
            segment.append(batch);
        }
    }

    private FetchedBatches read(long fromOffset, int maxRecords) throws IOException {
        disk.recordReads.set(0);
        disk.recordBytesRead.set(0);
        return segment.read(fromOffset, ByteBuffer.allocateDirect(64 * 1024), maxRecords);
    }

    @Test
    void three_records_of_one_record_batches_take_one_read_of_exactly_their_three_batches() throws IOException {
        segmentOf(50, 1);

        FetchedBatches fetched = read(10, 3);

        assertEquals(List.of(order(10), order(11), order(12)), fetched.records(10));
        assertEquals(1, disk.recordReads.get(), "the first batch's size tells how much three records take");
        assertEquals(batchSizes.get(10) + batchSizes.get(11) + batchSizes.get(12), disk.recordBytesRead.get());
    }

    @Test
    void the_records_of_one_batch_take_one_read_of_that_batch_alone() throws IOException {
        segmentOf(10, 5);

        FetchedBatches fetched = read(0, 5);

        assertEquals(1, fetched.batches().size());
        assertEquals(1, disk.recordReads.get());
        assertEquals((long) batchSizes.get(0), disk.recordBytesRead.get(), "a record is a fifth of its batch");
    }

    @Test
    void records_wanted_from_inside_a_batch_count_only_from_that_offset() throws IOException {
        segmentOf(10, 5);

        FetchedBatches fetched = read(3, 2);

        List<RecordBatch> batches = fetched.batches();
        assertEquals(1, batches.size(), "records 3 and 4 end the first batch: nothing more is needed");
        assertEquals(List.of(order(3), order(4)), fetched.records(10));
        assertEquals(5, fetched.nextOffset());
    }

    @Test
    void records_wanted_from_inside_a_batch_past_its_end_take_the_next_batch_too() throws IOException {
        segmentOf(10, 5);

        FetchedBatches fetched = read(3, 3);

        assertEquals(2, fetched.batches().size(), "the first batch holds only two records from offset 3");
        assertEquals(List.of(order(3), order(4), order(5)), fetched.records(3));
    }
}
