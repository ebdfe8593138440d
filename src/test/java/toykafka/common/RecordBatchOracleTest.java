package toykafka.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
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

/** Our record batches against Kafka's own client library: the same bytes, read both ways, every codec. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RecordBatchOracleTest {

    @Test
    void an_uncompressed_batch_is_byte_for_byte_the_batch_kafka_builds_from_the_same_records() {
        Random random = new Random(9);
        for (int round = 0; round < 2_000; round++) {
            List<Record> records = randomRecords(random);
            long baseOffset = random.nextInt(3) == 0 ? 0 : Math.abs(random.nextLong() % 1_000_000_000_000L);
            ByteBuffer theirs = kafkaBuilt(records, baseOffset, Compression.NONE).buffer();
            ByteBuffer ours = RecordBatch.of(records, baseOffset, Compression.NONE).buffer();
            assertEquals(theirs, ours, "round " + round + ": " + records.size() + " records from offset " + baseOffset);
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void kafka_reads_our_batches(Compression codec) {
        Random random = new Random(10 + codec.id());
        for (int round = 0; round < 200; round++) {
            List<Record> records = randomRecords(random);
            long baseOffset = random.nextInt(1_000_000);
            RecordBatch ours = RecordBatch.of(records, baseOffset, codec);
            MemoryRecords theirs = MemoryRecords.readableRecords(ours.buffer());
            org.apache.kafka.common.record.RecordBatch batch = theirs.batches().iterator().next();
            batch.ensureValid(); // Kafka's own CRC and size checks
            assertEquals(codec.configName(), batch.compressionType().name, "round " + round);
            assertEquals(ours.lastOffset(), batch.lastOffset(), "round " + round);
            assertEquals(ours.maxTimestamp(), batch.maxTimestamp(), "round " + round);
            assertSameRecords(records, baseOffset, batch.iterator(), "round " + round);
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void we_read_kafkas_batches(Compression codec) {
        Random random = new Random(20 + codec.id());
        for (int round = 0; round < 200; round++) {
            List<Record> records = randomRecords(random);
            long baseOffset = random.nextInt(1_000_000);
            List<RecordBatch> batches = RecordBatch.wrapAll(kafkaBuilt(records, baseOffset, codec).buffer());
            assertEquals(1, batches.size());
            RecordBatch batch = batches.get(0);
            BatchValidator.validate(batch, (offsetDelta, timestamp, keyLength, valueLength) -> { });
            assertEquals(codec, batch.compression(), "round " + round);
            assertEquals(baseOffset, batch.baseOffset(), "round " + round);
            assertEquals(records.size(), batch.count(), "round " + round);
            List<Record> read = batch.records();
            for (int i = 0; i < records.size(); i++) {
                assertSameRecord(records.get(i), read.get(i), "round " + round + ", record " + i);
            }
        }
    }

    @Test
    void stamping_an_offset_and_the_brokers_time_gives_the_bytes_kafkas_broker_gives() {
        Random random = new Random(30);
        List<Record> records = randomRecords(random);
        RecordBatch ours = RecordBatch.of(records, 0, Compression.NONE);
        ByteBuffer theirs = kafkaBuilt(records, 0, Compression.NONE).buffer();
        MutableRecordBatch theirBatch = MemoryRecords.readableRecords(theirs).batches().iterator().next();
        theirBatch.setLastOffset(41 + records.size());
        theirBatch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, 1_700_000_000_000L);

        ours.setBaseOffset(42);
        ours.setLogAppendTime(1_700_000_000_000L);

        assertEquals(theirs.rewind(), ours.buffer(), "the base offset and LogAppendTime land where Kafka puts them");
        theirBatch.ensureValid();
        for (Record record : ours.records()) {
            assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), record.timestamp(),
                    "with LogAppendTime every record reads as the broker's time");
        }
    }

    static List<Record> randomRecords(Random random) {
        List<Record> records = new ArrayList<>();
        long base = Math.abs(random.nextLong() % 4_000_000_000_000L);
        int count = 1 + random.nextInt(random.nextBoolean() ? 3 : 200);
        for (int i = 0; i < count; i++) {
            long timestamp = Math.max(0, base + (random.nextInt(10) == 0 ? -random.nextInt(100_000)
                    : random.nextInt(10_000_000)));
            byte[] key = random.nextInt(4) == 0 ? null : bytes(random, random.nextInt(300));
            byte[] value = random.nextInt(6) == 0 ? null : bytes(random, random.nextInt(random.nextBoolean() ? 100 : 20_000));
            List<Header> headers = new ArrayList<>();
            for (int h = random.nextInt(3); h > 0; h--) {
                headers.add(new Header("h" + random.nextInt(1000), random.nextBoolean() ? null : bytes(random, random.nextInt(200))));
            }
            records.add(new Record(key, value, Instant.ofEpochMilli(timestamp), headers));
        }
        return records;
    }

    static MemoryRecords kafkaBuilt(List<Record> records, long baseOffset, Compression codec) {
        ByteBuffer buffer = ByteBuffer.allocate((int) RecordBatchSize.of(records) + 1024);
        MemoryRecordsBuilder builder = MemoryRecords.builder(buffer,
                org.apache.kafka.common.compress.Compression.of(codec.configName()).build(), TimestampType.CREATE_TIME,
                baseOffset);
        for (Record record : records) {
            builder.append(new SimpleRecord(record.timestamp().toEpochMilli(), record.key(), record.value(),
                    record.headers().stream().map(header -> new RecordHeader(header.key(), header.value()))
                            .toArray(org.apache.kafka.common.header.Header[]::new)));
        }
        return builder.build();
    }

    private static void assertSameRecords(List<Record> expected, long baseOffset,
                                          Iterator<org.apache.kafka.common.record.Record> actual, String where) {
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(actual.hasNext(), where + ": Kafka read only " + i + " records");
            org.apache.kafka.common.record.Record theirs = actual.next();
            Record record = expected.get(i);
            assertEquals(baseOffset + i, theirs.offset(), where);
            assertEquals(record.timestamp().toEpochMilli(), theirs.timestamp(), where);
            assertArrayEquals(record.key(), bytesOf(theirs.key()), where + ", key " + i);
            assertArrayEquals(record.value(), bytesOf(theirs.value()), where + ", value " + i);
            assertEquals(record.headers().size(), theirs.headers().length, where);
            for (int h = 0; h < record.headers().size(); h++) {
                assertEquals(record.headers().get(h).key(), theirs.headers()[h].key(), where);
                assertArrayEquals(record.headers().get(h).value(), theirs.headers()[h].value(), where);
            }
        }
        assertTrue(!actual.hasNext(), where + ": Kafka read more records than were written");
    }

    private static void assertSameRecord(Record expected, Record actual, String where) {
        assertEquals(expected.timestamp(), actual.timestamp(), where);
        assertArrayEquals(expected.key(), actual.key(), where);
        assertArrayEquals(expected.value(), actual.value(), where);
        assertEquals(expected.headers().size(), actual.headers().size(), where);
        for (int h = 0; h < expected.headers().size(); h++) {
            assertEquals(expected.headers().get(h).key(), actual.headers().get(h).key(), where);
            assertArrayEquals(expected.headers().get(h).value(), actual.headers().get(h).value(), where);
        }
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return length > 0 && random.nextBoolean() ? "text".repeat(length / 4 + 1).substring(0, length)
                .getBytes(StandardCharsets.UTF_8) : bytes;
    }
}
