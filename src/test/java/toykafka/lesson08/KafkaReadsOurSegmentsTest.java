package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.Compression;
import toykafka.common.Header;
import toykafka.common.KafkaProducerBatches;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.kafka.StoredBatches;
import toykafka.tools.SegmentDump;
import toykafka.lesson09.FileLog;

/**
 * Our segments against Kafka itself: Kafka's DumpLogSegments (kafka-dump-log.sh) reads what our log
 * wrote, record for record, and finds our indexes sane; our log takes the batches Kafka's own producer
 * sends, in every codec, and stores them byte for byte.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public class KafkaReadsOurSegmentsTest {

    private static final Instant NOON = Instant.parse("2024-03-01T12:00:00Z");
    private static final TopicConfig SMALL = TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 600)
            .with(TopicConfig.INDEX_INTERVAL_BYTES, 100);
    public static final Pattern RECORD_LINE = Pattern.compile("\\| offset: (\\d+) (CreateTime|LogAppendTime): (-?\\d+)"
            + " keySize: (-?\\d+) valueSize: (-?\\d+) sequence: -1 headerKeys: \\[([^]]*)](?: key: (.*?))?(?: payload: (.*))?");

    @TempDir
    Path dataDir;

    /** The records, as our log holds them: offsets 0.. in order. */
    private final List<Record> written = new ArrayList<>();

    private void append(FileLog log, Record... records) {
        log.appendAll(List.of(records));
        written.addAll(List.of(records));
    }

    private void appendAsProducer(FileLog log, Compression codec, Record... records) {
        log.appendBatches(RecordBatch.of(List.of(records), 0, codec).buffer());
        written.addAll(List.of(records));
    }

    @Test
    void kafkas_dump_log_segments_reads_every_record_we_wrote_and_finds_our_indexes_sane() throws Exception {
        Path dir;
        try (FileLog log = FileLog.open(dataDir, "orders", 0, SMALL)) {
            for (int i = 0; i < 12; i++) {
                append(log, Record.of("till-" + (i % 3), "order-" + i, NOON.plusSeconds(i)));
            }
            append(log, Record.of("cod", null, NOON.plusSeconds(20)), new Record(null, "no key".getBytes(StandardCharsets.UTF_8),
                    NOON.plusSeconds(15), List.of(Header.of("trace", "t-1"), new Header("empty", null))));
            for (Compression codec : Compression.values()) {
                appendAsProducer(log, codec, Record.of("k-" + codec.configName(), "compressed with " + codec.configName(),
                        NOON.plusSeconds(30)), Record.of("k2", "and again", NOON.plusSeconds(31)));
            }
            for (int i = 0; i < 6; i++) {
                append(log, Record.of("till-9", "late order " + i, NOON.plusSeconds(40 + i)));
            }
            dir = log.directory();
            assertTrue(log.segments().size() >= 3, "several segments: " + log.segments());
        }
        List<String> files = segmentFiles(dir);

        List<String> dumped = dumpLogSegments(dataDir, files, "--deep-iteration", "--print-data-log");

        List<Matcher> records = dumped.stream().map(RECORD_LINE::matcher).filter(Matcher::matches).toList();
        assertEquals(written.size(), records.size(), "Kafka read as many records as we wrote:\n" + String.join("\n", dumped));
        for (int i = 0; i < written.size(); i++) {
            Record ours = written.get(i);
            Matcher theirs = records.get(i);
            String where = "record " + i + ": " + theirs.group();
            assertEquals(i, Long.parseLong(theirs.group(1)), where);
            assertEquals(ours.timestamp().toEpochMilli(), Long.parseLong(theirs.group(3)), where);
            assertEquals(ours.keyLength(), Integer.parseInt(theirs.group(4)), where);
            assertEquals(ours.valueLength(), Integer.parseInt(theirs.group(5)), where);
            assertEquals(ours.headers().stream().map(Header::key).collect(Collectors.joining(",")), theirs.group(6), where);
            if (ours.key() != null) {
                assertEquals(ours.keyText(), theirs.group(7), where);
            }
            if (ours.value() != null) {
                assertEquals(ours.valueText(), theirs.group(8), where);
            }
        }
        List<String> batches = dumped.stream().filter(line -> line.startsWith("baseOffset: ")).toList();
        assertTrue(batches.stream().allMatch(line -> line.contains("magic: 2") && line.endsWith("isvalid: true")),
                "every batch is format v2 with a valid CRC, by Kafka's own check:\n" + String.join("\n", batches));
        for (Compression codec : Compression.values()) {
            assertTrue(batches.stream().anyMatch(line -> line.contains("compresscodec: " + codec.configName() + " ")),
                    "a " + codec.configName() + " batch, as the producer sent it");
        }
        assertTrue(dumped.stream().noneMatch(line -> line.toLowerCase().contains("mismatch")
                || line.toLowerCase().contains("not found")), "Kafka found no index entry wrong:\n" + String.join("\n", dumped));

        List<String> indexes = files.stream().filter(file -> !file.endsWith(".log")).toList();
        List<String> sanity = dumpLogSegments(dataDir, indexes, "--index-sanity-check");
        assertEquals(indexes.size(), sanity.stream()
                        .filter(line -> line.endsWith("passed sanity check.") || line.endsWith(".index is empty.")).count(),
                "the check a Kafka broker runs on its indexes at startup:\n" + String.join("\n", sanity));
    }

    @Test
    void our_log_stores_the_batches_kafkas_producer_sends_byte_for_byte_in_every_codec() {
        Map<String, List<List<Record>>> sent = new HashMap<>();
        for (Compression codec : Compression.values()) {
            sent.put(codec.configName(), List.of(List.of(Record.of("till-1", "cod " + codec, NOON),
                    new Record(null, "chips".getBytes(StandardCharsets.UTF_8), NOON.plusMillis(5),
                            List.of(Header.of("trace", "t-" + codec))), Record.of("till-2", null, NOON.plusMillis(9)))));
        }
        Map<String, List<RecordBatch>> producers = KafkaProducerBatches.send(dataDir.resolve("broker"), false, Map.of(),
                sent);
        try (FileLog log = FileLog.open(dataDir, "orders", 0, TopicConfig.defaults())) {
            for (Compression codec : Compression.values()) {
                ByteBuffer built = producers.get(codec.configName()).get(0).buffer();
                long first = log.appendBatches(built.duplicate());
                List<Record> read = log.readBatch(first, 3);
                assertEquals("cod " + codec, read.get(0).valueText(), codec.configName());
                assertEquals("t-" + codec, new String(read.get(1).headers().get(0).value(), StandardCharsets.UTF_8));
                assertEquals(null, read.get(2).value(), "a tombstone stays one");
                ByteBuffer stored = log.fetch(first, ByteBuffer.allocate(4096)).batches().get(0).buffer();
                ByteBuffer expected = ByteBuffer.allocate(built.remaining()).put(built.duplicate()).flip();
                expected.putLong(0, first);
                assertEquals(expected, stored, codec.configName() + ": Kafka's bytes, with our offset");
            }
            log.flush();
            assertTrue(SegmentDump.verifyAll(log.directory()).stream().allMatch(SegmentDump.Verification::ok));
        }
    }

    public static List<String> segmentFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(Path::toString).filter(name -> name.matches(".*\\d{20}\\.(log|index|timeindex)")).sorted()
                    .toList();
        }
    }

    /**
     * Runs Kafka's kafka-dump-log on these files, in a JVM of its own as the script would, and returns what it
     * printed; {@code workDir} is no longer needed and stays for the callers.
     */
    public static List<String> dumpLogSegments(Path workDir, List<String> files, String... options) {
        return StoredBatches.dump(files.stream().map(Path::of).toList(), options);
    }
}
