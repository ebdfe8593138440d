package toykafka.lesson12;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static toykafka.lesson12.Tables.table;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import toykafka.archive.Archive;
import toykafka.archive.ArchiveReason;
import toykafka.archive.ArchivedEvent;
import toykafka.archive.CsvArchive;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.lesson09.FileLog;
import toykafka.testing.Drill;
import toykafka.testing.StallWatch;
import toykafka.tools.SegmentDump;

/**
 * Kill -9 drills for the log cleaner: a child JVM appends keyed records and tombstones to a compacted log
 * while cleaning it pass after pass, and the test kills it at a random moment, often in the middle of a
 * pass, then reopens the log and checks that the swap was finished or undone and that nothing acknowledged
 * is lost: each record is in the log or in the archive, and the log still replays to the table the whole
 * stream does. More cycles with {@code -Dtoykafka.cleaner.drill.cycles=200}, other kill points with
 * {@code -Dtoykafka.cleaner.drill.seed=N}.
 *
 * <p>The kills come after a random time, and a busy machine does less in that time: so the drill runs at least
 * its cycles, and then more until the children have cleaned a pass per cycle and enough kills have landed in a
 * pass, up to ten times as many cycles.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CleanerCrashDrillTest {

    private static final int CYCLES = Integer.getInteger("toykafka.cleaner.drill.cycles", 20);
    /** Cleaning passes and kills in a pass the drill must see; it runs more cycles until it has. */
    private static final int PASSES_WANTED = CYCLES;
    private static final int KILLS_IN_A_PASS_WANTED = Math.max(2, CYCLES / 5);
    /** A generous cap: on a quiet machine {@link #CYCLES} see enough, and at load 16 they saw a third of the passes. */
    private static final int MAX_CYCLES = 10 * CYCLES;
    @RegisterExtension
    static final Drill DRILL = Drill.seeded("toykafka.cleaner.drill.seed", 11);
    private static final long SEED = DRILL.seed();
    /** A net for a child that hangs before it is ready: killed when silent this long, never for being slow. */
    private static final Duration STALL = Duration.ofSeconds(60);
    private static final long LONG_RETENTION_MS = 100L * 365 * 24 * 3_600_000;

    @TempDir
    Path dataDir;

    /** The record each offset was written with: the whole stream, regenerated from the seed and each cycle's start. */
    private final TreeMap<Long, Record> stream = new TreeMap<>();
    private final Map<Long, Integer> acknowledged = new HashMap<>();
    private final Map<Path, ArchiveFile> archiveFiles = new HashMap<>();
    private long endOffset;
    private int killsWhileCleaning;
    private int killsBeforeCommit;
    private int killsAfterCommit;
    private long passesThatCleaned;
    private long checkNanos;

    /** What one cycle's child did before it died. */
    private record Run(int acks, boolean killedWhileCleaning, long passesThatCleaned, long recordsRemoved) {
    }

    /** An archive file as last read, read again only when it changes. */
    private record ArchiveFile(FileTime modified, long size, List<ArchivedEvent> rows) {
    }

    @Test
    void a_kill_at_any_moment_of_a_cleaning_loses_nothing_and_the_log_replays_to_the_same_table() throws Exception {
        Random random = new Random(SEED);
        long started = System.nanoTime();
        long removed = 0;
        int cycle = 0;
        ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
        try {
            for (; cycle < CYCLES || !seenEnough() && cycle < MAX_CYCLES; cycle++) {
                DRILL.cycle(cycle);
                int segmentBytes = 2048 + random.nextInt(14 * 1024);
                long deleteRetentionMs = random.nextBoolean() ? 0 : LONG_RETENTION_MS;
                int mapKeys = 4 + random.nextInt(40);
                int killAfterMs = 150 + random.nextInt(850);
                String where = "cycle " + cycle + " (seed " + SEED + ", segment.bytes " + segmentBytes
                        + ", delete.retention.ms " + deleteRetentionMs + ", map of " + mapKeys + " keys, killed after "
                        + killAfterMs + " ms)";
                Run run = runAndKill(cycle, segmentBytes, deleteRetentionMs, mapKeys, killAfterMs, killer, where);
                if (run.killedWhileCleaning()) {
                    killsWhileCleaning++;
                }
                passesThatCleaned += run.passesThatCleaned();
                removed += run.recordsRemoved();
                long checking = System.nanoTime();
                checkRecovered(cycle, where);
                checkNanos += System.nanoTime() - checking;
            }
        } finally {
            killer.shutdownNow();
        }
        DRILL.at("the checks after cycle " + (cycle - 1));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        System.out.printf("cleaner crash drill: %d cycles in %d s, %d records, %d acknowledged; %d cleaning passes"
                        + " removed %d records; %d kills landed while a pass was running, %d before a swap's commit"
                        + " rename (.cleaned left), %d after it (.swap left); checks took %d ms%n",
                cycle, seconds, endOffset, acknowledged.size(), passesThatCleaned, removed, killsWhileCleaning,
                killsBeforeCommit, killsAfterCommit, TimeUnit.NANOSECONDS.toMillis(checkNanos));
        assertTrue(passesThatCleaned >= PASSES_WANTED, "the children cleaned, pass after pass: " + passesThatCleaned
                + " passes in " + cycle + " cycles, and " + PASSES_WANTED + " were wanted");
        assertTrue(killsWhileCleaning >= KILLS_IN_A_PASS_WANTED, "a drill of the cleaner kills it while it cleans: only "
                + killsWhileCleaning + " of " + cycle + " kills did, and " + KILLS_IN_A_PASS_WANTED + " were wanted");
    }

    private boolean seenEnough() {
        return passesThatCleaned >= PASSES_WANTED && killsWhileCleaning >= KILLS_IN_A_PASS_WANTED;
    }

    /** Starts the child, reads its lines, has it killed after {@code killAfterMs}, and notes what it acknowledged. */
    private Run runAndKill(int cycle, int segmentBytes, long deleteRetentionMs, int mapKeys, int killAfterMs,
                           ScheduledExecutorService killer, String where) throws IOException, InterruptedException {
        Path errors = dataDir.resolve("child-" + cycle + ".err");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                CleanerCrashDrillChild.class.getName(), dataDir.toString(), String.valueOf(SEED), String.valueOf(cycle),
                String.valueOf(segmentBytes), String.valueOf(deleteRetentionMs), String.valueOf(mapKeys))
                .redirectError(errors.toFile())
                .start();
        int acks = 0;
        boolean cleaning = false;
        long cleaned = 0;
        long removed = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String ready;
            try (StallWatch starting = StallWatch.of(child, STALL)) {
                ready = lines.readLine();
            }
            if (ready == null) {
                fail(where + ": the child died before it opened the log: " + Files.readString(errors));
            }
            assertEquals("ready " + endOffset, ready, where + ": the child reopened the log at another end offset");
            // SIGKILL: no shutdown hook, no close, no marker. Through the handle, so that the pipe stays open for
            // the lines the child wrote before it died (Process.destroyForcibly closes it).
            killer.schedule(() -> child.toHandle().destroyForcibly(), killAfterMs, TimeUnit.MILLISECONDS);
            String line;
            while ((line = lines.readLine()) != null) { // after the kill, the lines already written still arrive
                String[] words = line.split(" ");
                switch (words[0]) {
                    case "ack" -> {
                        long offset = Long.parseLong(words[1]);
                        int seq = Integer.parseInt(words[2]);
                        assertEquals(endOffset + seq, offset, where + ": one appender, so seq n is at the start + n");
                        acknowledged.put(offset, cycle);
                        acks++;
                    }
                    case "cleaning" -> cleaning = true;
                    case "cleaned" -> {
                        cleaning = false;
                        if (Boolean.parseBoolean(words[1])) {
                            cleaned++;
                        }
                        removed += Long.parseLong(words[2]);
                    }
                    default -> fail(where + ": the child printed '" + line + "'");
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
        assertTrue(child.exitValue() != 0, where + ": the child was killed, it did not stop: " + Files.readString(errors));
        return new Run(acks, cleaning, cleaned, removed);
    }

    /** Reopens the log after a kill and checks every promise. */
    private void checkRecovered(int cycle, String where) throws IOException {
        Path partition = dataDir.resolve(CleanerCrashDrillChild.TOPIC + "-0");
        List<String> leftBehind = swapFiles(partition);
        if (leftBehind.stream().anyMatch(name -> name.endsWith(".log.swap"))) {
            killsAfterCommit++; // the commit rename was done: opening must finish the swap
        } else if (!leftBehind.isEmpty()) {
            killsBeforeCommit++; // a rewritten segment not yet committed: opening must undo it
        }
        try (FileLog log = FileLog.open(dataDir, CleanerCrashDrillChild.TOPIC, 0,
                CleanerCrashDrillChild.config(16 * 1024, LONG_RETENTION_MS), Clock.systemUTC(), Archive.discard())) {
            assertEquals(partition, log.directory());
            assertEquals(List.of(), swapFiles(partition), where + ": opening the log finishes or undoes every swap");
            assertFalse(log.recoveryReport().cleanShutdown(), where + ": a killed process leaves no marker");

            long start = endOffset;
            long end = log.endOffset();
            assertTrue(end >= start, where + ": the log ends at " + end + ", before this cycle's start " + start);
            for (long offset = start; offset < end; offset++) { // acknowledged, or a tail that survived the kill
                stream.put(offset, CleanerCrashDrillChild.record(SEED, cycle, (int) (offset - start)));
            }
            endOffset = end;
            for (long offset : acknowledged.keySet()) {
                assertTrue(offset < end, where + ": acknowledged offset " + offset + " is past the end, " + end
                        + "; " + log.recoveryReport());
            }

            Map<Long, Record> inLog = readLog(log, where);
            Map<Long, ArchivedEvent> inArchive = readArchive(where);
            for (long offset = 0; offset < end; offset++) {
                assertTrue(inLog.containsKey(offset) || inArchive.containsKey(offset), where + ": offset " + offset
                        + (acknowledged.containsKey(offset) ? ", acknowledged," : ", which survived a kill,")
                        + " is neither in the log nor in the archive");
            }
            Map<Long, Record> everything = new TreeMap<>();
            inArchive.forEach((offset, row) -> everything.put(offset, recordOf(row)));
            everything.putAll(inLog);
            Map<String, String> expected = table(List.copyOf(stream.values()));
            assertEquals(expected, table(List.copyOf(everything.values())),
                    where + ": the log and the archive together replay to the stream's table");
            assertEquals(expected, table(List.copyOf(inLog.values())), where + ": the log alone replays to the stream's table");

            SegmentDump.verifyAll(partition).forEach(check -> assertTrue(check.ok(), where + ": after recovery, " + check));
        }
    }

    /** Every record in the log by offset, each checked against the one the stream has there. */
    private Map<Long, Record> readLog(FileLog log, String where) {
        Map<Long, Record> records = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        long previous = -1;
        long from = log.earliest();
        while (from < log.endOffset()) {
            List<OffsetRecord> batch = log.readBatchWithOffsets(from, 1000);
            if (batch.isEmpty()) {
                break;
            }
            for (OffsetRecord next : batch) {
                long offset = next.offset();
                assertTrue(offset > previous, where + ": offset " + offset + " after " + previous
                        + ": offsets rise and never repeat");
                previous = offset;
                assertSameRecord(offset, next.record(), where + ": in the log");
                assertTrue(seen.add(identity(next.record())), where + ": " + identity(next.record()) + " is in the log twice");
                records.put(offset, next.record());
            }
            from = batch.get(batch.size() - 1).offset() + 1;
        }
        return records;
    }

    /** Every row of the archive by offset, each checked against the record the stream has there. */
    private Map<Long, ArchivedEvent> readArchive(String where) throws IOException {
        Path root = CleanerCrashDrillChild.archiveRoot(dataDir);
        Map<Long, ArchivedEvent> rows = new HashMap<>();
        if (!Files.isDirectory(root)) {
            return rows;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(file -> file.getFileName().toString().endsWith(".csv")
                    && !file.getFileName().toString().startsWith(".")).toList();
        }
        archiveFiles.keySet().retainAll(files);
        for (Path file : files) {
            FileTime modified = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            ArchiveFile known = archiveFiles.get(file);
            if (known == null || !known.modified().equals(modified) || known.size() != size) {
                archiveFiles.put(file, new ArchiveFile(modified, size, CsvArchive.read(file)));
            }
        }
        for (ArchiveFile file : archiveFiles.values()) {
            for (ArchivedEvent row : file.rows()) {
                assertEquals(ArchiveReason.COMPACTION, row.reason(), where + ": " + row);
                assertEquals(CleanerCrashDrillChild.TOPIC, row.topic(), where + ": " + row);
                assertSameRecord(row.offset(), recordOf(row), where + ": in the archive");
                rows.put(row.offset(), row);
            }
        }
        return rows;
    }

    private void assertSameRecord(long offset, Record actual, String where) {
        Record expected = stream.get(offset);
        assertNotNull(expected, where + ": offset " + offset + " was never written (the log ends at " + endOffset + ")");
        String what = where + ": offset " + offset + " should be " + identity(expected);
        assertEquals(expected.keyText(), actual.keyText(), what);
        assertEquals(expected.valueText(), actual.valueText(), what);
        assertEquals(expected.timestamp(), actual.timestamp(), what);
    }

    private static Record recordOf(ArchivedEvent row) {
        return Record.of(row.key(), row.value(), row.timestamp());
    }

    /** Cycle and seq, from the timestamp, which a tombstone has too. */
    private static String identity(Record record) {
        long millis = record.timestamp().toEpochMilli() - CleanerCrashDrillChild.START.toEpochMilli();
        return "cycle " + millis / 1_000_000 + " seq " + millis % 1_000_000;
    }

    private static List<String> swapFiles(Path partition) throws IOException {
        if (!Files.isDirectory(partition)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(partition)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".cleaned") || name.endsWith(".swap")).sorted().toList();
        }
    }
}
