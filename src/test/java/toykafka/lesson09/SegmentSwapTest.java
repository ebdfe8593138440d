package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.lesson12.RetainedBatches;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.lesson08.SegmentInfo;
import toykafka.lesson08.PartitionDirectory;

/**
 * SegmentSwap.rewrite swaps a rewritten segment in for the old ones; a crash at any step of the swap
 * leaves, on the next open, either every old segment or the new one. Each step's leftover files are built
 * here exactly as a crash there would leave them, and the log is opened on them.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SegmentSwapTest {

    private static final TopicConfig SMALL_SEGMENTS = TopicConfig.of(Map.of(TopicConfig.SEGMENT_BYTES, "400"));

    @TempDir
    Path data;
    private Path dir;
    private List<Long> bases;
    private List<Long> allOffsets;

    /** Three sealed segments and an active one; the rewrite keeps the odd offsets of the first two. */
    @BeforeEach
    void aLogOfSeveralSegments() {
        try (FileLog log = FileLog.open(data, "orders", 0, SMALL_SEGMENTS)) {
            for (int i = 0; i < 40; i++) {
                log.append(Record.of("k" + i % 5, "order " + i, Instant.parse("2024-03-01T12:00:00Z").plusSeconds(i)));
            }
            dir = log.directory();
            bases = log.segments().stream().map(SegmentInfo::baseOffset).toList();
        }
        assertTrue(bases.size() >= 4, "segments: " + bases);
        allOffsets = offsetsIn(dir);
    }

    private static List<Long> offsetsIn(Path dir) {
        List<Long> offsets = new ArrayList<>();
        try (FileLog log = FileLog.open(dir.getParent(), "orders", 0, SMALL_SEGMENTS)) {
            long from = log.earliest();
            while (from < log.endOffset()) {
                List<OffsetRecord> records = log.readBatchWithOffsets(from, 100);
                records.forEach(record -> offsets.add(record.offset()));
                from = records.get(records.size() - 1).offset() + 1;
            }
        }
        return offsets;
    }

    private List<Long> afterRewrite() {
        long end = bases.get(2);
        return allOffsets.stream().filter(offset -> offset >= end || offset % 2 == 1).toList();
    }

    private static final SegmentRewriter ODD_ONLY = batch -> RetainedBatches.retain(batch,
            delta -> (batch.baseOffset() + delta) % 2 == 1);

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void a_rewrite_swaps_two_segments_for_one_and_keeps_every_offset_it_keeps() throws IOException {
        try (FileLog log = FileLog.open(data, "orders", 0, SMALL_SEGMENTS)) {
            SegmentInfo swapped = SegmentSwap.rewrite(log, bases.get(0), bases.get(2), ODD_ONLY, bases.get(2));
            assertEquals(bases.get(0), swapped.baseOffset());
            assertEquals(bases.get(2), swapped.nextOffset(), "the new segment ends where the third begins");
            assertEquals(bases.get(2), SegmentSwap.cleanedUpTo(log));
            assertEquals(bases.size() - 1, log.segments().size());
        }
        assertEquals(afterRewrite(), offsetsIn(dir), "read again after a clean shutdown");
        assertTrue(files().stream().noneMatch(name -> name.endsWith(".cleaned") || name.endsWith(".swap")), files().toString());
    }

    @Test
    void a_reader_that_found_an_old_segment_reads_on_after_the_swap() {
        try (FileLog log = FileLog.open(data, "orders", 0, SMALL_SEGMENTS)) {
            List<Record> before = log.readBatch(0, 3);
            SegmentSwap.rewrite(log, bases.get(0), bases.get(2), ODD_ONLY, bases.get(2));
            assertEquals(1, log.readBatchWithOffsets(0, 1).get(0).offset(), "offset 0 is gone: the first is 1");
            assertEquals(before.get(1), log.read(1), "offset 1 kept its record");
        }
    }

    @Test
    void a_rewriter_that_fails_changes_nothing() throws IOException {
        List<String> filesBefore = files();
        try (FileLog log = FileLog.open(data, "orders", 0, SMALL_SEGMENTS)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> SegmentSwap.rewrite(log, 
                    bases.get(0), bases.get(2), new SegmentRewriter() {
                        @Override
                        public RecordBatch rewrite(RecordBatch batch) {
                            return batch;
                        }

                        @Override
                        public void beforeSwap() {
                            throw new IllegalStateException("the archive is full");
                        }
                    }, bases.get(2)));
            assertEquals("the archive is full", refused.getMessage());
        }
        assertEquals(filesBefore.stream().filter(n -> !n.equals("clean-shutdown")).toList(),
                files().stream().filter(n -> !n.equals("clean-shutdown")).toList());
        assertEquals(allOffsets, offsetsIn(dir));
    }

    @Test
    void the_active_segment_and_ranges_that_are_not_whole_segments_are_refused() {
        try (FileLog log = FileLog.open(data, "orders", 0, SMALL_SEGMENTS)) {
            long active = bases.get(bases.size() - 1);
            assertThrows(IllegalArgumentException.class, () -> SegmentSwap.rewrite(log, active, log.endOffset(), ODD_ONLY, 0));
            IllegalArgumentException midSegment = assertThrows(IllegalArgumentException.class,
                    () -> SegmentSwap.rewrite(log, bases.get(0) + 1, bases.get(2), ODD_ONLY, 0));
            assertTrue(midSegment.getMessage().contains("never rewritten"), midSegment.getMessage());
        }
    }

    // The crash states. `swapped` is a copy of the directory after a finished rewrite, where the new files come from.

    /** The directory as a crash at {@code step} of the swap leaves it (see SegmentSwap.commit). */
    private void crashAt(int step) throws IOException {
        Path swapped = data.resolve("swapped");
        copyTree(dir, swapped.resolve(dir.getFileName()));
        try (FileLog log = FileLog.open(swapped, "orders", 0, SMALL_SEGMENTS)) {
            SegmentSwap.rewrite(log, bases.get(0), bases.get(2), ODD_ONLY, bases.get(2));
        }
        Path newFiles = swapped.resolve(dir.getFileName());
        long base = bases.get(0);
        String[] order = {"index", "timeindex", "log"};
        // 1: the .cleaned files are written; 2: the indexes renamed to .swap; 3: committed, the first old log
        // deleted; 4: the old segments deleted and the new index renamed into place, the rest still .swap
        for (String extension : order) {
            Path finalName = newFiles.resolve(PartitionDirectory.fileName(base, extension));
            String suffix = switch (step) {
                case 1 -> SegmentSwap.CLEANED;
                case 2 -> extension.equals("log") ? SegmentSwap.CLEANED : SegmentSwap.SWAP;
                case 3 -> SegmentSwap.SWAP;
                default -> extension.equals("index") ? "" : SegmentSwap.SWAP;
            };
            Path target = dir.resolve(PartitionDirectory.fileName(base, extension) + suffix);
            Files.copy(finalName, target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (step == 3) {
            Files.delete(dir.resolve(PartitionDirectory.fileName(base, "log"))); // the first old log went, its indexes not yet
        }
        if (step >= 4) {
            for (long old : List.of(bases.get(0), bases.get(1))) {
                Files.deleteIfExists(dir.resolve(PartitionDirectory.fileName(old, "log")));
                Files.deleteIfExists(dir.resolve(PartitionDirectory.fileName(old, "timeindex")));
            }
            Files.deleteIfExists(dir.resolve(PartitionDirectory.fileName(bases.get(1), "index")));
        }
    }

    @ParameterizedTest(name = "a crash at step {0}")
    @ValueSource(ints = {1, 2})
    void before_the_commit_the_old_segments_stay(int step) throws IOException {
        crashAt(step);
        assertEquals(allOffsets, offsetsIn(dir));
        assertTrue(files().stream().noneMatch(name -> name.endsWith(".cleaned") || name.endsWith(".swap")), files().toString());
    }

    @ParameterizedTest(name = "a crash at step {0}")
    @ValueSource(ints = {3, 4})
    void after_the_commit_the_next_open_finishes_the_swap(int step) throws IOException {
        crashAt(step);
        assertEquals(afterRewrite(), offsetsIn(dir));
        assertTrue(files().stream().noneMatch(name -> name.endsWith(".cleaned") || name.endsWith(".swap")), files().toString());
        assertFalse(files().contains(PartitionDirectory.fileName(bases.get(1), "log")), "the second old segment is gone");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().equals(".lock")) {
                    Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
