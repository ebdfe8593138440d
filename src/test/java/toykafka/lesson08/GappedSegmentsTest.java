package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.archive.Archive;
import toykafka.archive.ArchivedEvent;
import toykafka.common.Compression;
import toykafka.common.CorruptRecordException;
import toykafka.common.FetchedBatches;
import toykafka.common.InvalidRecordException;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.lesson09.Checkpoints;
import toykafka.lesson09.CleanedSegments;
import toykafka.lesson09.DirectoryClaim;
import toykafka.lesson09.FileLog;
import toykafka.lesson12.RetainedBatches;
import toykafka.testing.FileLogs;
import toykafka.tools.SegmentDump;

/**
 * A log whose older segments were cleaned, as the log cleaner will leave them: gaps inside batches, between
 * batches, before a segment's first batch, and an empty batch at a segment's end. Every reader gives the
 * records that are left with their real offsets: FileLog's reads, time lookups, archiving, recovery, our dump
 * tool and Kafka's DumpLogSegments. A producer still may not send a batch with gaps.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GappedSegmentsTest {

    private static final Instant NOON = Instant.parse("2024-03-01T12:00:00Z");
    private static final int INDEX_INTERVAL = 100;
    private static final TopicConfig SMALL = TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 1000)
            .with(TopicConfig.INDEX_INTERVAL_BYTES, INDEX_INTERVAL);
    private static final int BATCHES = 14;
    private static final Set<Long> KEPT_DELTAS = Set.of(0L, 3L, 7L);

    @TempDir
    Path dataDir;
    private Path dir;
    /** Every record written, by offset, before cleaning. */
    private final Map<Long, Record> written = new TreeMap<>();
    /** What cleaning keeps: offset to record. */
    private final Map<Long, Record> expected = new TreeMap<>();
    private List<List<Long>> layout;

    /** Offset o is stamped NOON + o seconds, so a time lookup has one right answer. */
    private static Record order(long offset) {
        return Record.of("till-" + offset % 4, "order " + offset, NOON.plusSeconds(offset));
    }

    @BeforeEach
    void writeAndClean() throws Exception {
        try (FileLog log = FileLog.open(dataDir, "orders", 0, SMALL)) {
            for (int b = 0; b < BATCHES; b++) {
                List<Record> records = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    records.add(order(b * 10L + i));
                }
                Compression codec = Compression.values()[b % Compression.values().length];
                long first = log.appendBatches(RecordBatch.of(records, 0, codec).buffer());
                for (int i = 0; i < 10; i++) {
                    written.put(first + i, records.get(i));
                }
            }
            dir = log.directory();
        }
        layout = CleanedSegments.batchBases(dir);
        assertTrue(layout.size() >= 4 && layout.subList(0, 3).stream().allMatch(batches -> batches.size() >= 2),
                "three sealed segments of two batches or more: " + layout);
        Set<Long> dropped = Set.of(
                layout.get(0).get(1),                               // a gap between two batches
                layout.get(1).get(0),                               // a gap before a segment's first batch
                layout.get(2).get(layout.get(2).size() - 1));       // a segment's last batch left empty
        long activeBase = layout.get(layout.size() - 1).get(0);
        for (Map.Entry<Long, Record> record : written.entrySet()) {
            long offset = record.getKey();
            if (offset >= activeBase || (!dropped.contains(offset - offset % 10) && KEPT_DELTAS.contains(offset % 10))) {
                expected.put(offset, record.getValue());
            }
        }
        CleanedSegments.clean(dir, INDEX_INTERVAL, expected::containsKey);
    }

    private FileLog open() {
        return FileLog.open(dataDir, "orders", 0, SMALL);
    }

    private List<Long> expectedFrom(long from, int max) {
        return expected.keySet().stream().filter(offset -> offset >= from).limit(max).toList();
    }

    @Test
    void reads_give_the_records_left_with_their_real_offsets_from_any_offset() {
        try (FileLog log = open()) {
            assertEquals(written.size(), log.endOffset(), "cleaning moves no offset");
            List<OffsetRecord> all = FileLogs.readAll(log);
            assertEquals(List.copyOf(expected.keySet()), all.stream().map(OffsetRecord::offset).toList());
            for (OffsetRecord read : all) {
                assertEquals(expected.get(read.offset()).valueText(), read.record().valueText());
                assertEquals(expected.get(read.offset()).timestamp(), read.record().timestamp());
            }
            for (long from = 0; from < log.endOffset(); from++) {
                for (int max : new int[] {1, 2, 5}) {
                    // a read stops at a segment's end, so it may give fewer, never none before the end offset
                    List<Long> read = log.readBatchWithOffsets(from, max).stream().map(OffsetRecord::offset).toList();
                    String where = "from " + from + ", at most " + max + ": " + read;
                    assertTrue(!read.isEmpty(), where);
                    assertEquals(expectedFrom(from, read.size()), read, where);
                    assertEquals(read.stream().map(offset -> expected.get(offset).valueText()).toList(),
                            log.readBatch(from, max).stream().map(Record::valueText).toList(), where);
                }
            }
        }
    }

    @Test
    void reading_a_removed_offset_refuses_and_names_the_next_record_as_lesson_6_does() {
        try (FileLog log = open()) {
            for (long offset = 0; offset < log.endOffset(); offset++) {
                if (expected.containsKey(offset)) {
                    assertEquals(expected.get(offset).valueText(), log.read(offset).valueText());
                } else {
                    long at = offset;
                    NoSuchElementException refused = assertThrows(NoSuchElementException.class, () -> log.read(at));
                    assertTrue(refused.getMessage().contains("offset " + expectedFrom(offset, 1).get(0)),
                            refused.getMessage());
                }
            }
        }
    }

    @Test
    void a_time_lookup_finds_the_first_record_left_at_or_after_the_time() {
        try (FileLog log = open()) {
            for (long second = 0; second < written.size(); second++) {
                assertEquals(expectedFrom(second, 1).get(0), log.offsetForTime(NOON.plusSeconds(second)).getAsLong(),
                        "at NOON + " + second + " s");
            }
        }
    }

    @Test
    void a_fetch_hands_out_the_stored_batches_and_the_next_offset_after_them() {
        try (FileLog log = open()) {
            List<Long> offsets = new ArrayList<>();
            long next = 0;
            while (next < log.endOffset()) {
                FetchedBatches fetched = log.fetch(next, ByteBuffer.allocate(512));
                fetched.offsetRecords(Integer.MAX_VALUE).forEach(read -> offsets.add(read.offset()));
                assertTrue(fetched.nextOffset() > next, "a fetch always moves on");
                next = fetched.nextOffset();
            }
            assertEquals(List.copyOf(expected.keySet()), offsets);
        }
    }

    @Test
    void a_slice_counts_the_records_left_in_its_batches_and_a_new_segment_counts_by_its_offsets() {
        try (FileLog log = open()) {
            long next = 0;
            while (next < log.endOffset()) {
                FileSlice slice = log.slice(next, 300);
                long first = log.read(slice, next, ByteBuffer.allocate((int) slice.bytes())).batches().get(0).baseOffset();
                long kept = expected.keySet().stream().filter(o -> o >= first && o < slice.nextOffset()).count();
                assertEquals(kept, log.recordsIn(slice), "the records the cleaner left, from " + next);
                next = slice.nextOffset();
            }
            long end = log.endOffset();
            log.roll(); // a segment written after the cleaning: its offsets run on without gaps
            log.appendAll(List.of(order(end), order(end + 1), order(end + 2)));
            assertEquals(3, log.recordsIn(log.slice(end + 1, 1 << 20)), "the whole batch, by its offsets");
        }
    }

    @Test
    void the_log_opens_after_a_crash_by_reading_every_gapped_segment_and_appends_go_on() throws Exception {
        Files.delete(dir.resolve(DirectoryClaim.CLEAN_SHUTDOWN));
        Checkpoints.writeRecoveryPoint(dir, 0); // every segment is scanned, record by record
        try (FileLog log = open()) {
            assertEquals(layout.size(), log.recoveryReport().segmentsScanned().size());
            assertEquals(List.copyOf(expected.keySet()), FileLogs.readAll(log).stream().map(OffsetRecord::offset).toList());
            long end = log.endOffset();
            assertEquals(end, log.append(order(end)), "the next offset follows the last, gaps or not");
        }
        try (FileLog log = open()) {
            assertEquals(written.size() + 1, log.endOffset());
        }
    }

    @Test
    void a_producer_may_not_send_a_gapped_batch_and_nothing_is_written() {
        RecordBatch gapped = RetainedBatches.retain(RecordBatch.of(List.of(order(0), order(1), order(2)), 0,
                Compression.NONE), delta -> delta != 1);
        try (FileLog log = open()) {
            long end = log.endOffset();
            assertThrows(InvalidRecordException.class, () -> log.appendBatches(gapped.buffer()));
            assertEquals(end, log.endOffset());
        }
    }

    @Test
    void archiving_sends_the_records_left_with_their_offsets() {
        List<ArchivedEvent> archived = new ArrayList<>();
        Archive archive = archived::addAll;
        long before = layout.get(2).get(0) + 1; // inside a batch's gap
        Clock later = Clock.fixed(NOON.plus(Duration.ofDays(30)), ZoneOffset.UTC);
        try (FileLog log = FileLog.open(dataDir, "orders", 0, SMALL, later, archive)) {
            log.deleteRecordsBefore(before);
            assertEquals(expectedFrom(0, 10_000).stream().filter(offset -> offset < before).toList(),
                    archived.stream().map(ArchivedEvent::offset).toList(), "deleteRecordsBefore archives up to it");
            assertEquals(expectedFrom(before, 1), log.readBatchWithOffsets(before, 1).stream()
                    .map(OffsetRecord::offset).toList());
            archived.clear();
            log.reconfigure(SMALL.with(TopicConfig.RETENTION_MS, Duration.ofDays(1).toMillis()));
            log.applyRetention(); // every segment is past retention, the active one too
            Set<Long> rest = new HashSet<>(expectedFrom(before, 10_000));
            assertEquals(rest, archived.stream().map(ArchivedEvent::offset).collect(Collectors.toSet()));
            assertEquals(rest.size(), archived.size(), "each record archived once");
        }
    }

    @Test
    void our_dump_tool_verifies_the_gapped_segments_and_prints_the_real_offsets() {
        List<SegmentDump.Verification> verified = SegmentDump.verifyAll(dir);
        assertTrue(verified.stream().allMatch(SegmentDump.Verification::ok), verified.toString());
        assertEquals(expected.size(), verified.stream().mapToLong(SegmentDump.Verification::records).sum());

        List<Long> printed = new ArrayList<>();
        for (List<Long> segment : layout) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            SegmentDump.dump(segmentFile(segment), new PrintStream(text, true, StandardCharsets.UTF_8), Long.MAX_VALUE);
            text.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith("  | offset="))
                    .forEach(line -> printed.add(Long.parseLong(line.substring(11, line.indexOf(' ', 11)))));
        }
        assertEquals(List.copyOf(expected.keySet()), printed);
    }

    @Test
    void kafkas_dump_log_segments_reads_the_gapped_segments_with_the_same_offsets() throws Exception {
        List<String> files = KafkaReadsOurSegmentsTest.segmentFiles(dir);
        List<String> dumped = KafkaReadsOurSegmentsTest.dumpLogSegments(dataDir, files, "--deep-iteration",
                "--print-data-log");

        List<Long> offsets = new ArrayList<>();
        for (String line : dumped) {
            Matcher record = KafkaReadsOurSegmentsTest.RECORD_LINE.matcher(line);
            if (record.matches()) {
                offsets.add(Long.parseLong(record.group(1)));
                assertEquals(expected.get(offsets.get(offsets.size() - 1)).valueText(), record.group(8), line);
            }
        }
        assertEquals(List.copyOf(expected.keySet()), offsets, String.join("\n", dumped));
        List<String> batches = dumped.stream().filter(line -> line.startsWith("baseOffset: ")).toList();
        assertTrue(batches.stream().allMatch(line -> line.endsWith("isvalid: true")), String.join("\n", batches));
        assertTrue(batches.stream().anyMatch(line -> line.contains(" count: 0 ")), "the empty batch:\n"
                + String.join("\n", batches));
        assertTrue(dumped.stream().noneMatch(line -> line.toLowerCase().contains("mismatch")
                || line.toLowerCase().contains("not found")), String.join("\n", dumped));

        List<String> indexes = files.stream().filter(file -> !file.endsWith(".log")).toList();
        List<String> sanity = KafkaReadsOurSegmentsTest.dumpLogSegments(dataDir, indexes, "--index-sanity-check");
        assertEquals(indexes.size(), sanity.stream()
                .filter(line -> line.endsWith("passed sanity check.") || line.endsWith(".index is empty.")).count(),
                String.join("\n", sanity));
    }

    @Test
    void a_batch_that_overlaps_the_one_before_is_still_damage() throws Exception {
        Path damaged = Files.createDirectories(dataDir.resolve("damaged-0"));
        Path file = damaged.resolve(PartitionDirectory.fileName(0, "log"));
        List<Record> ten = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ten.add(order(i));
        }
        ByteBuffer first = RecordBatch.of(ten, 0, Compression.NONE).buffer();
        ByteBuffer overlapping = RetainedBatches.retain(RecordBatch.of(ten, 5, Compression.NONE), delta -> delta > 6)
                .buffer(); // offsets 5..14, records from 12 on: still over 5..9
        ByteBuffer both = ByteBuffer.allocate(first.remaining() + overlapping.remaining()).put(first).put(overlapping);
        Files.write(file, both.array());

        SegmentDump.Verification verified = SegmentDump.verify(file);
        assertTrue(!verified.ok() && verified.problems().get(0).contains("from offset 10 or later"),
                verified.toString());
        SegmentReader reader = new SegmentReader((into, position) -> {
            try (var channel = java.nio.channels.FileChannel.open(file)) {
                return channel.read(into, position);
            }
        }, file.getFileName().toString(), 0, Files.size(file));
        assertTrue(reader.next());
        assertThrows(CorruptRecordException.class, reader::next);
    }

    private Path segmentFile(List<Long> batchesOfSegment) {
        int index = layout.indexOf(batchesOfSegment);
        try {
            return dir.resolve(PartitionDirectory.fileName(PartitionDirectory.segmentBaseOffsets(dir).get(index), "log"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
