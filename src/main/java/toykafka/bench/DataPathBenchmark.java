package toykafka.bench;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.DoubleSupplier;
import java.util.function.ToLongFunction;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.broker.Partitions.Acks;
import toykafka.broker.FetchParams;
import toykafka.broker.FetchPartition;
import toykafka.broker.PartitionData;
import toykafka.common.Compression;
import toykafka.common.Errors;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;
import toykafka.harness.BenchBroker;
import toykafka.harness.PrintedReport;
import toykafka.harness.WorkFolder;
import toykafka.lesson04.OnDuplicate;
import toykafka.common.FetchedBatches;
import toykafka.lesson09.FileLog;

/**
 * The broker's data path in process, against the file log alone doing the same work: what
 * {@link Partitions} adds on the way in (a producer's batches appended) and on the way out (stored
 * batches read from many partitions), and how soon an append completes the reads waiting on it in the
 * purgatory. No front end and no JSON: this is what the Kafka front end stands on.
 *
 * @param batches client batches of 500 records to append in each run
 */
record DataPathBenchmark(Path work, int batches, int repeats, PrintedReport report) {

    static final double TARGET = 0.9;
    private static final int PARTITIONS = 4;
    private static final int PARTITION_MAX_BYTES = 1 << 20;
    static final int WAITING_READS = 5_000;

    /** Measures all three, prints them, and returns the targets' verdicts for the summary line. */
    List<String> run(String value) {
        ByteBuffer batch = clientBatch(value);
        report.line("the data path in process, " + value.length() + "-byte values, client batches of "
                + BrokerBenchmark.BATCH + " (" + batch.remaining() + " bytes):");
        try (BenchBroker running = BenchBroker.start(BenchBroker.config(work.resolve("data-path-" + value.length())))) {
            Broker broker = running.broker();
            double append = ratio("Partitions.append", "FileLog.appendBatches alone",
                    () -> logAppend(batch), () -> partitionsAppend(broker, batch));
            double read = ratio("Partitions.read, " + PARTITIONS + " partitions", "FileLog.fetch of the same bytes",
                    () -> logFetch(batch), () -> partitionsRead(broker, batch));
            completions(broker, batch);
            return List.of(verdict("data path append", append), verdict("data path read", read));
        }
    }

    private static ByteBuffer clientBatch(String value) {
        List<Record> records = new ArrayList<>(BrokerBenchmark.BATCH);
        for (int i = 0; i < BrokerBenchmark.BATCH; i++) {
            records.add(new Record(null, value.getBytes(), Instant.ofEpochMilli(1_700_000_000_000L + i), List.of()));
        }
        return RecordBatch.of(records, 0, Compression.NONE).buffer();
    }

    /**
     * Best MB/s of each, over the repeats, the two taking turns: on a machine shared with other work,
     * a busy spell then slows both alike rather than one of them.
     */
    private double ratio(String what, String baseline, DoubleSupplier baselineRun, DoubleSupplier measuredRun) {
        double baselineMbs = 0;
        double measuredMbs = 0;
        for (int i = 0; i < repeats; i++) {
            baselineMbs = Math.max(baselineMbs, baselineRun.getAsDouble());
            measuredMbs = Math.max(measuredMbs, measuredRun.getAsDouble());
        }
        double ratio = measuredMbs / baselineMbs;
        report.line(String.format("  %-32s %8.1f MB/s  against %-30s %8.1f MB/s  ratio %.2f", what, measuredMbs,
                baseline, baselineMbs, ratio));
        return ratio;
    }

    private static String verdict(String what, double ratio) {
        return String.format("%s %.2f (>= %.1f %s)", what, ratio, TARGET, ratio >= TARGET ? "met" : "MISSED");
    }

    // ---- append ----

    /** The log's own append of the producer's batches: the baseline. */
    private double logAppend(ByteBuffer batch) {
        Path dir = work.resolve("log-" + System.nanoTime());
        try (FileLog log = FileLog.open(dir, "baseline", 0, TopicConfig.defaults())) {
            long started = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                log.appendBatches(batch.duplicate()); // the base offset is outside the CRC: the same bytes serve again
            }
            return megabytesPerSecond((long) batches * batch.remaining(), started);
        } finally {
            WorkFolder.deleteQuietly(dir);
        }
    }

    private double partitionsAppend(Broker broker, ByteBuffer batch) {
        String topic = "append-" + System.nanoTime();
        broker.createTopic(topic, 1, Map.of(), OnDuplicate.FAIL);
        TopicPartition partition = new TopicPartition(topic, 0);
        try {
            long started = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                Errors error = broker.partitions().append(Map.of(partition, batch.duplicate()), Acks.ALL).get(partition).error();
                if (error != Errors.NONE) {
                    throw new IllegalStateException("the benchmark's batch was refused: " + error);
                }
            }
            return megabytesPerSecond((long) batches * batch.remaining(), started);
        } finally {
            broker.deleteTopic(topic);
        }
    }

    // ---- read ----

    /** Each partition read from its start to its end, 1 MiB at a time, with FileLog.fetch: the baseline. */
    private double logFetch(ByteBuffer batch) {
        List<FileLog> logs = new ArrayList<>();
        Path dir = work.resolve("logs-" + System.nanoTime());
        try {
            for (int p = 0; p < PARTITIONS; p++) {
                FileLog log = FileLog.open(dir, "baseline", p, TopicConfig.defaults());
                logs.add(log);
                fill(batch, bytes -> log.appendBatches(bytes));
            }
            ByteBuffer into = ByteBuffer.allocateDirect(PARTITION_MAX_BYTES);
            long bytes = 0;
            long started = System.nanoTime();
            for (FileLog log : logs) {
                long offset = 0;
                long end = log.endOffset();
                while (offset < end) {
                    long filled = 0;
                    // on past segment ends while a batch like the last would still fit, as a read does
                    while (offset < end && PARTITION_MAX_BYTES - filled > batch.remaining()) {
                        FetchedBatches fetched = log.fetch(offset, into.clear().limit((int) (PARTITION_MAX_BYTES - filled)).slice());
                        filled += fetched.bytes().remaining();
                        offset = fetched.nextOffset();
                    }
                    bytes += filled;
                }
            }
            return megabytesPerSecond(bytes, started);
        } finally {
            logs.forEach(FileLog::close);
            WorkFolder.deleteQuietly(dir);
        }
    }

    /** The same partitions read through Partitions.read, all in each request, until every one is at its end. */
    private double partitionsRead(Broker broker, ByteBuffer batch) {
        String topic = "read-" + System.nanoTime();
        broker.createTopic(topic, PARTITIONS, Map.of(), OnDuplicate.FAIL);
        try {
            long[] offsets = new long[PARTITIONS];
            long[] ends = new long[PARTITIONS];
            for (int p = 0; p < PARTITIONS; p++) {
                TopicPartition partition = new TopicPartition(topic, p);
                fill(batch, bytes -> broker.partitions().append(Map.of(partition, bytes), Acks.ALL).get(partition).baseOffset());
                ends[p] = broker.partitions().listOffsets(partition, Partitions.LATEST).offset();
            }
            ByteBuffer into = ByteBuffer.allocateDirect(PARTITIONS * PARTITION_MAX_BYTES); // a front end's, reused
            long bytes = 0;
            long started = System.nanoTime();
            while (!Arrays.equals(offsets, ends)) {
                List<FetchPartition> wanted = new ArrayList<>();
                for (int p = 0; p < PARTITIONS; p++) {
                    wanted.add(new FetchPartition(new TopicPartition(topic, p), offsets[p], PARTITION_MAX_BYTES));
                }
                Map<TopicPartition, PartitionData> read = broker.partitions().readAndWait(new FetchParams(Duration.ZERO, 1,
                        PARTITIONS * PARTITION_MAX_BYTES, wanted), into);
                for (int p = 0; p < PARTITIONS; p++) {
                    FetchedBatches fetched = read.get(new TopicPartition(topic, p)).batches();
                    bytes += fetched.bytes().remaining();
                    offsets[p] = fetched.isEmpty() ? offsets[p] : fetched.nextOffset();
                }
            }
            return megabytesPerSecond(bytes, started);
        } finally {
            broker.deleteTopic(topic);
        }
    }

    /** Appends the run's batches, split over the partitions being read. */
    private void fill(ByteBuffer batch, ToLongFunction<ByteBuffer> append) {
        for (int i = 0; i < Math.max(1, batches / PARTITIONS); i++) {
            append.applyAsLong(batch.duplicate());
        }
    }

    // ---- the purgatory ----

    /**
     * 5,000 reads wait on one partition; one append lands. Reports how long after the append began each
     * read completed, best of the repeats by the last one, and how many threads the JVM had before the
     * reads and while they waited (the purgatory holds none of its own).
     */
    private void completions(Broker broker, ByteBuffer batch) {
        String topic = "waiting-" + System.nanoTime();
        broker.createTopic(topic, 1, Map.of(), OnDuplicate.FAIL);
        TopicPartition partition = new TopicPartition(topic, 0);
        long[] best = null;
        int threadsBefore = 0;
        int threadsWaiting = 0;
        try {
            for (int r = 0; r < repeats; r++) {
                int before = ManagementFactory.getThreadMXBean().getThreadCount();
                long end = broker.partitions().listOffsets(partition, Partitions.LATEST).offset();
                long[] completed = new long[WAITING_READS];
                List<CompletableFuture<?>> reads = new ArrayList<>(WAITING_READS);
                for (int i = 0; i < WAITING_READS; i++) {
                    int n = i;
                    reads.add(broker.partitions().read(FetchParams.of(partition, end, PARTITION_MAX_BYTES, Duration.ofMinutes(1)))
                            .thenRun(() -> completed[n] = System.nanoTime()));
                }
                threadsBefore = before;
                threadsWaiting = Math.max(threadsWaiting, ManagementFactory.getThreadMXBean().getThreadCount());
                long appended = System.nanoTime();
                broker.partitions().append(Map.of(partition, batch.duplicate()), Acks.ALL);
                CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).join();
                for (int i = 0; i < WAITING_READS; i++) {
                    completed[i] -= appended;
                }
                Arrays.sort(completed);
                if (best == null || completed[WAITING_READS - 1] < best[WAITING_READS - 1]) {
                    best = completed;
                }
            }
        } finally {
            broker.deleteTopic(topic);
        }
        report.line(String.format("  %,d reads waiting on one partition, one append: completed p50 %.2f ms, p99 %.2f ms,"
                + " last %.2f ms after the append began", WAITING_READS, best[WAITING_READS / 2] / 1e6,
                best[(int) (WAITING_READS * 0.99) - 1] / 1e6, best[WAITING_READS - 1] / 1e6));
        report.line(String.format("  JVM threads while they waited: %d (%d before the reads)", threadsWaiting, threadsBefore));
    }

    private static double megabytesPerSecond(long bytes, long startedNanos) {
        return bytes * 1e3 / Math.max(1, System.nanoTime() - startedNanos);
    }
}
