package toykafka.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.kafka.StoredBatches;

/**
 * Our record batches against Kafka's own software, every codec: the batch Kafka's producer sends is the one we
 * build from the same records, byte for byte; we read what it sends; Kafka's kafka-dump-log reads what we build.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RecordBatchOracleTest {

    @TempDir
    Path dataDir;

    @Test
    void an_uncompressed_batch_is_byte_for_byte_the_batch_kafkas_producer_sends_from_the_same_records() {
        Random random = new Random(9);
        List<List<Record>> rounds = new ArrayList<>();
        for (int round = 0; round < 150; round++) {
            rounds.add(randomRecords(random));
        }
        List<RecordBatch> theirs = KafkaProducerBatches.send(dataDir, "none", false, Map.of(), rounds);
        for (int round = 0; round < rounds.size(); round++) {
            RecordBatch stored = theirs.get(round);
            RecordBatch ours = RecordBatch.of(rounds.get(round), stored.baseOffset(), Compression.NONE);
            ours.setPartitionLeaderEpoch(stored.partitionLeaderEpoch()); // the broker's stamp, outside the CRC
            assertEquals(stored.buffer(), ours.buffer(), "round " + round + ": " + rounds.get(round).size()
                    + " records from offset " + stored.baseOffset());
        }
    }

    @Test
    void we_read_the_batches_kafkas_producer_sends_in_every_codec() {
        Random random = new Random(20);
        Map<String, List<List<Record>>> sent = new HashMap<>();
        for (Compression codec : Compression.values()) {
            List<List<Record>> rounds = new ArrayList<>();
            for (int round = 0; round < 30; round++) {
                rounds.add(randomRecords(random));
            }
            sent.put(codec.configName(), rounds);
        }
        Map<String, List<RecordBatch>> theirs = KafkaProducerBatches.send(dataDir, false, Map.of(), sent);
        for (Compression codec : Compression.values()) {
            List<List<Record>> rounds = sent.get(codec.configName());
            long next = 0;
            for (int round = 0; round < rounds.size(); round++) {
                String where = codec.configName() + ", round " + round;
                RecordBatch batch = theirs.get(codec.configName()).get(round);
                BatchValidator.validate(batch, (offsetDelta, timestamp, keyLength, valueLength) -> { });
                assertEquals(codec, batch.compression(), where);
                assertEquals(next, batch.baseOffset(), where);
                List<Record> records = rounds.get(round);
                assertEquals(records.size(), batch.count(), where);
                List<Record> read = batch.records();
                for (int i = 0; i < records.size(); i++) {
                    assertSameRecord(records.get(i), read.get(i), where + ", record " + i);
                }
                next = batch.nextOffset();
            }
        }
    }

    @Test
    void kafkas_dump_log_reads_our_batches_in_every_codec() throws IOException {
        Random random = new Random(10);
        List<RecordBatch> ours = new ArrayList<>();
        List<List<Record>> inputs = new ArrayList<>();
        long baseOffset = 0;
        for (Compression codec : Compression.values()) {
            for (int round = 0; round < 30; round++) {
                List<Record> input = printableRecords(random);
                RecordBatch batch = RecordBatch.of(input, baseOffset, codec);
                ours.add(batch);
                inputs.add(input);
                baseOffset = batch.nextOffset() + (random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
            }
        }
        Path segment = KafkaDumpLog.writeSegment(dataDir, ours);

        List<String> dumped = StoredBatches.dump(List.of(segment), "--deep-iteration", "--print-data-log");

        Map<Long, Record> written = new HashMap<>();
        for (RecordBatch batch : ours) {
            batch.offsetRecords().forEach(record -> written.put(record.offset(), record.record()));
        }
        List<Matcher> batches = KafkaDumpLog.matching(KafkaDumpLog.BATCH_LINE, dumped);
        assertEquals(ours.size(), batches.size(), "Kafka read every batch:\n" + String.join("\n", dumped));
        for (int i = 0; i < ours.size(); i++) {
            KafkaDumpLog.assertBatchLine(ours.get(i), batches.get(i), "batch " + i);
            // and against the records, not our getters: what Kafka reads in the header is what they make it
            Matcher theirs = batches.get(i);
            List<Record> input = inputs.get(i);
            assertEquals(input.size(), Integer.parseInt(theirs.group(3)), theirs.group());
            assertEquals(Long.parseLong(theirs.group(1)) + input.size() - 1, Long.parseLong(theirs.group(2)), theirs.group());
            assertEquals(input.stream().mapToLong(record -> record.timestamp().toEpochMilli()).max().getAsLong(),
                    Long.parseLong(theirs.group(5)), theirs.group());
            assertEquals(Compression.values()[i / 30].configName(), theirs.group(8), theirs.group());
        }
        List<Matcher> records = KafkaDumpLog.matching(KafkaDumpLog.RECORD_LINE, dumped);
        assertEquals(written.size(), records.size(), "Kafka read every record we wrote");
        for (Matcher theirs : records) {
            Record record = written.get(Long.parseLong(theirs.group(1)));
            assertTrue(record != null, "Kafka read a record at an offset we wrote: " + theirs.group());
            KafkaDumpLog.assertRecordLine(record, theirs);
        }
    }

    @Test
    void kafkas_dump_log_reads_the_offset_and_the_brokers_time_we_stamp_where_kafkas_broker_puts_them()
            throws IOException {
        List<Record> records = printableRecords(new Random(30));
        RecordBatch ours = RecordBatch.of(records, 0, Compression.NONE);
        ours.setBaseOffset(42);
        ours.setLogAppendTime(1_700_000_000_000L);

        List<String> dumped = StoredBatches.dump(List.of(KafkaDumpLog.writeSegment(dataDir, List.of(ours))),
                "--deep-iteration", "--print-data-log");

        Matcher batch = KafkaDumpLog.matching(KafkaDumpLog.BATCH_LINE, dumped).get(0);
        assertEquals("42", batch.group(1), batch.group());
        assertEquals(Long.toString(41 + records.size()), batch.group(2), batch.group());
        assertEquals("LogAppendTime", batch.group(4), batch.group());
        assertEquals("1700000000000", batch.group(5), batch.group());
        assertEquals("true", batch.group(10), "the CRC still holds: " + batch.group());
        List<Matcher> read = KafkaDumpLog.matching(KafkaDumpLog.RECORD_LINE, dumped);
        assertEquals(records.size(), read.size());
        for (int i = 0; i < records.size(); i++) {
            assertEquals(42 + i, Long.parseLong(read.get(i).group(1)));
            assertEquals("LogAppendTime", read.get(i).group(2), "with LogAppendTime every record reads as the broker's time");
            assertEquals(1_700_000_000_000L, Long.parseLong(read.get(i).group(3)));
        }
        for (Record record : ours.records()) {
            assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), record.timestamp(), "and so do they for our reader");
        }
    }

    /** How a kind of random record is drawn: the bounds of its parts, and how their bytes are made. */
    private record RecordShape(long timeSpan, int mostRecords, int longestKey, int longestBigValue,
                               ToIntFunction<Random> headerValueLength, BiFunction<Random, Integer, byte[]> content) {
    }

    /** Any bytes, as a producer may send. */
    private static final RecordShape ANY_BYTES = new RecordShape(1_600_000_000_000L, 100, 300, 20_000,
            random -> random.nextInt(200), RecordBatchOracleTest::bytes);
    /** Text kafka-dump-log prints on one line, to compare as printed. */
    private static final RecordShape PRINTABLE = new RecordShape(4_000_000_000_000L, 40, 40, 600,
            random -> 20, RecordBatchOracleTest::text);

    /** Random records of any bytes, at times in the past (a broker may refuse the future). */
    static List<Record> randomRecords(Random random) {
        return records(random, ANY_BYTES);
    }

    /** Random records whose keys and values are text kafka-dump-log prints on one line. */
    static List<Record> printableRecords(Random random) {
        return records(random, PRINTABLE);
    }

    private static List<Record> records(Random random, RecordShape shape) {
        List<Record> records = new ArrayList<>();
        long base = Math.abs(random.nextLong() % shape.timeSpan());
        int count = 1 + random.nextInt(random.nextBoolean() ? 3 : shape.mostRecords());
        for (int i = 0; i < count; i++) {
            long timestamp = Math.max(0, base + (random.nextInt(10) == 0 ? -random.nextInt(100_000)
                    : random.nextInt(10_000_000)));
            byte[] key = random.nextInt(4) == 0 ? null : shape.content().apply(random, random.nextInt(shape.longestKey()));
            byte[] value = random.nextInt(6) == 0 ? null
                    : shape.content().apply(random, random.nextInt(random.nextBoolean() ? 100 : shape.longestBigValue()));
            List<Header> headers = new ArrayList<>();
            for (int h = random.nextInt(3); h > 0; h--) {
                headers.add(new Header("h" + random.nextInt(1000), random.nextBoolean() ? null
                        : shape.content().apply(random, shape.headerValueLength().applyAsInt(random))));
            }
            records.add(new Record(key, value, Instant.ofEpochMilli(timestamp), headers));
        }
        return records;
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

    private static byte[] text(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append("abcdefghij klmnop-0123456789".charAt(random.nextInt(28)));
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return length > 0 && random.nextBoolean() ? "text".repeat(length / 4 + 1).substring(0, length)
                .getBytes(StandardCharsets.UTF_8) : bytes;
    }
}
