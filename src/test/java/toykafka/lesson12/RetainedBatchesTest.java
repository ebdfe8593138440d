package toykafka.lesson12;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import toykafka.common.BatchValidator;
import toykafka.common.Compression;
import toykafka.common.CorruptRecordException;
import toykafka.common.Header;
import toykafka.common.InvalidRecordException;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordBatch;

/**
 * The batches the log cleaner will write: some records kept, offsets unchanged, gaps left. Our reader gives
 * each record its real offset, Kafka's reader agrees record for record, and a producer still may not send one.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RetainedBatchesTest {

    private static final Instant NOON = Instant.parse("2024-03-01T12:00:00Z");
    private static final long BASE = 1_000;
    private static final long PRODUCER_ID = 4_242;
    private static final short PRODUCER_EPOCH = 3;
    private static final int BASE_SEQUENCE = 17;
    private static final int LEADER_EPOCH = 5;
    private static final Set<Integer> KEPT = Set.of(0, 3, 7);

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

    /** The batch Kafka's own builder makes from the records, as an idempotent producer sends it. */
    private static RecordBatch kafkaBuilt(Compression codec, TimestampType type) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(8192), (byte) 2,
                org.apache.kafka.common.compress.Compression.of(codec.configName()).build(), type, BASE,
                NOON.plusSeconds(500).toEpochMilli(), PRODUCER_ID, PRODUCER_EPOCH, BASE_SEQUENCE, false, LEADER_EPOCH);
        for (Record record : records()) {
            builder.append(new SimpleRecord(record.timestamp().toEpochMilli(), record.key(), record.value(),
                    record.headers().stream().map(header -> new RecordHeader(header.key(), header.value()))
                            .toArray(org.apache.kafka.common.header.Header[]::new)));
        }
        return RecordBatch.wrap(builder.build().buffer());
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void a_retained_batch_keeps_its_offsets_and_header_and_our_reader_gives_the_real_offsets(Compression codec) {
        for (TimestampType type : List.of(TimestampType.CREATE_TIME, TimestampType.LOG_APPEND_TIME)) {
            RecordBatch original = kafkaBuilt(codec, type);
            List<OffsetRecord> before = original.offsetRecords();

            RecordBatch retained = RetainedBatches.retain(original, KEPT::contains);

            String where = codec.configName() + ", " + type;
            assertEquals(original.baseOffset(), retained.baseOffset(), where);
            assertEquals(9, retained.lastOffsetDelta(), where + ": the batch still covers offsets 1000..1009");
            assertEquals(original.nextOffset(), retained.nextOffset(), where);
            assertEquals(3, retained.count(), where);
            assertEquals(original.attributes(), retained.attributes(), where + ": codec and timestamp type");
            assertEquals(original.baseTimestamp(), retained.baseTimestamp(), where);
            assertEquals(PRODUCER_ID, retained.producerId(), where);
            assertEquals(PRODUCER_EPOCH, retained.producerEpoch(), where);
            assertEquals(BASE_SEQUENCE, retained.baseSequence(), where);
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

    @ParameterizedTest
    @EnumSource(Compression.class)
    void kafka_reads_a_retained_batch_with_the_same_offsets_records_and_a_valid_checksum(Compression codec) {
        for (TimestampType type : List.of(TimestampType.CREATE_TIME, TimestampType.LOG_APPEND_TIME)) {
            RecordBatch retained = RetainedBatches.retain(kafkaBuilt(codec, type), KEPT::contains);
            List<OffsetRecord> ours = retained.offsetRecords();
            String where = codec.configName() + ", " + type;

            List<MutableRecordBatch> batches = new ArrayList<>();
            MemoryRecords.readableRecords(retained.buffer()).batches().forEach(batches::add);
            assertEquals(1, batches.size(), where);
            MutableRecordBatch theirs = batches.get(0);
            assertTrue(theirs.isValid(), where + ": Kafka's CRC check");
            theirs.ensureValid();
            assertEquals(Integer.toUnsignedLong(retained.storedCrc()), theirs.checksum(), where);
            assertEquals(BASE, theirs.baseOffset(), where);
            assertEquals(BASE + 9, theirs.lastOffset(), where);
            assertEquals(3, theirs.countOrNull(), where);
            assertEquals(retained.maxTimestamp(), theirs.maxTimestamp(), where);
            assertEquals(codec.configName(), theirs.compressionType().name, where);
            assertEquals(PRODUCER_ID, theirs.producerId(), where);
            assertEquals(BASE_SEQUENCE, theirs.baseSequence(), where);
            List<org.apache.kafka.common.record.Record> records = new ArrayList<>();
            theirs.forEach(records::add);
            assertEquals(ours.size(), records.size(), where);
            for (int i = 0; i < ours.size(); i++) {
                Record expected = ours.get(i).record();
                org.apache.kafka.common.record.Record actual = records.get(i);
                assertEquals(ours.get(i).offset(), actual.offset(), where);
                assertEquals(expected.timestamp().toEpochMilli(), actual.timestamp(), where);
                assertArrayEquals(expected.key(), bytes(actual.key()), where);
                assertArrayEquals(expected.value(), bytes(actual.value()), where);
                assertEquals(expected.headers().size(), actual.headers().length, where);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void a_batch_with_nothing_kept_is_empty_covers_the_same_offsets_and_kafka_finds_it_valid(Compression codec) {
        RecordBatch original = kafkaBuilt(codec, TimestampType.CREATE_TIME);
        RecordBatch empty = RetainedBatches.retain(original, delta -> false);

        assertEquals(0, empty.count());
        assertEquals(RecordBatch.HEADER_SIZE, empty.sizeInBytes());
        assertEquals(BASE, empty.baseOffset());
        assertEquals(BASE + 9, empty.lastOffset());
        assertEquals(RecordBatch.NO_TIMESTAMP, empty.maxTimestamp(), "no record, no time: no time index entry names it");
        assertEquals(PRODUCER_ID, empty.producerId());
        assertEquals(List.of(), empty.offsetRecords());
        MutableRecordBatch theirs = MemoryRecords.readableRecords(empty.buffer()).batches().iterator().next();
        assertTrue(theirs.isValid());
        assertEquals(0, theirs.countOrNull());
        assertEquals(BASE + 9, theirs.lastOffset());
        assertTrue(!theirs.iterator().hasNext(), "no records");
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

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static void assertSameRecord(Record expected, Record actual, String where) {
        assertArrayEquals(expected.key(), actual.key(), where);
        assertArrayEquals(expected.value(), actual.value(), where);
        assertEquals(expected.timestamp(), actual.timestamp(), where);
        assertEquals(expected.headers().size(), actual.headers().size(), where);
    }
}
