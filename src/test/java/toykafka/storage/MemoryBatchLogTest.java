package toykafka.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.Record;
import toykafka.common.RecordLog;
import toykafka.common.TopicConfig;
import toykafka.common.FetchedBatches;
import toykafka.lesson08.RecordLogContract;

/** The broker's memory storage keeps the record log contract, and moves its start as the file log does. */
class MemoryBatchLogTest extends RecordLogContract {

    @Override
    protected RecordLog newLog(TopicConfig config) {
        return new MemoryBatchLog(config);
    }

    private static Record at(Instant time, String value) {
        return new Record(null, value.getBytes(), time, List.of());
    }

    @Test
    void delete_records_and_retention_move_the_log_start_and_time_takes_even_the_newest_batch() {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        MemoryBatchLog log = new MemoryBatchLog(TopicConfig.defaults().with(TopicConfig.RETENTION_MS, 60_000),
                Clock.fixed(now, ZoneOffset.UTC));
        log.appendAll(List.of(at(now.minusSeconds(600), "a"), at(now.minusSeconds(600), "b")));
        log.appendAll(List.of(at(now.minusSeconds(300), "c")));
        log.appendAll(List.of(at(now.minusSeconds(300), "d")));
        assertEquals(1, log.deleteRecordsBefore(1));
        assertEquals("b", new String(log.read(1).value()));
        assertThrows(OffsetOutOfRangeException.class, () -> log.read(0));
        assertEquals(3, log.applyRetention().records(), "every expired batch, the newest too, as the file log rolls and deletes");
        assertEquals(4, log.earliest(), "nothing is left below the end offset");
        assertEquals(4, log.endOffset(), "and the end offset stays");
        assertThrows(OffsetOutOfRangeException.class, () -> log.deleteRecordsBefore(5));
        assertEquals(4, log.appendAll(List.of(at(now, "e"))), "the next record takes the next offset");
        assertEquals(0, log.applyRetention().records(), "a fresh record is kept");
    }

    @Test
    void a_fetch_takes_whole_batches_within_its_bytes_and_nothing_at_the_end_offset() {
        MemoryBatchLog log = new MemoryBatchLog(TopicConfig.defaults());
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        log.appendAll(List.of(at(now, "a"), at(now, "b")));
        log.appendAll(List.of(at(now, "c")));
        FetchedBatches all = log.fetch(1, ByteBuffer.allocate(4096));
        assertEquals(2, all.batches().size(), "from the batch that holds offset 1");
        assertEquals(3, all.nextOffset());
        FetchedBatches first = log.read(0, 10, true, null);
        assertEquals(1, first.batches().size(), "one whole batch, larger than the bound, when asked for");
        assertTrue(log.read(0, 10, false, null).isEmpty(), "and none when not");
        FetchedBatches atEnd = log.fetch(3, ByteBuffer.allocate(4096));
        assertTrue(atEnd.isEmpty(), "nothing at the end offset");
        assertEquals(3, atEnd.nextOffset());
    }
}
