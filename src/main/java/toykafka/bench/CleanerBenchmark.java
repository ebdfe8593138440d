package toykafka.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import toykafka.archive.Archive;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.harness.PrintedReport;
import toykafka.harness.WorkFolder;
import toykafka.lesson09.FileLog;
import toykafka.lesson08.SegmentInfo;
import toykafka.lesson12.LogCleaner;
import toykafka.lesson12.OffsetMap;

/**
 * Lesson 12's log cleaner at scale: a compacted log of many records (default a million), with 1 %, 10 % and
 * 100 % of them distinct keys, cleaned until no pass cleans anything. Each cleaning is set against a
 * baseline in the same run: reading the same log once, record by record, as the cleaner's own map-building
 * read does. The ratio says what the cleaner costs beyond one read: a second read to rewrite, an MD5 per
 * record twice, the new segments written and forced, and one more pass each time the offset map fills.
 */
public final class CleanerBenchmark {

    /**
     * @param workDir    where the benchmark makes a directory of its own, and deletes it afterwards
     * @param records    records in each log
     * @param valueBytes the size of each record's value
     * @param repeats    runs of each measurement, each on a freshly built log; the best counts
     * @param mapBytes   the offset map's memory
     */
    public record Settings(Path workDir, int records, int valueBytes, int repeats, int mapBytes) {

        /** 16 MiB holds 629,145 keys: a million distinct keys take two passes. Kafka's default is 128 MiB. */
        public static final int DEFAULT_MAP_MIB = 16;

        public static Settings standard(Path workDir) {
            return new Settings(workDir, 1_000_000, 100, 3, DEFAULT_MAP_MIB << 20);
        }
    }

    /** What one share of distinct keys measured. */
    public record Result(double distinctShare, int keys, long logBytes, long cleanableBytes, double readRate,
                         double cleanRate, int passes, long bytesAfter, long recordsRemoved, int peakKeys,
                         double probesPerLookup) {

        public double ratio() {
            return cleanRate / readRate;
        }
    }

    private static final double[] SHARES = {0.01, 0.10, 1.00};
    private static final int SEGMENT_BYTES = 16 << 20;
    private static final int MIN_SEGMENTS = 4;
    private static final int APPEND_BATCH = 500;
    private static final int READ_BATCH = 10_000;
    private static final int VALUES = 4096;
    private static final int MAX_PASSES = 10_000;

    private final Settings settings;
    private final PrintedReport report;
    private final Clock clock = Clock.systemUTC();
    private final List<byte[]> values;
    private final int segmentBytes;
    private Path work;
    private int logs;

    public CleanerBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.report = new PrintedReport(out);
        Random random = new Random(11);
        values = new ArrayList<>(VALUES);
        for (int i = 0; i < VALUES; i++) {
            byte[] value = new byte[settings.valueBytes()];
            for (int b = 0; b < value.length; b++) {
                value[b] = (byte) ('a' + random.nextInt(26)); // text, as a JSON value would be, but no repeats to speak of
            }
            values.add(value);
        }
        segmentBytes = segmentBytes(settings.records(), settings.valueBytes());
    }

    /**
     * 16 MiB, as a compacted topic might have, unless the log would then have fewer than four segments: the
     * active one is never cleaned, so a small log gets smaller segments, and most of it is still cleaned.
     */
    static int segmentBytes(int records, int valueBytes) {
        long logBytes = (long) records * (valueBytes + 11 + 10); // value, key and a record's own fields, about
        return (int) Math.max(64 << 10, Math.min(SEGMENT_BYTES, logBytes / MIN_SEGMENTS));
    }

    /** Runs every measurement, printing as it goes; returns the report that was printed. */
    public String run() {
        try (WorkFolder folder = WorkFolder.under(settings.workDir(), "cleaner-bench-")) {
            work = folder.path();
            int maxKeys = new OffsetMap(settings.mapBytes()).maxKeys();
            report.line(String.format(Locale.ROOT, "toykafka bench cleaner: %,d records of %d-byte values per log,"
                    + " segment.bytes %s, cleanup.policy=compact; offset map %d MiB (%,d keys before it is full);"
                    + " best of %d, each on a fresh log; %d cores, max heap %,d MiB", settings.records(),
                    settings.valueBytes(), size(segmentBytes), settings.mapBytes() >> 20, maxKeys,
                    settings.repeats(), Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20));
            report.line("  read once: the whole log through readBatchWithOffsets, " + READ_BATCH + " records at a time;"
                    + " clean: passes (force) until none cleans, over the segments below the active one");
            warmUp();
            report.line(String.format(Locale.ROOT, "  %-8s %9s %10s %10s %6s %6s %21s %11s %19s %6s", "distinct", "keys",
                    "read once", "clean", "ratio", "passes", "log MB before->after", "removed", "map peak keys",
                    "probes"));
            for (double share : SHARES) {
                Result result = measure(share);
                report.line(String.format(Locale.ROOT, "  %-8s %,9d %5.0f MB/s %5.0f MB/s %6.2f %6d %9.1f -> %8.1f %,11d"
                        + " %,10d (%3.0f%%) %6.1f", percent(share), result.keys(), result.readRate() / 1e6,
                        result.cleanRate() / 1e6, result.ratio(), result.passes(), result.logBytes() / 1e6,
                        (result.logBytes() - result.cleanableBytes() + result.bytesAfter()) / 1e6,
                        result.recordsRemoved(), result.peakKeys(), 100.0 * result.peakKeys() / maxKeys,
                        result.probesPerLookup()));
            }
            report.line("  clean MB/s: the segments below the active one, as they were before cleaning, over the time of every"
                    + " pass; ratio: clean over read once; probes: map slots looked at per key looked up");
            return report.text();
        }
    }

    private static String size(int bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : String.format(Locale.ROOT, "%,d bytes", bytes);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    /** A smaller log read and cleaned once, so the JIT has compiled the hot paths before anything is timed. */
    private void warmUp() {
        int records = Math.max(1, settings.records() / 5);
        FileLog log = build(records, Math.max(1, records / 10), segmentBytes(records, settings.valueBytes()));
        try {
            readAll(log);
            readAll(log);
            cleanAll(log, new OffsetMap(settings.mapBytes()));
        } finally {
            discard(log);
        }
    }

    private Result measure(double share) {
        int keys = Math.max(1, (int) Math.round(settings.records() * share));
        double bestRead = 0;
        double bestClean = 0;
        Cleaned cleaned = null;
        double probes = 0;
        long logBytes = 0;
        long cleanable = 0;
        int distinct = 0;
        for (int run = 0; run < settings.repeats(); run++) {
            FileLog log = build(settings.records(), keys, segmentBytes);
            try {
                List<SegmentInfo> segments = log.segments();
                logBytes = segments.stream().mapToLong(SegmentInfo::bytes).sum();
                cleanable = logBytes - segments.get(segments.size() - 1).bytes();
                long started = System.nanoTime();
                distinct = readAll(log);
                bestRead = Math.max(bestRead, logBytes / seconds(started));
                OffsetMap map = new OffsetMap(settings.mapBytes());
                started = System.nanoTime();
                cleaned = cleanAll(log, map);
                bestClean = Math.max(bestClean, cleanable / seconds(started));
                probes = map.probesPerLookup();
            } finally {
                discard(log);
            }
        }
        return new Result(share, distinct, logBytes, cleanable, bestRead, bestClean, cleaned.passes,
                cleaned.bytesAfter, cleaned.removed, cleaned.peakKeys,
                probes);
    }

    /**
     * A compacted log of {@code records} records in batches of 500: every key once, in order, when there are
     * as many keys as records; otherwise keys picked at random, so each key's latest record lies anywhere.
     */
    private FileLog build(int records, int keys, int segmentBytes) {
        TopicConfig config = TopicConfig.of(Map.of(TopicConfig.CLEANUP_POLICY, "compact",
                TopicConfig.SEGMENT_BYTES, String.valueOf(segmentBytes), TopicConfig.RETENTION_MS, "-1"));
        FileLog log = FileLog.open(work, "bench", logs++, config, clock, Archive.discard());
        Random random = new Random(keys);
        List<Record> batch = new ArrayList<>(APPEND_BATCH);
        for (int i = 0; i < records; i++) {
            int key = keys >= records ? i : random.nextInt(keys);
            batch.add(new Record(key(key), values.get(i % VALUES), clock.instant(), List.of()));
            if (batch.size() == APPEND_BATCH || i == records - 1) {
                log.appendAll(batch);
                batch.clear();
            }
        }
        return log;
    }

    /** "key-0001234": eleven bytes. */
    private static byte[] key(int number) {
        return String.format(Locale.ROOT, "key-%07d", number).getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads the whole log once, record by record; returns how many distinct keys it holds. */
    private static int readAll(FileLog log) {
        BitSet keys = new BitSet();
        long offset = log.earliest();
        long records = 0;
        while (offset < log.endOffset()) {
            List<OffsetRecord> batch = log.readBatchWithOffsets(offset, READ_BATCH);
            for (OffsetRecord next : batch) {
                keys.set(keyNumber(next.record().key()));
            }
            records += batch.size();
            offset = batch.get(batch.size() - 1).offset() + 1;
        }
        if (records != log.size()) {
            throw new IllegalStateException("read " + records + " records of " + log.size());
        }
        return keys.cardinality();
    }

    /** The number in "key-0001234", without making a string: the read looks at each key as the cleaner does. */
    private static int keyNumber(byte[] key) {
        int number = 0;
        for (int i = 4; i < key.length; i++) {
            number = number * 10 + (key[i] - '0');
        }
        return number;
    }

    private record Cleaned(int passes, long bytesAfter, long removed, int peakKeys) {
    }

    /** Cleans until a pass gets to the active segment; the map is emptied by each pass. */
    private Cleaned cleanAll(FileLog log, OffsetMap map) {
        LogCleaner cleaner = new LogCleaner(map, Archive.discard(), clock);
        int passes = 0;
        long removed = 0;
        int peak = 0;
        while (true) {
            LogCleaner.Pass pass = cleaner.clean(log, "bench", 0, true);
            passes++;
            removed += pass.recordsRemoved();
            peak = Math.max(peak, pass.keys());
            if (pass.finished()) {
                break;
            }
            if (passes == MAX_PASSES) {
                throw new IllegalStateException("the cleaner made " + passes + " passes without finishing: " + pass);
            }
        }
        List<SegmentInfo> segments = log.segments();
        long sealed = segments.stream().limit(segments.size() - 1).mapToLong(SegmentInfo::bytes).sum();
        return new Cleaned(passes, sealed, removed, peak);
    }

    private static void discard(FileLog log) {
        Path dir = log.directory();
        log.close();
        WorkFolder.delete(dir);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
