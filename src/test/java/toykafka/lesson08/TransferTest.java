package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestRecords.order;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;
import toykafka.lesson09.FileLog;
import toykafka.common.FetchedBatches;

/** The zero-copy fetch: stored batches go from the file to a channel, whole, and the next fetch goes on from there. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TransferTest {

    @TempFileLogs
    FileLogs logs;
    private FileLog log;
    private final List<Record> appended = new ArrayList<>();

    @BeforeEach
    void open() {
        log = logs.open("orders", 0, TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 1000)
                .with(TopicConfig.INDEX_INTERVAL_BYTES, 100));
        for (int i = 0; i < 40; i += 2) {
            List<Record> two = List.of(order(i), order(i + 1));
            log.appendAll(two);
            appended.addAll(two);
        }
    }

    private static byte[] sent(FileLog log, long from, int maxBytes, List<LocalLog.Sent> results) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        WritableByteChannel channel = Channels.newChannel(bytes);
        results.add(log.transferTo(from, maxBytes, channel));
        return bytes.toByteArray();
    }

    @Test
    void it_sends_the_bytes_a_fetch_hands_out_and_names_the_next_offset() {
        List<LocalLog.Sent> results = new ArrayList<>();
        byte[] sent = sent(log, 5, 400, results);
        FetchedBatches fetched = log.fetch(5, ByteBuffer.allocate(400));
        assertEquals(fetched.bytes(), ByteBuffer.wrap(sent), "the same whole batches, unread and unchanged");
        assertEquals(new LocalLog.Sent(sent.length, fetched.nextOffset()), results.get(0));
        assertEquals(4, RecordBatch.wrapAll(ByteBuffer.wrap(sent)).get(0).baseOffset(), "from the batch holding offset 5");
    }

    @Test
    void fetching_on_from_each_next_offset_reads_the_whole_log_in_order() {
        List<Record> read = new ArrayList<>();
        long offset = 0;
        List<LocalLog.Sent> results = new ArrayList<>();
        while (offset < log.endOffset()) {
            byte[] sent = sent(log, offset, 300, results);
            for (RecordBatch batch : RecordBatch.wrapAll(ByteBuffer.wrap(sent))) {
                assertEquals(batch.computeCrc(), batch.storedCrc());
                read.addAll(batch.records());
            }
            offset = results.get(results.size() - 1).nextOffset();
        }
        assertEquals(appended, read);
        assertTrue(results.size() > log.segments().size(), "several fetches per segment, none across two");
    }

    @Test
    void a_first_batch_larger_than_max_bytes_is_still_sent_whole() {
        List<LocalLog.Sent> results = new ArrayList<>();
        byte[] sent = sent(log, 0, 10, results);
        assertEquals(1, RecordBatch.wrapAll(ByteBuffer.wrap(sent)).size());
        assertEquals(2, results.get(0).nextOffset());
    }

    @Test
    void at_the_end_nothing_is_sent_and_outside_the_log_is_refused() {
        List<LocalLog.Sent> results = new ArrayList<>();
        assertEquals(0, sent(log, 40, 1000, results).length);
        assertEquals(new LocalLog.Sent(0, 40), results.get(0));
        assertThrows(OffsetOutOfRangeException.class, () -> sent(log, 41, 1000, results));
    }
}
