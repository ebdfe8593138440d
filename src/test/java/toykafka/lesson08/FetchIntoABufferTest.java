package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.CorruptRecordException;
import toykafka.common.TopicConfig;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;
import toykafka.lesson09.FileLog;
import toykafka.common.FetchedBatches;

/**
 * A fetch into a caller's buffer: as many whole batches as fit, counted to the byte; and a batch whose length
 * field says it runs past the end of its segment, refused at that batch.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FetchIntoABufferTest {

    @TempFileLogs
    FileLogs logs;

    @Test
    void a_buffer_that_holds_two_batches_exactly_gets_both_and_a_byte_less_gets_one() {
        FileLog log = logs.ordersWith(6, TopicConfig.defaults());
        int size = (int) (log.locate(1).position() - log.locate(0).position()); // orders 0 to 9 take the same bytes

        FetchedBatches exactly = log.fetch(2, ByteBuffer.allocate(2 * size));
        assertEquals(4, exactly.nextOffset());
        assertEquals(2 * size, exactly.bytes().remaining());

        FetchedBatches less = log.fetch(2, ByteBuffer.allocate(2 * size - 1));
        assertEquals(3, less.nextOffset(), "the second batch waits for the next fetch");
        assertEquals(size, less.bytes().remaining());
    }

    @Test
    void a_batch_whose_length_runs_past_the_end_of_its_sealed_segment_is_refused_at_that_batch() throws IOException {
        TopicConfig small = TopicConfig.defaults().with(TopicConfig.INDEX_INTERVAL_BYTES, 100)
                .with(TopicConfig.SEGMENT_BYTES, 1000);
        FileLog first = logs.ordersWith(40, small);
        long second = first.segments().get(1).baseOffset();
        long segmentBytes = first.segments().get(0).bytes();
        Location damaged = first.locate(2); // early in the first segment: a clean open does not read it
        first.close();
        try (RandomAccessFile raw = new RandomAccessFile(first.directory().resolve(damaged.segment()).toFile(), "rw")) {
            raw.seek(damaged.position() + 8);
            raw.writeInt((int) segmentBytes); // its length: it would end past the segment
        }

        FileLog log = logs.orders(small);
        CorruptRecordException refused = assertThrows(CorruptRecordException.class, () -> log.read(2));
        assertEquals(damaged.position(), refused.position(), refused.getMessage());
        assertEquals(order((int) second), log.read(second), "the next segment is whole");
    }
}
