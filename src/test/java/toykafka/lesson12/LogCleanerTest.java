package toykafka.lesson12;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import toykafka.archive.ArchiveReason;
import toykafka.archive.ArchivedEvent;
import toykafka.clock.ManualClock;
import toykafka.common.OffsetRecord;
import toykafka.common.ProducerBatches;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.lesson09.FileLog;
import toykafka.testing.Drill;
import toykafka.testing.FileLogs;

/** The cleaner on real files: each key's latest record stays at its offset, and replaying gives the same table. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LogCleanerTest {

    private static final Instant START = Instant.parse("2026-11-23T12:00:00Z");

    /**
     * In memory where the machine has it, as {@link CompactedLogOnDiskTest}'s: every cleaning pass forces its files
     * to disk, and these tests are about what the cleaner keeps, not durability (the crash drills are).
     */
    @TempDir(factory = CompactedLogOnDiskTest.InMemoryWhereTheMachineHasIt.class)
    Path data;
    private final ManualClock clock = new ManualClock(START);
    private final List<ArchivedEvent> archived = Collections.synchronizedList(new ArrayList<>());
    private int logs;

    private static TopicConfig compacted(String segmentBytes, long deleteRetentionMs) {
        return TopicConfig.of(Map.of(TopicConfig.CLEANUP_POLICY, "compact", TopicConfig.SEGMENT_BYTES, segmentBytes,
                TopicConfig.DELETE_RETENTION_MS, String.valueOf(deleteRetentionMs), TopicConfig.RETENTION_MS, "-1"));
    }

    private FileLog open(TopicConfig config) {
        return FileLog.open(data.resolve("log" + logs++), "t", 0, config, clock, archived::addAll);
    }

    /** Replays records into a table: the latest value per key, a tombstone removing it. */
    private static Map<String, String> table(List<OffsetRecord> records) {
        Map<String, String> table = new LinkedHashMap<>();
        for (OffsetRecord next : records) {
            if (next.record().isTombstone()) {
                table.remove(next.record().keyText());
            } else if (next.record().hasKey()) {
                table.put(next.record().keyText(), next.record().valueText());
            }
        }
        return new TreeMap<>(table);
    }

    private static LogCleaner cleaner(int keys, List<ArchivedEvent> archive, ManualClock clock) {
        return new LogCleaner(new OffsetMap(OffsetMap.BYTES_PER_KEY * keys), archive::addAll, clock);
    }

    @Test
    void each_key_keeps_its_latest_record_at_its_offset_and_the_active_segment_is_left_alone() {
        try (FileLog log = open(compacted("300", 86_400_000))) {
            for (int i = 0; i < 60; i++) {
                log.append(Record.of("k" + i % 4, "v" + i, clock.instant()));
            }
            List<OffsetRecord> before = FileLogs.readAll(log);
            LogCleaner.Pass pass = cleaner(100, archived, clock).clean(log, "t", 0, true);
            assertTrue(pass.cleaned());
            List<OffsetRecord> after = FileLogs.readAll(log);
            long active = log.segments().get(log.segments().size() - 1).baseOffset();
            Map<String, Long> latestBelowActive = new HashMap<>();
            before.stream().filter(r -> r.offset() < active).forEach(r -> latestBelowActive.put(r.record().keyText(), r.offset()));
            for (OffsetRecord record : after) {
                if (record.offset() < active) {
                    assertEquals(latestBelowActive.get(record.record().keyText()), record.offset(),
                            "below the active segment only a key's latest stays: " + record);
                }
                assertEquals(before.stream().filter(r -> r.offset() == record.offset()).findFirst().orElseThrow().record(),
                        record.record(), "a kept record is the same record at the same offset");
            }
            assertEquals(before.stream().filter(r -> r.offset() >= active).toList(),
                    after.stream().filter(r -> r.offset() >= active).toList(), "the active segment is untouched");
            assertEquals(before.size() - after.size(), pass.recordsRemoved());
            assertEquals(pass.recordsRemoved(), archived.size(), "every removed record is in the archive");
            assertTrue(archived.stream().allMatch(row -> row.reason() == ArchiveReason.COMPACTION));
            assertEquals(table(before), table(after));
            assertFalse(cleaner(100, archived, clock).clean(log, "t", 0, false).cleaned(),
                    "nothing was written since, so nothing is dirty");
            LogCleaner.Pass forced = cleaner(100, archived, clock).clean(log, "t", 0, true);
            assertTrue(forced.cleaned(), "a forced pass rewrites the clean part even with nothing dirty");
            assertEquals(0, forced.recordsRemoved(), "a clean part has nothing more to remove");
            assertEquals(after, FileLogs.readAll(log), "and the log reads the same");
        }
    }

    @Test
    void a_transactions_records_and_markers_stay_and_an_aborted_record_hides_no_older_one() {
        try (FileLog log = open(compacted("300", 86_400_000))) {
            log.append(Record.of("table-1", "soup", clock.instant()));                        // 0: plain
            log.appendBatches(ProducerBatches.transactional(7L, (short) 0, 0,
                    Record.of("table-1", "stew", clock.instant())));                        // 1: in a transaction
            log.appendBatches(new toykafka.common.ControlRecord(false, 0).batch(7, (short) 0, clock.instant())
                    .buffer());                                                              // 2: which aborted
            for (int i = 0; i < 30; i++) {
                log.append(Record.of("filler-" + i % 3, "x" + i, clock.instant()));
            }
            List<OffsetRecord> before = FileLogs.readAll(log);
            cleaner(100, archived, clock).clean(log, "t", 0, true);
            List<OffsetRecord> after = FileLogs.readAll(log);

            assertEquals("soup", after.get(0).record().valueText(), "the aborted stew does not hide the soup");
            assertEquals(1, after.get(1).offset(), "the transaction's record stays, for read_committed to drop");
            List<toykafka.common.RecordBatch> batches = log.fetch(0, java.nio.ByteBuffer.allocate(1 << 16)).batches();
            assertTrue(batches.stream().anyMatch(batch -> batch.isControl() && batch.baseOffset() == 2),
                    "the marker stays, or a replay would take the transaction for open");
            assertTrue(after.size() < before.size(), "the fillers were still cleaned");
        }
    }

    /** Streams per run: 60 in the suite; -Dtoykafka.cleaner.streams=2000 for more. */
    private static final int STREAMS = Integer.getInteger("toykafka.cleaner.streams", 60);
    @RegisterExtension
    final Drill drill = Drill.seeded("toykafka.cleaner.seed", 6);

    @Test
    void replaying_the_cleaned_log_gives_the_table_replaying_the_whole_stream_gives() {
        Random random = new Random(drill.seed());
        for (int stream = 0; stream < STREAMS; stream++) {
            drill.at("stream " + stream);
            archived.clear();
            long deleteRetention = random.nextBoolean() ? 0 : 86_400_000;
            try (FileLog log = open(compacted(String.valueOf(150 + random.nextInt(400)), deleteRetention))) {
                List<Record> written = new ArrayList<>();
                int keys = 1 + random.nextInt(12);
                int length = random.nextInt(150);
                for (int i = 0; i < length; i++) {
                    String key = "k" + random.nextInt(keys);
                    Record record = random.nextInt(6) == 0 ? Record.of(key, null, clock.instant())
                            : Record.of(key, "v" + i, clock.instant());
                    log.append(record);
                    written.add(record);
                    if (random.nextInt(20) == 0) {
                        clock.advance(Duration.ofSeconds(1));
                        cleaner(2 + random.nextInt(40), archived, clock).clean(log, "t", 0, random.nextBoolean());
                    }
                }
                List<OffsetRecord> whole = new ArrayList<>();
                for (int i = 0; i < written.size(); i++) {
                    whole.add(new OffsetRecord(i, written.get(i)));
                }
                for (int pass = 0; pass < 3; pass++) {
                    cleaner(2 + random.nextInt(40), archived, clock).clean(log, "t", 0, true);
                }
                List<OffsetRecord> cleaned = FileLogs.readAll(log);
                assertEquals(table(whole), table(cleaned), "stream " + stream);
                List<Long> offsets = cleaned.stream().map(OffsetRecord::offset).toList();
                assertEquals(offsets.stream().sorted().distinct().toList(), offsets, "offsets rise and never repeat");
                assertEquals(written.size(), cleaned.size() + archived.size(),
                        "stream " + stream + ": every record is in the log or the archive, once");
            }
        }
    }

    @Test
    void a_map_too_small_for_every_key_cleans_in_several_passes_to_the_same_log() {
        List<OffsetRecord> expected;
        try (FileLog roomy = open(compacted("300", 86_400_000)); FileLog cramped = open(compacted("300", 86_400_000))) {
            for (int i = 0; i < 200; i++) {
                Record record = Record.of("k" + (i * 7) % 30, "v" + i, clock.instant());
                roomy.append(record);
                cramped.append(record);
            }
            cleaner(100, new ArrayList<>(), clock).clean(roomy, "t", 0, true);
            expected = FileLogs.readAll(roomy);
            List<ArchivedEvent> ignored = new ArrayList<>();
            LogCleaner small = cleaner(6, ignored, clock); // 5 keys a pass
            int passes = 0;
            LogCleaner.Pass pass;
            do {
                pass = small.clean(cramped, "t", 0, true);
                passes++;
                assertTrue(passes < 100, "every pass makes progress");
            } while (!pass.finished());
            assertTrue(passes > 3, "30 keys in maps of 5 take several passes: " + passes);
            assertEquals(expected, FileLogs.readAll(cramped), "the same records at the same offsets as one pass with room for every key");
        }
    }

    @Test
    void tombstones_stay_for_delete_retention_ms_then_go() {
        try (FileLog log = open(compacted("200", 60_000))) {
            log.append(Record.of("cod", "4.50", clock.instant()));
            log.append(Record.of("cod", null, clock.instant()));
            for (int i = 0; i < 20; i++) {
                log.append(Record.of("chips-" + i, "1.20", clock.instant()));
            }
            cleaner(100, archived, clock).clean(log, "t", 0, true);
            assertTrue(FileLogs.readAll(log).stream().anyMatch(r -> r.record().keyText().equals("cod") && r.record().isTombstone()),
                    "a fresh tombstone stays, so a slow reader still sees the delete");
            clock.advance(Duration.ofMinutes(2));
            log.append(Record.of("chips-0", "1.30", clock.instant())); // something new, so there is dirt to clean
            for (int i = 0; i < 10; i++) {
                log.append(Record.of("peas-" + i, "0.80", clock.instant()));
            }
            cleaner(100, archived, clock).clean(log, "t", 0, true);
            assertTrue(FileLogs.readAll(log).stream().noneMatch(r -> r.record().keyText().equals("cod")),
                    "past delete.retention.ms the tombstone goes too");
        }
    }

    @Test
    void without_force_a_log_is_cleaned_only_once_its_dirty_ratio_reaches_the_minimum() {
        TopicConfig config = TopicConfig.of(Map.of(TopicConfig.CLEANUP_POLICY, "compact", TopicConfig.SEGMENT_BYTES, "300",
                TopicConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.9"));
        try (FileLog log = open(config)) {
            for (int i = 0; i < 60; i++) {
                log.append(Record.of("k" + i % 4, "v" + i, clock.instant()));
            }
            assertTrue(cleaner(100, archived, clock).clean(log, "t", 0, false).cleaned(), "all dirty: ratio 1");
            log.append(Record.of("k1", "new", clock.instant()));
            LogCleaner.Pass second = cleaner(100, archived, clock).clean(log, "t", 0, false);
            assertFalse(second.cleaned(), "a little new dirt is below 0.9: " + second.plan());
        }
    }
}
