package toykafka.lesson12;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson12.Tables.table;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.archive.ArchivedEvent;
import toykafka.clock.ManualClock;
import toykafka.common.Compression;
import toykafka.common.Header;
import toykafka.common.KafkaProducerBatches;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.lesson08.KafkaReadsOurSegmentsTest;
import toykafka.lesson09.FileLog;
import toykafka.testing.FileLogs;
import toykafka.tools.SegmentDump;

/**
 * A compacted log of compressed batches as producers send them (sent by Kafka's own producer in gzip,
 * snappy, lz4 and zstd), cleaned by our log cleaner: the cleaner keeps each key's latest record at its
 * offset inside the batch it came in, still compressed in its codec, and Kafka's DumpLogSegments reads every
 * cleaned segment with the offsets our log reads, finds every batch valid and our indexes sane.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CleanedSegmentsKafkaReadsTest {

    private static final Instant NOON = Instant.parse("2024-03-01T12:00:00Z");
    private static final List<Compression> CODECS = List.of(Compression.GZIP, Compression.SNAPPY, Compression.LZ4,
            Compression.ZSTD);
    private static final Pattern BATCH_LINE = Pattern.compile("baseOffset: (\\d+) lastOffset: (\\d+) count: (\\d+) .*"
            + " compresscodec: (\\w+) .*isvalid: (\\w+)");

    @TempDir
    Path dataDir;
    private final ManualClock clock = new ManualClock(NOON.plusSeconds(3_600));
    private final List<ArchivedEvent> archived = new ArrayList<>();

    /** Every record written, by offset, and the codec of the batch it came in. */
    private final Map<Long, Record> written = new TreeMap<>();
    private final Map<Long, Compression> codecOf = new HashMap<>();

    @ParameterizedTest(name = "delete.retention.ms {0}")
    @ValueSource(longs = {0, 86_400_000L * 365 * 100})
    void kafka_reads_every_cleaned_segment_of_compressed_batches_with_the_offsets_we_read(long deleteRetentionMs)
            throws Exception {
        TopicConfig config = TopicConfig.defaults().with(TopicConfig.CLEANUP_POLICY, "compact")
                .with(TopicConfig.SEGMENT_BYTES, 900).with(TopicConfig.INDEX_INTERVAL_BYTES, 100)
                .with(TopicConfig.DELETE_RETENTION_MS, deleteRetentionMs).with(TopicConfig.RETENTION_MS, -1);
        Random random = new Random(deleteRetentionMs);
        List<List<Record>> rounds = new ArrayList<>();
        Map<String, List<List<Record>>> byCodec = new HashMap<>();
        int count = 0;
        for (int batch = 0; batch < 64; batch++) {
            List<Record> records = new ArrayList<>();
            for (int i = 1 + random.nextInt(8); i > 0; i--) {
                int n = count + records.size();
                String key = "dish-" + random.nextInt(30);
                String value = random.nextInt(6) == 0 ? null : "price " + n + " " + "haddock ".repeat(random.nextInt(5));
                List<Header> headers = random.nextInt(4) == 0 ? List.of(Header.of("till", "t-" + n)) : List.of();
                records.add(new Record(key.getBytes(StandardCharsets.UTF_8),
                        value == null ? null : value.getBytes(StandardCharsets.UTF_8), NOON.plusSeconds(n), headers));
            }
            count += records.size();
            rounds.add(records);
            byCodec.computeIfAbsent(CODECS.get(batch % CODECS.size()).configName(), codec -> new ArrayList<>()).add(records);
        }
        Map<String, List<RecordBatch>> sent = KafkaProducerBatches.send(dataDir.resolve("producers"), false, Map.of(),
                byCodec);
        Path dir;
        List<OffsetRecord> cleaned;
        long active;
        try (FileLog log = FileLog.open(dataDir, "menu", 0, config, clock, archived::addAll)) {
            for (int batch = 0; batch < rounds.size(); batch++) {
                Compression codec = CODECS.get(batch % CODECS.size());
                List<Record> records = rounds.get(batch);
                long first = log.appendBatches(sent.get(codec.configName()).get(batch / CODECS.size()).buffer().duplicate());
                for (int i = 0; i < records.size(); i++) {
                    written.put(first + i, records.get(i));
                    codecOf.put(first + i, codec);
                }
            }
            assertTrue(log.segments().size() >= 6, "several segments: " + log.segments());
            LogCleaner cleaner = new LogCleaner(new OffsetMap(OffsetMap.BYTES_PER_KEY * 12), archived::addAll, clock);
            int passes = 0;
            LogCleaner.Pass pass;
            do { // 10 keys a pass: the same batches retained again
                pass = cleaner.clean(log, "menu", 0, true);
                assertTrue(++passes < 200, "every pass makes progress");
            } while (!pass.finished());
            assertTrue(passes >= 2, "30 keys in maps of 10 take several passes: " + passes);
            log.flush();
            dir = log.directory();
            active = log.segments().get(log.segments().size() - 1).baseOffset();
            cleaned = FileLogs.readAll(log);
        }

        // (a) our reads: each key's latest record below the active segment, at its offset, and the same table
        Map<String, Long> latest = new HashMap<>();
        written.forEach((offset, record) -> {
            if (offset < active) {
                latest.put(record.keyText(), offset);
            }
        });
        for (OffsetRecord next : cleaned) {
            Record record = written.get(next.offset());
            assertEquals(record, next.record(), "offset " + next.offset() + " holds the record written there");
            if (next.offset() < active) {
                assertEquals(latest.get(record.keyText()), next.offset(), "below the active segment only a key's latest"
                        + " stays: " + next);
                assertTrue(deleteRetentionMs > 0 || !record.isTombstone(), "past delete.retention.ms no tombstone stays: "
                        + next);
            }
        }
        assertEquals(table(List.copyOf(written.values())), table(cleaned.stream().map(OffsetRecord::record).toList()));
        assertEquals(written.size(), cleaned.size() + archived.size(), "every record is in the log or the archive, once");
        assertTrue(SegmentDump.verifyAll(dir).stream().allMatch(SegmentDump.Verification::ok), "our own dump tool agrees");

        // (b) Kafka's DumpLogSegments on the cleaned segments
        List<String> files = KafkaReadsOurSegmentsTest.segmentFiles(dir);
        List<String> dumped = KafkaReadsOurSegmentsTest.dumpLogSegments(dataDir, files, "--deep-iteration",
                "--print-data-log");
        String everything = String.join("\n", dumped);
        List<Long> offsets = new ArrayList<>();
        List<Matcher> batches = new ArrayList<>();
        String codec = null;
        for (String line : dumped) {
            Matcher batch = BATCH_LINE.matcher(line);
            if (batch.matches()) {
                batches.add(batch);
                codec = batch.group(4);
                continue;
            }
            Matcher record = KafkaReadsOurSegmentsTest.RECORD_LINE.matcher(line);
            if (record.matches()) {
                long offset = Long.parseLong(record.group(1));
                offsets.add(offset);
                Record ours = written.get(offset);
                assertEquals(ours.keyText(), record.group(7), line);
                assertEquals(ours.valueLength(), Integer.parseInt(record.group(5)), line);
                if (ours.value() != null) {
                    assertEquals(ours.valueText(), record.group(8), line);
                }
                assertEquals(codecOf.get(offset).configName(), codec, line + ": still in the codec the producer chose");
            }
        }
        assertEquals(cleaned.stream().map(OffsetRecord::offset).toList(), offsets,
                "Kafka reads the offsets our log reads:\n" + everything);
        assertEquals(dumped.stream().filter(line -> line.startsWith("baseOffset: ")).count(), batches.size(), everything);
        assertTrue(batches.stream().allMatch(batch -> batch.group(5).equals("true")),
                "every batch has a valid CRC, by Kafka's own check:\n" + everything);
        for (Compression each : CODECS) {
            assertTrue(batches.stream().anyMatch(batch -> batch.group(4).equals(each.configName())
                            && Long.parseLong(batch.group(3)) < Long.parseLong(batch.group(2)) - Long.parseLong(batch.group(1)) + 1),
                    "a " + each.configName() + " batch the cleaner kept only some records of:\n" + everything);
        }
        assertTrue(dumped.stream().noneMatch(line -> line.toLowerCase().contains("mismatch")
                || line.toLowerCase().contains("not found")), "Kafka found no index entry wrong:\n" + everything);

        List<String> indexes = files.stream().filter(file -> !file.endsWith(".log")).toList();
        List<String> sanity = KafkaReadsOurSegmentsTest.dumpLogSegments(dataDir, indexes, "--index-sanity-check");
        assertEquals(indexes.size(), sanity.stream()
                        .filter(line -> line.endsWith("passed sanity check.") || line.endsWith(".index is empty.")).count(),
                "the check a Kafka broker runs on its indexes at startup:\n" + String.join("\n", sanity));
    }
}
