package toykafka.lesson12;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import toykafka.archive.ArchiveDirectory;
import toykafka.archive.ArchiveReason;
import toykafka.archive.ArchivedEvent;
import toykafka.archive.CsvArchive;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.lesson09.FileLog;

/**
 * The process the cleaner crash drill kills. It opens the drill's compacted log, then appends keyed records
 * and tombstones on one thread while another cleans the log pass after pass with a small offset map, until
 * killed. After each flush it prints {@code ack <offset> <seq>} for every record the flush made durable;
 * around each cleaning pass it prints {@code cleaning} and {@code cleaned <swapped> <removed>}.
 * Arguments: the data directory, the drill's seed, the cycle, segment.bytes, delete.retention.ms, and how
 * many keys the cleaner's offset map holds.
 */
public final class CleanerCrashDrillChild {

    static final String TOPIC = "menu";
    /** Record timestamps: long past, so min.compaction.lag.ms and delete.retention.ms 0 never hold a record back. */
    static final Instant START = Instant.parse("2024-03-01T12:00:00Z");
    static final int KEYS = 40;
    /** A safety net: a child nobody kills stops appending by itself. */
    private static final int MAX_APPENDS = 200_000;

    private CleanerCrashDrillChild() {
    }

    static TopicConfig config(int segmentBytes, long deleteRetentionMs) {
        return TopicConfig.defaults().with(TopicConfig.CLEANUP_POLICY, "compact")
                .with(TopicConfig.SEGMENT_BYTES, segmentBytes).with(TopicConfig.INDEX_INTERVAL_BYTES, 256)
                .with(TopicConfig.DELETE_RETENTION_MS, deleteRetentionMs).with(TopicConfig.RETENTION_MS, -1);
    }

    static Path archiveRoot(Path dataDir) {
        return dataDir.resolve("archive");
    }

    /**
     * The {@code seq}-th record cycle {@code cycle} appends: a key of {@link #KEYS}, one in eight a tombstone.
     * The value names the cycle and the seq, and so does the timestamp, which a tombstone also has.
     */
    static Record record(long seed, int cycle, int seq) {
        Random random = new Random(seed * 1_000_003L + cycle * 7_919L + seq);
        String key = "dish-" + random.nextInt(KEYS);
        Instant timestamp = START.plusMillis(cycle * 1_000_000L + seq);
        if (random.nextInt(8) == 0) {
            return Record.of(key, null, timestamp);
        }
        return Record.of(key, "c" + cycle + " s" + seq + " " + "battered cod ".repeat(12).substring(0, random.nextInt(140)),
                timestamp);
    }

    public static void main(String[] args) throws InterruptedException {
        Path dataDir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int cycle = Integer.parseInt(args[2]);
        int segmentBytes = Integer.parseInt(args[3]);
        long deleteRetentionMs = Long.parseLong(args[4]);
        int mapKeys = Integer.parseInt(args[5]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        ArchiveDirectory archive = new ArchiveDirectory(archiveRoot(dataDir));
        archive.removeUnfinished();
        warmUpCsv(dataDir.resolve("warm-up.csv"));
        FileLog log = FileLog.open(dataDir, TOPIC, 0, config(segmentBytes, deleteRetentionMs), Clock.systemUTC(), archive);
        print(out, "ready " + log.endOffset());

        Thread cleaner = new Thread(() -> {
            Random pauses = new Random(seed + cycle);
            LogCleaner passes = new LogCleaner(new OffsetMap(OffsetMap.BYTES_PER_KEY * mapKeys), archive, Clock.systemUTC());
            while (true) {
                print(out, "cleaning");
                LogCleaner.Pass pass = passes.clean(log, TOPIC, 0, true);
                print(out, "cleaned " + pass.cleaned() + " " + pass.recordsRemoved());
                sleep(pass.cleaned() ? pauses.nextInt(20) : 2); // now and then a kill lands between passes
            }
        }, "cleaner");
        cleaner.setDaemon(true);
        cleaner.start();

        Random random = new Random(seed ^ cycle);
        int seq = 0;
        while (seq < MAX_APPENDS) {
            int count = 1 + random.nextInt(8);
            List<Long> offsets = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                offsets.add(log.append(record(seed, cycle, seq + i)));
            }
            log.flush(); // forced: only now are these acknowledged
            StringBuilder acks = new StringBuilder();
            for (int i = 0; i < count; i++) {
                acks.append("ack ").append(offsets.get(i)).append(' ').append(seq + i).append('\n');
            }
            synchronized (out) {
                out.print(acks);
                out.flush();
            }
            seq += count;
            sleep(random.nextInt(3));
        }
    }

    /**
     * Writes and reads one row of CSV, so the archive's first write in a pass is not also the JVM loading the
     * CSV library: a broker has it loaded long before, and the kills should land anywhere in a pass, not mostly there.
     */
    private static void warmUpCsv(Path scratch) {
        CsvArchive csv = new CsvArchive(scratch);
        csv.append(List.of(new ArchivedEvent(TOPIC, 0, 0, START, "k", "v", ArchiveReason.COMPACTION, START)));
        CsvArchive.read(scratch);
        try {
            Files.deleteIfExists(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void print(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
