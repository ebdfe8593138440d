package toykafka.lesson12;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import toykafka.common.BatchValidator;
import toykafka.common.Compression;
import toykafka.common.CorruptRecordException;
import toykafka.common.Header;
import toykafka.common.InvalidRecordException;
import toykafka.common.KafkaDumpLog;
import toykafka.common.KafkaProducerBatches;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.kafka.StoredBatches;

/**
 * The batches the log cleaner will write: some records kept, offsets unchanged, gaps left. Our reader gives
 * each record its real offset, Kafka's kafka-dump-log agrees record for record, and a producer still may not
 * send one. The batches retained from are the ones Kafka's own idempotent producer sends.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RetainedBatchesTest {

    private static final Instant NOON = Instant.parse("2024-03-01T12:00:00Z");
    private static final long BASE = 1_000;
    private static final int LEADER_EPOCH = 5;
    private static final Set<Integer> KEPT = Set.of(0, 3, 7);

    /** Kafka's producer's batch of {@link #records()} per codec and timestamp type, at base offset 0. */
    private static final Map<String, RecordBatch> SENT = new HashMap<>();

    @TempDir
    static Path brokerDir;
    @TempDir
    Path dir;

    @BeforeAll
    static void kafkas_idempotent_producer_sends_the_records_in_every_codec() {
        Map<String, List<List<Record>>> rounds = new HashMap<>();
        for (Compression codec : Compression.values()) {
            rounds.put(codec.configName(), List.of(records()));
        }
        for (TimestampType type : List.of(TimestampType.CREATE_TIME, TimestampType.LOG_APPEND_TIME)) {
            KafkaProducerBatches.send(brokerDir.resolve(type.name()), true, Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE,
                    type.name), rounds).forEach((codec, batches) -> SENT.put(codec + type, batches.get(0)));
        }
    }

    /** Ten records, stamped out of order so the kept ones have another maxTimestamp than the batch. */
    private static List<Record> records() {
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            byte[] value = i == 3 ? null : ("order " + i).getBytes(StandardCharsets.UTF_8);
            records.add(new Record(("till-" + i).getBytes(StandardCharsets.UTF_8), value,
                    NOON.plusSeconds(i == 5 ? 100 : i), i == 7 ? List.of(Header.of("trace", "t-7")) : List.of()));
        }
        return records;
    }

    /** A copy of the batch Kafka's idempotent producer sent, at {@code base} in a partition led in epoch 5. */
    private static RecordBatch kafkaSent(Compression codec, TimestampType type, long base) {
        ByteBuffer sent = SENT.get(codec.configName() + type).buffer();
        RecordBatch batch = RecordBatch.wrap(ByteBuffer.allocate(sent.remaining()).put(sent.duplicate()).flip());
        batch.setBaseOffset(base);
        batch.setPartitionLeaderEpoch(LEADER_EPOCH);
        assertTrue(batch.hasProducerId(), "an idempotent producer's batch");
        assertEquals(type == TimestampType.LOG_APPEND_TIME, batch.isLogAppendTime(), type.name);
        return batch;
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void a_retained_batch_keeps_its_offsets_and_header_and_our_reader_gives_the_real_offsets(Compression codec) {
        for (TimestampType type : List.of(TimestampType.CREATE_TIME, TimestampType.LOG_APPEND_TIME)) {
            RecordBatch original = kafkaSent(codec, type, BASE);
            List<OffsetRecord> before = original.offsetRecords();

            RecordBatch retained = RetainedBatches.retain(original, KEPT::contains);

            String where = codec.configName() + ", " + type;
            assertEquals(original.baseOffset(), retained.baseOffset(), where);
            assertEquals(9, retained.lastOffsetDelta(), where + ": the batch still covers offsets 1000..1009");
            assertEquals(original.nextOffset(), retained.nextOffset(), where);
            assertEquals(3, retained.count(), where);
            assertEquals(original.attributes(), retained.attributes(), where + ": codec and timestamp type");
            assertEquals(original.baseTimestamp(), retained.baseTimestamp(), where);
            assertEquals(original.producerId(), retained.producerId(), where);
            assertEquals(original.producerEpoch(), retained.producerEpoch(), where);
            assertEquals(original.baseSequence(), retained.baseSequence(), where);
            assertEquals(LEADER_EPOCH, retained.partitionLeaderEpoch(), where);
            assertEquals(retained.computeCrc(), retained.storedCrc(), where);
            long newest = type == TimestampType.CREATE_TIME ? NOON.plusSeconds(7).toEpochMilli() // record 5 is gone
                    : original.maxTimestamp();
            assertEquals(newest, retained.maxTimestamp(), where);

            List<OffsetRecord> after = retained.offsetRecords();
            assertEquals(List.of(BASE, BASE + 3, BASE + 7), after.stream().map(OffsetRecord::offset).toList(), where);
            for (OffsetRecord kept : after) {
                assertSameRecord(before.get((int) (kept.offset() - BASE)).record(), kept.record(), where);
            }
        }
    }

    @Test
    void kafkas_dump_log_reads_retained_batches_with_the_same_offsets_records_and_a_valid_checksum() throws IOException {
        List<RecordBatch> retained = new ArrayList<>();
        for (Compression codec : Compression.values()) {
            for (TimestampType type : List.of(TimestampType.CREATE_TIME, TimestampType.LOG_APPEND_TIME)) {
                retained.add(RetainedBatches.retain(kafkaSent(codec, type, BASE + 10L * retained.size()), KEPT::contains));
            }
        }

        List<String> dumped = StoredBatches.dump(List.of(KafkaDumpLog.writeSegment(dir, retained)), "--deep-iteration",
                "--print-data-log");

        List<Matcher> batches = KafkaDumpLog.matching(KafkaDumpLog.BATCH_LINE, dumped);
        List<Matcher> records = KafkaDumpLog.matching(KafkaDumpLog.RECORD_LINE, dumped);
        assertEquals(retained.size(), batches.size(), String.join("\n", dumped));
        assertEquals(3 * retained.size(), records.size(), String.join("\n", dumped));
        for (int b = 0; b < retained.size(); b++) {
            RecordBatch ours = retained.get(b);
            String where = ours.compression().configName() + (ours.isLogAppendTime() ? ", LogAppendTime" : ", CreateTime");
            KafkaDumpLog.assertBatchLine(ours, batches.get(b), where);
            assertEquals(BASE + 10L * b + 9, ours.lastOffset(), where + ": the gap at the end stays covered");
            List<OffsetRecord> kept = ours.offsetRecords();
            for (int i = 0; i < kept.size(); i++) {
                Matcher theirs = records.get(3 * b + i);
                assertEquals(kept.get(i).offset(), Long.parseLong(theirs.group(1)), where + ": " + theirs.group());
                assertEquals(BASE + 10L * b + List.of(0, 3, 7).get(i), kept.get(i).offset(), where);
                KafkaDumpLog.assertRecordLine(kept.get(i).record(), theirs);
            }
            if (!ours.isLogAppendTime()) { // the header's max is the newest record Kafka reads: record 5 is gone
                assertEquals(NOON.plusSeconds(7).toEpochMilli(), Long.parseLong(batches.get(b).group(5)), where);
                assertEquals(NOON.plusSeconds(7).toEpochMilli(), Long.parseLong(records.get(3 * b + 2).group(3)), where);
            }
        }
    }

    @Test
    void a_batch_with_nothing_kept_is_empty_covers_the_same_offsets_and_kafka_finds_it_valid() throws IOException {
        List<RecordBatch> empties = new ArrayList<>();
        for (Compression codec : Compression.values()) {
            long base = BASE + 10L * empties.size();
            RecordBatch empty = RetainedBatches.retain(kafkaSent(codec, TimestampType.CREATE_TIME, base), delta -> false);
            assertEquals(0, empty.count());
            assertEquals(RecordBatch.HEADER_SIZE, empty.sizeInBytes());
            assertEquals(base, empty.baseOffset());
            assertEquals(base + 9, empty.lastOffset());
            assertEquals(RecordBatch.NO_TIMESTAMP, empty.maxTimestamp(), "no record, no time: no time index entry names it");
            assertTrue(empty.hasProducerId());
            assertEquals(List.of(), empty.offsetRecords());
            empties.add(empty);
        }

        List<String> dumped = StoredBatches.dump(List.of(KafkaDumpLog.writeSegment(dir, empties)), "--deep-iteration",
                "--print-data-log");

        List<Matcher> batches = KafkaDumpLog.matching(KafkaDumpLog.BATCH_LINE, dumped);
        assertEquals(empties.size(), batches.size(), String.join("\n", dumped));
        for (int b = 0; b < empties.size(); b++) {
            KafkaDumpLog.assertBatchLine(empties.get(b), batches.get(b), empties.get(b).compression().configName());
        }
        assertEquals(List.of(), KafkaDumpLog.matching(KafkaDumpLog.RECORD_LINE, dumped), "no records");
    }

    @Test
    void keeping_every_record_gives_back_the_same_bytes() {
        RecordBatch original = RecordBatch.of(records(), 40, Compression.NONE);
        assertEquals(original.buffer(), RetainedBatches.retain(original, delta -> true).buffer());
    }

    @Test
    void a_producer_may_not_send_a_batch_with_gaps_nor_an_empty_one() {
        RecordBatch original = RecordBatch.of(records(), 0, Compression.NONE);
        RecordBatch gapped = RetainedBatches.retain(original, KEPT::contains);
        RecordBatch empty = RetainedBatches.retain(original, delta -> false);
        BatchValidator.RecordCheck any = (delta, timestamp, keyLength, valueLength) -> { };

        assertThrows(InvalidRecordException.class, () -> BatchValidator.validate(gapped, any));
        assertThrows(InvalidRecordException.class, () -> BatchValidator.validate(empty, any));
    }

    @Test
    void reading_still_refuses_deltas_that_do_not_rise_or_pass_the_last_offset_delta() {
        List<Record> sameTime = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sameTime.add(Record.of("k" + i, "v" + i, NOON)); // timestamp deltas 0: one byte each
        }
        RecordBatch gapped = RetainedBatches.retain(RecordBatch.of(sameTime, 0, Compression.NONE), KEPT::contains);
        ByteBuffer bytes = gapped.buffer();
        // the second record's offset delta: after the first record (its length varint and body), then its
        // own length, attributes and timestamp delta, one byte each
        int second = RecordBatch.HEADER_SIZE + 1 + bytes.get(RecordBatch.HEADER_SIZE) / 2;
        ByteBuffer backwards = copy(bytes).put(second + 3, (byte) 0); // delta 0 again, zigzag 0
        InvalidRecordException down = assertThrows(InvalidRecordException.class,
                () -> RecordBatch.wrap(backwards).offsetRecords());
        assertTrue(down.getMessage().contains("offset delta 0"), down.getMessage());

        ByteBuffer short_ = copy(bytes).putInt(RecordBatch.LAST_OFFSET_DELTA_AT, 5); // the third record has delta 7
        assertThrows(InvalidRecordException.class, () -> RecordBatch.wrap(short_).offsetRecords());

        ByteBuffer crowded = copy(bytes).putInt(RecordBatch.LAST_OFFSET_DELTA_AT, 1); // 3 records in 2 offsets
        assertThrows(CorruptRecordException.class, () -> RecordBatch.wrap(crowded).offsetRecords());
    }

    private static ByteBuffer copy(ByteBuffer bytes) {
        ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
        copy.put(bytes.duplicate()).flip();
        return copy;
    }

    private static void assertSameRecord(Record expected, Record actual, String where) {
        assertArrayEquals(expected.key(), actual.key(), where);
        assertArrayEquals(expected.value(), actual.value(), where);
        assertEquals(expected.timestamp(), actual.timestamp(), where);
        assertEquals(expected.headers().size(), actual.headers().size(), where);
    }
}
