package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.check.MessageFacts.assertMentions;
import static toykafka.lesson08.TestRecords.START;
import static toykafka.lesson08.TestRecords.order;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.archive.Archive;
import toykafka.clock.ManualClock;
import toykafka.common.Compression;
import toykafka.common.CorruptRecordException;
import toykafka.common.Errors;
import toykafka.common.InvalidRecordException;
import toykafka.common.InvalidTimestampException;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.RecordTooLargeException;
import toykafka.common.TopicConfig;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;
import toykafka.tools.SegmentDump;
import toykafka.lesson09.FileLog;
import toykafka.common.FetchedBatches;

/** The broker's way in: record batches a producer encoded, checked, given offsets and written as they came. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AppendBatchesTest {

    @TempFileLogs
    FileLogs logs;
    private FileLog log;

    @BeforeEach
    void open() {
        log = logs.open("orders", 0, TopicConfig.defaults().with(TopicConfig.MAX_MESSAGE_BYTES, 1000));
        log.appendAll(List.of(order(0), order(1), order(2)));
    }

    private static ByteBuffer encoded(Compression codec, Record... records) {
        return RecordBatch.of(List.of(records), 0, codec).buffer();
    }

    private static ByteBuffer withCrcFixed(ByteBuffer batch) {
        CRC32C crc = new CRC32C();
        crc.update(batch.duplicate().position(RecordBatch.ATTRIBUTES_AT));
        return batch.putInt(RecordBatch.CRC_AT, (int) crc.getValue());
    }

    private Path firstSegment() {
        return log.directory().resolve(log.segments().get(0).name());
    }

    @Test
    void a_batch_encoded_from_offset_0_is_given_the_logs_offsets_and_written_as_it_came() {
        ByteBuffer sent = encoded(Compression.NONE, order(3), order(4));
        assertEquals(3, log.appendBatches(sent.duplicate()), "the batch takes the log's end offset, whatever it said");
        assertEquals(List.of(order(3), order(4)), log.readBatch(3, 10));
        FetchedBatches fetched = log.fetch(4, ByteBuffer.allocate(1024));
        assertEquals(3, fetched.batches().get(0).baseOffset(), "a fetch starts with the whole batch that holds offset 4");
        assertEquals(List.of(order(4)), fetched.records(10), "and the reader skips what it did not ask for");
        ByteBuffer stored = fetched.batches().get(0).buffer();
        sent.putLong(0, 3);
        assertEquals(sent.rewind(), stored, "on disk: the producer's bytes with the log's base offset, nothing else");
        log.flush();
        assertTrue(SegmentDump.verify(firstSegment()).ok(), "its CRC still matches: the offset is outside it");
    }

    @Test
    void compressed_batches_are_stored_compressed_and_read_back_as_records() {
        for (Compression codec : Compression.values()) {
            long first = log.endOffset();
            ByteBuffer sent = encoded(codec, order(5), order(6), order(7));
            assertEquals(first, log.appendBatches(sent));
            assertEquals(List.of(order(5), order(6), order(7)), log.readBatch(first, 3), codec.configName());
            assertEquals(codec, log.fetch(first, ByteBuffer.allocate(4096)).batches().get(0).compression());
        }
        log.flush();
        assertTrue(SegmentDump.verify(firstSegment()).ok());
    }

    @Test
    void two_batches_in_one_request_take_consecutive_offsets() {
        ByteBuffer first = encoded(Compression.NONE, order(3), order(4));
        ByteBuffer second = encoded(Compression.GZIP, order(5));
        ByteBuffer both = ByteBuffer.allocate(first.limit() + second.limit()).put(first).put(second).flip();
        assertEquals(3, log.appendBatches(both));
        assertEquals(List.of(order(3), order(4), order(5)), log.readBatch(3, 10));
        assertEquals(6, log.endOffset());
    }

    @Test
    void a_bad_crc_in_any_batch_refuses_the_whole_request() {
        ByteBuffer first = encoded(Compression.NONE, order(3));
        ByteBuffer second = encoded(Compression.NONE, order(4));
        second.put(RecordBatch.HEADER_SIZE + 3, (byte) 0x55); // damage the record's bytes
        ByteBuffer both = ByteBuffer.allocate(first.limit() + second.limit()).put(first).put(second).flip();
        CorruptRecordException error = assertThrows(CorruptRecordException.class, () -> log.appendBatches(both));
        assertMentions(error, "CRC-32C");
        assertEquals(3, log.endOffset(), "not even the good first batch was appended");
    }

    @Test
    void a_batch_cut_short_or_no_batch_at_all_is_refused() {
        ByteBuffer cut = encoded(Compression.NONE, order(3));
        cut.limit(cut.limit() - 1);
        assertMentions(assertThrows(CorruptRecordException.class, () -> log.appendBatches(cut)), "cut off");
        assertThrows(InvalidRecordException.class, () -> log.appendBatches(ByteBuffer.allocate(0)),
                "no batch at all has nothing to append");
        assertEquals(3, log.endOffset());
    }

    @Test
    void a_record_whose_fields_do_not_fill_it_is_refused_even_with_a_good_crc() {
        ByteBuffer batch = encoded(Compression.NONE, order(3));
        // record: length, attributes, timestamp delta, offset delta, then the key's length: claim 60 bytes
        batch.put(RecordBatch.HEADER_SIZE + 4, (byte) 120);
        ByteBuffer fixed = withCrcFixed(batch);
        CorruptRecordException error = assertThrows(CorruptRecordException.class, () -> log.appendBatches(fixed));
        assertMentions(error, "key", 60);
        assertEquals(3, log.endOffset());
    }

    @Test
    void the_logs_rules_apply_to_batches_too() {
        ByteBuffer large = encoded(Compression.NONE, Record.of("k", "v".repeat(1000), START));
        RecordTooLargeException tooLarge = assertThrows(RecordTooLargeException.class, () -> log.appendBatches(large));
        assertMentions(tooLarge, large.limit(), 1000, "max.message.bytes");
        ByteBuffer control = withCrcFixed(encoded(Compression.NONE, order(3)).putShort(RecordBatch.ATTRIBUTES_AT, (short) 0x20));
        assertMentions(assertThrows(InvalidRecordException.class, () -> log.appendBatches(control)), "control");
        assertEquals(3, log.endOffset());
    }

    @Test
    void with_log_append_time_the_broker_stamps_its_clock_and_a_new_crc() throws Exception {
        ManualClock clock = new ManualClock(START.plusSeconds(3600));
        Path elsewhere = Files.createDirectories(logs.dir().resolve("elsewhere"));
        try (FileLog stamped = FileLog.open(elsewhere, "orders", 0, TopicConfig.defaults()
                .with(TopicConfig.MESSAGE_TIMESTAMP_TYPE, TopicConfig.LOG_APPEND_TIME), clock, Archive.discard())) {
            stamped.appendBatches(encoded(Compression.LZ4, order(0), order(1)));
            RecordBatch stored = stamped.fetch(0, ByteBuffer.allocate(4096)).batches().get(0);
            assertTrue(stored.isLogAppendTime());
            assertEquals(clock.instant().toEpochMilli(), stored.maxTimestamp());
            assertEquals(stored.computeCrc(), stored.storedCrc(), "the CRC was computed again");
            assertEquals(clock.instant(), stamped.read(1).timestamp(), "every record reads as the broker's time");
        }
    }

    @Test
    void a_producers_timestamp_more_than_an_hour_ahead_of_the_clock_is_refused_with_its_batch() throws Exception {
        ManualClock clock = new ManualClock(START);
        try (FileLog timed = FileLog.open(Files.createDirectories(logs.dir().resolve("timed")), "orders", 0,
                TopicConfig.defaults(), clock, Archive.discard())) {
            Record inAnHour = Record.of("k", "v", START.plusSeconds(3600));
            assertEquals(0, timed.appendBatches(encoded(Compression.NONE, inAnHour)), "one hour ahead: the edge, taken");
            Record tooLate = Record.of("k", "v", START.plusSeconds(3601));
            InvalidTimestampException refused = assertThrows(InvalidTimestampException.class,
                    () -> timed.appendBatches(encoded(Compression.NONE, order(1), tooLate)));
            assertEquals(Errors.INVALID_TIMESTAMP, refused.error());
            assertMentions(refused, "record 1 of a batch of 2", "message.timestamp.after.max.ms=3600000",
                    START.toEpochMilli() + 3_600_000);
            Record farFuture = new Record(null, "v".getBytes(), Instant.ofEpochMilli(Long.MAX_VALUE), null);
            assertThrows(InvalidTimestampException.class, () -> timed.appendBatches(encoded(Compression.ZSTD, farFuture)),
                    "the largest timestamp there is, compressed or not");
            assertEquals(1, timed.endOffset(), "nothing of a refused batch is written");
            assertEquals(1, timed.segments().size(), "and no segment is rolled for it");
        }
    }

    @Test
    void a_topic_can_refuse_old_timestamps_and_a_log_append_time_topic_takes_any() throws Exception {
        ManualClock clock = new ManualClock(START);
        TopicConfig lastMinute = TopicConfig.defaults().with(TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS, 60_000);
        try (FileLog recent = FileLog.open(Files.createDirectories(logs.dir().resolve("recent")), "orders", 0, lastMinute,
                clock, Archive.discard())) {
            assertEquals(0, recent.appendBatches(encoded(Compression.NONE, Record.of("k", "v", START.minusSeconds(60)))));
            InvalidTimestampException refused = assertThrows(InvalidTimestampException.class, () -> recent.appendBatches(
                    encoded(Compression.NONE, Record.of("k", "v", START.minusSeconds(61)))));
            assertMentions(refused, "behind", "message.timestamp.before.max.ms=60000");
            recent.reconfigure(lastMinute.with(TopicConfig.MESSAGE_TIMESTAMP_TYPE, TopicConfig.LOG_APPEND_TIME));
            assertEquals(1, recent.appendBatches(encoded(Compression.NONE, Record.of("k", "v", START.minusSeconds(61)),
                    Record.of("k", "v", START.plusSeconds(86_400)))), "the broker's clock replaces them both");
        }
    }
}
