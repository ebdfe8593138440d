package toykafka.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import toykafka.clock.ManualClock;
import toykafka.common.ApiException;
import toykafka.common.Compression;
import toykafka.common.ControlRecord;
import toykafka.common.Errors;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;
import toykafka.common.FetchedBatches;
import toykafka.lesson08.FileSlice;
import toykafka.storage.producers.AbortedTxn;
import toykafka.storage.producers.ActiveProducer;
import toykafka.storage.producers.AppendOrigin;
import toykafka.storage.producers.BatchMetadata;

/**
 * What the broker may count on from its one log type, whatever keeps the log: the data path's reads within their
 * bytes, the log start moved by deleteRecords and by retention, and the answers the console and the cleaner ask
 * for. Run by the log in memory and by the log in lesson 8's files.
 */
abstract class BatchLogContract {

    static final Instant START = Instant.parse("2026-11-25T12:00:00Z");
    static final TopicPartition PARTITION = new TopicPartition("contract", 0);
    final ManualClock clock = new ManualClock(START);
    private final List<BatchLog> opened = new ArrayList<>();

    /** A new, empty log with this config, on {@link #clock}. */
    protected abstract BatchLog newLog(TopicConfig config);

    BatchLog log(TopicConfig config) {
        BatchLog log = newLog(config);
        opened.add(log);
        return log;
    }

    BatchLog log() {
        return log(TopicConfig.defaults());
    }

    @AfterEach
    void closeLogs() {
        opened.forEach(BatchLog::close);
    }

    static Record record(Instant time, String value) {
        return new Record(null, value.getBytes(), time, List.of());
    }

    /** Three batches: offsets 0-1, 2, 3. */
    static void appendThreeBatches(BatchLog log, Instant time) {
        log.appendAll(List.of(record(time, "a"), record(time, "b")));
        log.appendAll(List.of(record(time, "c")));
        log.appendAll(List.of(record(time, "d")));
    }

    /** The batches of a read, from its bytes or from its slices. */
    static List<RecordBatch> batchesOf(StoredBatches read) {
        if (read.slices().isEmpty()) {
            return read.batches().batches();
        }
        List<RecordBatch> batches = new ArrayList<>();
        for (FileSlice slice : read.slices()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (WritableByteChannel sink = Channels.newChannel(out)) {
                for (long sent = 0; sent < slice.bytes(); ) {
                    sent += slice.transferOnce(sent, sink);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            batches.addAll(RecordBatch.wrapAll(ByteBuffer.wrap(out.toByteArray())));
        }
        return batches;
    }

    @Test
    void a_read_takes_whole_batches_from_the_one_holding_the_offset_and_counts_their_records() {
        BatchLog log = log();
        appendThreeBatches(log, START);
        for (boolean asSlices : new boolean[] {false, true}) {
            StoredBatches read = log.read(1, 1 << 20, false, null, asSlices);
            List<RecordBatch> batches = batchesOf(read);
            assertEquals(3, batches.size(), "from the batch that holds offset 1, asSlices=" + asSlices);
            assertEquals(0, batches.get(0).baseOffset(), "whole batches: the first may start before the offset asked");
            assertEquals(4, read.records(), "records counted by the batches' headers");
            assertEquals(4, read.batches().nextOffset(), "the next read starts after the last batch");
            assertEquals(0, read.logStartOffset());
            assertEquals(4, read.endOffset());
        }
        assertEquals(List.of("b", "c"), log.readBatch(1, 2).stream().map(r -> new String(r.value())).toList(),
                "records decoded, from the offset asked");
    }

    @Test
    void a_read_stays_within_its_room_but_takes_one_whole_batch_when_told_to() {
        BatchLog log = log();
        appendThreeBatches(log, START);
        StoredBatches one = log.read(0, 10, true, null, false);
        assertEquals(1, one.batches().batches().size(), "one whole batch, larger than the room");
        assertEquals(2, one.batches().nextOffset());
        StoredBatches none = log.read(0, 10, false, null, false);
        assertTrue(none.batches().isEmpty(), "and none when not told to");
        assertEquals(0, none.records());
        int firstTwo = one.batches().bytes().remaining() * 2 + 8;
        StoredBatches two = log.read(0, firstTwo, false, ByteBuffer.allocate(4096), false);
        assertEquals(2, two.batches().batches().size(), "as many whole batches as fit: " + firstTwo + " bytes");
    }

    @Test
    void a_read_at_the_end_offset_finds_nothing_and_one_past_either_end_is_refused_naming_the_range() {
        BatchLog log = log();
        appendThreeBatches(log, START);
        StoredBatches atEnd = log.read(4, 4096, true, null, false);
        assertTrue(atEnd.batches().isEmpty());
        assertEquals(4, atEnd.batches().nextOffset());
        OffsetOutOfRangeException past = assertThrows(OffsetOutOfRangeException.class,
                () -> log.read(5, 4096, true, null, false));
        assertTrue(past.getMessage().contains("from 0 (the log start offset) to 4 (the end offset"), past.getMessage());
        assertEquals(0, past.logStartOffset());
        assertEquals(4, past.logEndOffset());
        log.deleteRecordsBefore(2);
        OffsetOutOfRangeException below = assertThrows(OffsetOutOfRangeException.class,
                () -> log.read(1, 4096, true, null, true));
        assertEquals(2, below.logStartOffset());
    }

    @Test
    void delete_records_moves_the_log_start_and_never_back() {
        BatchLog log = log();
        appendThreeBatches(log, START);
        assertEquals(2, log.deleteRecordsBefore(2));
        assertEquals(2, log.earliest());
        assertEquals(2, log.deleteRecordsBefore(1), "an offset below the start changes nothing");
        assertThrows(OffsetOutOfRangeException.class, () -> log.deleteRecordsBefore(5));
        assertEquals(4, log.endOffset());
    }

    @Test
    void delete_records_up_to_an_end_after_a_marker_moves_the_start_to_the_end() {
        BatchLog log = log();
        appendTransactional(log, "soup");
        assertEquals(1, endTransaction(log, true));
        assertEquals(2, log.deleteRecordsBefore(2), "past the marker only: nothing to read, the start still moves");
        assertEquals(2, log.earliest());
        assertEquals(2, log.endOffset());
    }

    @Test
    void records_without_a_time_are_kept_read_back_without_one_and_never_expire_by_age() {
        BatchLog log = log();
        log.appendAll(List.of(record(Record.NO_TIMESTAMP, "untimed")));
        log.appendAll(List.of(record(START, "timed")));
        assertEquals(Record.NO_TIMESTAMP, log.readBatch(0, 1).get(0).timestamp(), "-1 stays -1, as in Kafka");
        assertEquals(OptionalLong.of(1), log.offsetForTime(START.minusSeconds(1)), "no time is before every time");
        assertEquals(1, log.recordWithMaxTimestamp().orElseThrow().offset());

        BatchLog untimedOnly = log(TopicConfig.defaults().with(TopicConfig.RETENTION_MS, 60_000));
        untimedOnly.appendAll(List.of(record(Record.NO_TIMESTAMP, "untimed")));
        clock.advance(Duration.ofMinutes(10));
        assertEquals(0, untimedOnly.applyRetention().records(), "no time, no age: retention.ms passes it by");
        assertEquals(0, untimedOnly.earliest());
    }

    @Test
    void retention_by_time_removes_what_expired_and_says_how_many_records_went() {
        BatchLog log = log(TopicConfig.defaults().with(TopicConfig.RETENTION_MS, 60_000));
        appendThreeBatches(log, START);
        assertEquals(0, log.applyRetention().records(), "nothing has expired yet");
        log.deleteRecordsBefore(1);
        clock.advance(Duration.ofMinutes(10));
        BatchLog.Retained gone = log.applyRetention();
        assertEquals(3, gone.records(), "every expired record above the log start, the newest batch too");
        assertEquals(4, log.earliest());
        assertEquals(4, log.endOffset(), "the end offset stays");
        assertEquals(4, log.appendAll(List.of(record(clock.instant(), "e"))), "the next record takes the next offset");
    }

    @Test
    void the_record_with_the_largest_timestamp_and_the_size_are_the_logs_own() {
        BatchLog log = log();
        assertEquals(Optional.empty(), log.recordWithMaxTimestamp());
        log.appendAll(List.of(record(START.plusSeconds(5), "late"), record(START, "early")));
        Optional<OffsetRecord> max = log.recordWithMaxTimestamp();
        assertTrue(max.isPresent());
        assertEquals(0, max.get().offset());
        assertTrue(log.sizeInBytes() > 0, "the batch's bytes");
        FetchedBatches all = log.fetch(0, ByteBuffer.allocate(4096));
        assertEquals(all.bytes().remaining(), log.sizeInBytes(), "exactly the bytes of the batches kept");
    }

    /** A batch of one record from producer 7 at epoch 0, with base sequence {@code sequence}. */
    static ByteBuffer fromProducer(String value, int sequence, boolean transactional) {
        RecordBatch batch = RecordBatch.of(List.of(record(START, value)), 0, Compression.NONE);
        batch.setProducer(7, (short) 0, sequence, transactional ? RecordBatch.TRANSACTIONAL_BIT : 0);
        return batch.buffer();
    }

    /** Appends a transaction's one batch, from producer 7 at epoch 0, through the log's producer state. */
    static long appendTransactional(BatchLog log, String value) {
        ByteBuffer bytes = fromProducer(value, 0, true);
        assertEquals(Optional.empty(), log.appendAsLeader(PARTITION, bytes, AppendOrigin.CLIENT), "written");
        return RecordBatch.wrap(bytes).baseOffset();
    }

    /** Ends producer 7's transaction with a marker, through the log's producer state; returns its offset. */
    static long endTransaction(BatchLog log, boolean commit) {
        ByteBuffer bytes = new ControlRecord(commit, 0).batch(7, (short) 0, START).buffer();
        log.appendAsLeader(PARTITION, bytes, AppendOrigin.COORDINATOR);
        return RecordBatch.wrap(bytes).baseOffset();
    }

    @Test
    void a_producers_retry_is_answered_with_the_batch_it_repeats_and_written_once() {
        BatchLog log = log();
        appendThreeBatches(log, START);
        ByteBuffer first = fromProducer("soup", 0, false);
        assertEquals(Optional.empty(), log.appendAsLeader(PARTITION, first, AppendOrigin.CLIENT));
        long end = log.endOffset();

        Optional<BatchMetadata> retry = log.appendAsLeader(PARTITION, fromProducer("soup", 0, false),
                AppendOrigin.CLIENT);

        assertEquals(4, retry.orElseThrow().baseOffset(), "the offset the first copy was given");
        assertEquals(end, log.endOffset(), "nothing written again");
        ApiException gap = assertThrows(ApiException.class,
                () -> log.appendAsLeader(PARTITION, fromProducer("stew", 5, false), AppendOrigin.CLIENT));
        assertEquals(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, gap.error());
        assertEquals(end, log.endOffset(), "a refused batch is not written");
    }

    @Test
    void a_bounded_read_stops_before_the_batch_holding_its_bound_even_when_one_batch_comes_anyway() {
        BatchLog log = log();
        appendThreeBatches(log, START); // 0-1, 2, 3
        for (boolean asSlices : new boolean[] {false, true}) {
            StoredBatches read = log.read(0, 3, 1 << 20, true, null, asSlices);
            assertEquals(List.of(0L, 2L), batchesOf(read).stream().map(RecordBatch::baseOffset).toList(),
                    "asSlices=" + asSlices);
            assertEquals(3, read.batches().nextOffset());
            assertEquals(3, read.records());
            assertEquals(4, read.endOffset(), "the log's end, as any read sees it");
            StoredBatches inside = log.read(0, 1, 1 << 20, true, null, asSlices);
            assertTrue(batchesOf(inside).isEmpty(), "the first batch holds the bound: asSlices=" + asSlices);
            assertEquals(0, inside.batches().nextOffset());
            assertEquals(List.of(3L), batchesOf(log.read(3, 9, 1 << 20, true, null, asSlices)).stream()
                    .map(RecordBatch::baseOffset).toList(), "a bound past the end bounds nothing");
        }
    }

    @Test
    void the_log_keeps_its_producers_an_open_transaction_holds_the_last_stable_offset_and_an_abort_is_remembered() {
        BatchLog log = log();
        appendThreeBatches(log, START);
        assertEquals(4, log.lastStableOffset(), "no transaction: the end");
        assertEquals(4, appendTransactional(log, "soup"));
        log.appendAll(List.of(record(START, "bread")));
        assertEquals(4, log.lastStableOffset(), "held at the open transaction's first offset");
        assertEquals(4, log.activeProducers().get(0).transactionStartOffset());

        assertEquals(6, endTransaction(log, false));
        assertEquals(7, log.lastStableOffset(), "decided: the end again");
        AbortedTxn aborted = new AbortedTxn(7, 4, 6, 7);
        assertEquals(List.of(aborted), log.abortedOverlapping(0, 7));
        assertEquals(List.of(), log.abortedOverlapping(7, 7), "a read past the marker needs none");
        assertEquals(List.of(new ActiveProducer(7, (short) 0, 0, START.toEpochMilli(), -1)), log.activeProducers());
    }

}
