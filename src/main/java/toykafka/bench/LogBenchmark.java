package toykafka.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import toykafka.apachekafka.KafkaJars;
import toykafka.apachekafka.KafkaLogRun;
import toykafka.common.Compression;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.RecordBatchSize;
import toykafka.common.TopicConfig;
import toykafka.harness.PrintedReport;
import toykafka.harness.WorkFolder;
import toykafka.lesson08.*;
import toykafka.lesson09.*;
import toykafka.common.FetchedBatches;

/**
 * Measures the file-backed log against the disk it stands on: appends and sequential reads as a ratio to
 * raw {@link FileChannel} writes and reads of the same bytes, and to Apache Kafka's own log on the same
 * batches ({@link KafkaLogRun}), in the same run; fsync per append with one and with eight appenders; and
 * recovery time after an unclean shutdown. {@code toykafka bench log} runs it.
 */
public final class LogBenchmark {

    /**
     * @param workDir       where the benchmark makes a directory of its own for its files, and deletes it
     *                      afterwards; nothing else there is touched
     * @param bytesPerRun   how much each append or read measurement moves
     * @param batchBytes    the size of each append batch and each raw write
     * @param repeats       how often each measurement runs; the best run counts
     * @param fsyncRun      how long each fsync-per-append measurement runs
     * @param recoveryBytes how much is written before the simulated crash whose recovery is timed
     */
    public record Settings(Path workDir, long bytesPerRun, int batchBytes, int repeats, Duration fsyncRun,
                           long recoveryBytes) {

        public static Settings standard(Path workDir) {
            return new Settings(workDir, 256L << 20, 256 << 10, 3, Duration.ofSeconds(3), 256L << 20);
        }
    }

    private static final int READ_CHUNK = 1 << 20;
    private static final int[] VALUE_SIZES = {100, 1024};
    private static final int FSYNC_VALUE_SIZE = 100;
    private static final Duration KAFKA_LOG_LIMIT = Duration.ofMinutes(15);

    private final Settings settings;
    private final KafkaJars kafka;
    private final PrintedReport report;
    private final List<String> targets = new ArrayList<>();
    private Path work;
    private int logs;

    /** @param kafka the jars of the Apache Kafka whose log ours is measured against */
    public LogBenchmark(Settings settings, KafkaJars kafka, PrintStream out) {
        this.settings = settings;
        this.kafka = kafka;
        this.report = new PrintedReport(out);
    }

    /** Runs every measurement, printing as it goes; returns the report that was printed. */
    public String run() {
        try (WorkFolder folder = WorkFolder.under(settings.workDir(), "log-work-")) {
            work = folder.path();
            report.heading("log");
            report.line(String.format(Locale.ROOT, "  %d MiB per measurement, appended in batches of %d KiB and"
                    + " read in fetches of %d KiB; best of %d; reads come from the page cache the writes filled",
                    settings.bytesPerRun() >> 20, settings.batchBytes() >> 10, READ_CHUNK >> 10, settings.repeats()));
            List<KafkaLogRun.Rates> kafkaLog = kafkaLog();
            warmUp();
            for (int i = 0; i < VALUE_SIZES.length; i++) {
                throughput(VALUE_SIZES[i], kafkaLog.get(i));
            }
            fsyncPerAppend();
            recovery();
            report.line("targets: " + String.join("; ", targets));
        } catch (IOException e) {
            throw new UncheckedIOException("the benchmark failed in " + work + ": " + e.getMessage(), e);
        }
        return report.text();
    }

    /** Lets the JIT compile the hot paths before anything is timed. */
    private void warmUp() throws IOException {
        List<Record> batch = batch(100);
        FileLog log = newLog(TopicConfig.defaults());
        for (long written = 0; written < Math.min(settings.bytesPerRun(), 32L << 20); written += bytes(batch)) {
            log.appendAll(batch);
        }
        readAll(log, true);
        readAll(log, false);
        log.close();
        WorkFolder.deleteQuietly(log.directory());
    }

    /**
     * Apache Kafka's UnifiedLog on the batches our log appends, with our log's segment size, index interval
     * and flush policy (none), in a JVM of its own; its rates, one per value size.
     */
    private List<KafkaLogRun.Rates> kafkaLog() {
        List<ByteBuffer> batches = new ArrayList<>();
        for (int valueSize : VALUE_SIZES) {
            batches.add(encoded(batch(valueSize)));
        }
        TopicConfig ours = TopicConfig.defaults();
        List<KafkaLogRun.Rates> rates = KafkaLogRun.run(kafka, new KafkaLogRun.Settings(work.resolve("kafka-log"),
                settings.bytesPerRun(), settings.repeats(), READ_CHUNK, ours.segmentBytes(), ours.indexIntervalBytes(),
                KAFKA_LOG_LIMIT), batches);
        report.line(String.format(Locale.ROOT, "  Apache Kafka %s's UnifiedLog ran first, in a JVM of its own, on the"
                + " same batches, segment size (%d MiB) and flush policy (no fsync)", kafka.version(),
                ours.segmentBytes() >> 20));
        return rates;
    }

    /** What a producer sends: the batch our log appends, Kafka's log appends and raw writes write. */
    private static ByteBuffer encoded(List<Record> batch) {
        return RecordBatch.of(batch, 0, Compression.NONE).buffer();
    }

    // tag::throughput[]
    private void throughput(int valueSize, KafkaLogRun.Rates kafkaLog) throws IOException {
        List<Record> batch = batch(valueSize);
        ByteBuffer encoded = encoded(batch);
        double rawWrite = 0;
        double logAppend = 0;
        double logAppendRecords = 0;
        double rawRead = 0;
        double logFetch = 0;
        double logRecords = 0;
        double rawSend = 0;
        double logSend = 0;
        for (int run = 0; run < settings.repeats(); run++) {
            Path raw = work.resolve("raw.bin");
            rawWrite = Math.max(rawWrite, rawWrite(raw, encoded));
            Files.delete(raw);
            FileLog encoding = newLog(TopicConfig.defaults());
            long started = System.nanoTime();
            for (long written = 0; written < settings.bytesPerRun(); written += encoded.limit()) {
                encoding.appendAll(batch);
            }
            logAppendRecords = Math.max(logAppendRecords, rate(settings.bytesPerRun(), started));
            encoding.close();
            WorkFolder.deleteQuietly(encoding.directory());
            FileLog log = newLog(TopicConfig.defaults());
            started = System.nanoTime();
            long written = 0;
            while (written < settings.bytesPerRun()) {
                written += encoded.limit();
                log.appendBatches(encoded.duplicate());
            }
            logAppend = Math.max(logAppend, rate(written, started));
            Path segment = log.directory().resolve(log.segments().get(0).name());
            rawRead = Math.max(rawRead, rawRead(segment));
            rawSend = Math.max(rawSend, rawSend(segment));
            logSend = Math.max(logSend, sendAll(log));
            logFetch = Math.max(logFetch, readAll(log, true));
            logRecords = Math.max(logRecords, readAll(log, false));
            log.close();
            WorkFolder.deleteQuietly(log.directory());
        }
        report.line(String.format(Locale.ROOT, "values of %d bytes (%d records in a %d-byte batch):", valueSize,
                batch.size(), encoded.limit()));
        report.line(compare("append", "log batches", logAppend, "raw write", rawWrite)
                + "  (batches a producer encoded: checked, given offsets, written)");
        report.line(compare("", "log batches", logAppend, "Kafka log", kafkaLog.append())
                + "  (the same batches: Kafka's UnifiedLog.appendAsLeader)");
        report.line(compare("", "log records", logAppendRecords, "raw write", rawWrite)
                + "  (Record objects, encoded by the log)");
        report.line(compare("send", "log batches", logSend, "raw send", rawSend)
                + "  (stored batches, file to channel without a copy: transferTo, as a broker fetches)");
        report.line(compare("read", "log fetch", logFetch, "raw read", rawRead)
                + "  (checked batches, copied into a buffer)");
        report.line(compare("", "log fetch", logFetch, "Kafka log", kafkaLog.read())
                + "  (UnifiedLog.read, fetches of the same size, copied and CRC-checked alike)");
        report.line(compare("", "log records", logRecords, "raw read", rawRead)
                + "  (decoded into Record objects)");
        target("append " + valueSize + " B", logAppend / rawWrite, 0.8); // the goal for batches a producer encoded: near the disk's own speed
        target("send " + valueSize + " B", logSend / rawSend, 0.8);
        target("append " + valueSize + " B / Kafka's log", logAppend / kafkaLog.append(), 1.0);
        target("read " + valueSize + " B / Kafka's log", logFetch / kafkaLog.read(), 1.0);
    }

    private void target(String what, double ratio, double wanted) {
        targets.add(String.format(Locale.ROOT, "%s %.2f (>= %.1f %s)", what, ratio, wanted,
                ratio >= wanted ? "met" : "MISSED"));
    }
    // end::throughput[]

    private static String compare(String what, String logName, double log, String rawName, double raw) {
        return String.format(Locale.ROOT, "  %-6s %-11s %6.0f MB/s  %-9s %6.0f MB/s  ratio %.2f", what, logName,
                log / 1e6, rawName, raw / 1e6, log / raw);
    }

    private double rawWrite(Path file, ByteBuffer batch) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long started = System.nanoTime();
            long written = 0;
            while (written < settings.bytesPerRun()) {
                ByteBuffer bytes = batch.duplicate();
                while (bytes.hasRemaining()) {
                    written += channel.write(bytes);
                }
            }
            return rate(written, started);
        }
    }

    private static double rawRead(Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(READ_CHUNK);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long started = System.nanoTime();
            long read = 0;
            int n;
            while ((n = channel.read(buffer.clear())) > 0) {
                read += n;
            }
            return rate(read, started);
        }
    }

    /** Sends the file to a sink that discards it, in fetch-sized transfers: the kernel's copy alone. */
    private static double rawSend(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ); FileChannel sink = sink()) {
            long started = System.nanoTime();
            long sent = 0;
            long size = channel.size();
            while (sent < size) {
                sent += channel.transferTo(sent, Math.min(READ_CHUNK, size - sent), sink);
            }
            return rate(sent, started);
        }
    }

    /** Sends the whole log from offset 0 through its zero-copy fetch, to the same kind of sink. */
    private static double sendAll(FileLog log) throws IOException {
        try (FileChannel sink = sink()) {
            long started = System.nanoTime();
            long sent = 0;
            long offset = log.earliest();
            while (offset < log.endOffset()) {
                LocalLog.Sent transfer = log.transferTo(offset, READ_CHUNK, sink);
                sent += transfer.bytes();
                offset = transfer.nextOffset();
            }
            return rate(sent, started);
        }
    }

    /** Where sent bytes go: /dev/null, so that only the sending is measured, not a receiver. */
    private static FileChannel sink() throws IOException {
        return FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE);
    }

    /** Reads the whole log from offset 0: as checked batches (a fetch), or decoded into records. */
    private static double readAll(FileLog log, boolean asStored) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(READ_CHUNK);
        long started = System.nanoTime();
        long bytes = 0;
        long offset = log.earliest();
        long records = 0;
        while (offset < log.endOffset()) {
            FetchedBatches fetched = log.fetch(offset, buffer);
            bytes += fetched.bytes().limit();
            offset = fetched.nextOffset();
            if (!asStored) {
                records += fetched.records(Integer.MAX_VALUE).size();
            }
        }
        if (!asStored && records != log.size()) {
            throw new IllegalStateException("read " + records + " records of " + log.size());
        }
        return rate(bytes, started);
    }

    // tag::fsync[]
    /**
     * One appender, then eight, in alternating slices: the disk's fsync time drifts (a virtual disk more
     * than most), and alternating puts both through the same weather.
     */
    private void fsyncPerAppend() throws IOException {
        report.line(String.format(Locale.ROOT, "fsync before each append returns (%d-byte values, %.1f s each,"
                + " in %d alternating slices):", FSYNC_VALUE_SIZE, settings.fsyncRun().toMillis() / 1000.0, SLICES));
        Duration slice = settings.fsyncRun().dividedBy(SLICES);
        long[] single = new long[3];
        long[] eight = new long[3];
        for (int i = 0; i < SLICES; i++) {
            add(single, durableAppends(1, slice));
            add(eight, durableAppends(8, slice));
        }
        double singleRate = describe(1, single);
        double eightRate = describe(8, eight);
        report.line(String.format(Locale.ROOT, "  8 appenders / 1 appender: %.1f times the durable append rate",
                eightRate / singleRate));
        target("group commit", eightRate / singleRate, 4);
    }

    private static final int SLICES = 6;

    private static void add(long[] total, long[] slice) {
        for (int i = 0; i < total.length; i++) {
            total[i] += slice[i];
        }
    }

    private double describe(int appenders, long[] appendsFsyncsNanos) {
        double seconds = appendsFsyncsNanos[2] / 1e9;
        double rate = appendsFsyncsNanos[0] / seconds;
        report.line(String.format(Locale.ROOT, "  %d appender%s %8.0f appends/s  %7.0f fsyncs/s  %5.1f appends per fsync",
                appenders, appenders == 1 ? " " : "s", rate, appendsFsyncsNanos[1] / seconds,
                (double) appendsFsyncsNanos[0] / Math.max(1, appendsFsyncsNanos[1])));
        return rate;
    }

    /** Appends from {@code appenders} threads for a while; returns appends, fsyncs and nanoseconds. */
    private long[] durableAppends(int appenders, Duration duration) throws IOException {
        FileLog log = newLog(TopicConfig.defaults().with(TopicConfig.FLUSH_MESSAGES, 1));
        List<Record> records = batch(FSYNC_VALUE_SIZE);
        LongAdder appends = new LongAdder();
        CountDownLatch start = new CountDownLatch(1);
        long deadline = System.nanoTime() + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < appenders; t++) {
            int first = t;
            Thread thread = new Thread(() -> {
                awaitQuietly(start);
                for (int i = first; System.nanoTime() < deadline; i += appenders) {
                    log.append(records.get(i % records.size()));
                    appends.increment();
                }
            });
            thread.start();
            threads.add(thread);
        }
        long started = System.nanoTime();
        start.countDown();
        for (Thread thread : threads) {
            joinQuietly(thread);
        }
        long nanos = System.nanoTime() - started;
        long fsyncs = log.fsyncs();
        log.close();
        WorkFolder.deleteQuietly(log.directory());
        return new long[] {appends.sum(), fsyncs, nanos};
    }
    // end::fsync[]

    // tag::recovery[]
    private void recovery() throws IOException {
        report.line(String.format(Locale.ROOT, "recovery after an unclean shutdown (%d MiB written, then the"
                + " process stops without a clean shutdown; scaled to 1 GiB; page cache warm):",
                settings.recoveryBytes() >> 20));
        for (int valueSize : VALUE_SIZES) {
            List<Record> batch = batch(valueSize);
            FileLog log = newLog(TopicConfig.defaults());
            for (long written = 0; written < settings.recoveryBytes(); written += bytes(batch)) {
                log.appendAll(batch);
            }
            log.simulateCrash();
            FileLog recovered = FileLog.open(work, "bench", logs - 1, TopicConfig.defaults());
            RecoveryReport done = recovered.recoveryReport();
            recovered.close();
            WorkFolder.deleteQuietly(recovered.directory());
            double seconds = done.nanos() / 1e9;
            double perGiB = seconds * (1L << 30) / done.bytesScanned();
            report.line(String.format(Locale.ROOT, "  %4d-byte values: %d records, %d MiB checked in %.2f s:"
                    + " %.2f s per GiB", valueSize, done.recordsScanned(), done.bytesScanned() >> 20, seconds, perGiB));
        }
    }
    // end::recovery[]

    private FileLog newLog(TopicConfig config) {
        return FileLog.open(work, "bench", logs++, config);
    }

    /** About one batch's worth of records with random values, so nothing compresses or repeats. */
    private List<Record> batch(int valueSize) {
        Random random = new Random(valueSize);
        int recordSize = 12 + valueSize; // a record's fields and varints, about
        int count = Math.max(1, (settings.batchBytes() - RecordBatch.HEADER_SIZE) / recordSize);
        Instant stamp = Instant.parse("2024-03-01T12:00:00Z");
        List<Record> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[valueSize];
            random.nextBytes(value);
            records.add(new Record(null, value, stamp.plusMillis(i), List.of()));
        }
        return records;
    }

    private static long bytes(List<Record> records) {
        return RecordBatchSize.of(records);
    }

    private static double rate(long bytes, long startedNanos) {
        return bytes / ((System.nanoTime() - startedNanos) / 1e9);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
