import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.server.storage.log.FetchIsolation;
import org.apache.kafka.server.util.KafkaScheduler;
import org.apache.kafka.storage.internals.log.FetchDataInfo;
import org.apache.kafka.storage.internals.log.LogConfig;
import org.apache.kafka.storage.internals.log.LogDirFailureChannel;
import org.apache.kafka.storage.internals.log.ProducerStateManagerConfig;
import org.apache.kafka.storage.internals.log.UnifiedLog;
import org.apache.kafka.storage.log.metrics.BrokerTopicStats;

/**
 * Apache Kafka's own log, UnifiedLog, timed on the batches toykafka's log benchmark appends to its own log.
 * It runs in a JVM of its own on Kafka's broker jars, started by toykafka.apachekafka.KafkaLogRun with Java's
 * single-file source launcher, so it is compiled against exactly those jars and never with the course. It is the
 * one source that names Kafka's internal packages: UnifiedLog is the broker's own storage, with no public API,
 * and timing it is the point. Only the loops are timed: the JVM's start, compiling this file and a warm-up are not.
 *
 * <p>Arguments: work directory, bytes per run, repeats, fetch bytes, segment bytes, index interval bytes,
 * then one file per measurement, each holding one producer batch (RecordBatch v2) that is appended again
 * and again. For each file it prints one line: {@code unifiedlog <n> append <bytes/s> read <bytes/s>}.
 */
public final class KafkaLogDriver {

    private static final int LEADER_EPOCH = 0;
    private static final long WARM_UP_BYTES = 32L << 20;

    private final Path work;
    private final long bytesPerRun;
    private final int fetchBytes;
    private final LogConfig config;
    private final KafkaScheduler scheduler = new KafkaScheduler(1);
    private final BrokerTopicStats stats = new BrokerTopicStats();
    private int logs;

    private KafkaLogDriver(Path work, long bytesPerRun, int fetchBytes, int segmentBytes, int indexIntervalBytes) {
        this.work = work;
        this.bytesPerRun = bytesPerRun;
        this.fetchBytes = fetchBytes;
        // toykafka's log has no fsync unless asked: neither has this one (Kafka's defaults, said out loud)
        this.config = new LogConfig(Map.of(
                TopicConfig.SEGMENT_BYTES_CONFIG, segmentBytes,
                TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, indexIntervalBytes,
                TopicConfig.FLUSH_MESSAGES_INTERVAL_CONFIG, Long.MAX_VALUE,
                TopicConfig.FLUSH_MS_CONFIG, Long.MAX_VALUE,
                TopicConfig.PREALLOCATE_CONFIG, false));
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 7) {
            System.err.println("usage: KafkaLogDriver <work dir> <bytes per run> <repeats> <fetch bytes> <segment bytes>"
                    + " <index interval bytes> <batch file>...; was given " + args.length + " arguments");
            System.exit(2);
        }
        KafkaLogDriver driver = new KafkaLogDriver(Path.of(args[0]), Long.parseLong(args[1]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        int repeats = Integer.parseInt(args[2]);
        List<ByteBuffer> batches = new ArrayList<>();
        for (int i = 6; i < args.length; i++) {
            batches.add(ByteBuffer.wrap(Files.readAllBytes(Path.of(args[i]))));
        }
        driver.scheduler.startup();
        try {
            driver.warmUp(batches.get(0));
            for (int i = 0; i < batches.size(); i++) {
                double append = 0;
                double read = 0;
                for (int run = 0; run < repeats; run++) {
                    double[] rates = driver.appendAndRead(batches.get(i), driver.bytesPerRun);
                    append = Math.max(append, rates[0]);
                    read = Math.max(read, rates[1]);
                }
                System.out.printf(Locale.ROOT, "unifiedlog %d append %.0f read %.0f%n", i, append, read);
                System.out.flush();
            }
        } finally {
            driver.scheduler.shutdown();
            driver.stats.close();
        }
    }

    /** Lets the JIT compile Kafka's append and read paths before anything is timed. */
    private void warmUp(ByteBuffer batch) throws IOException {
        appendAndRead(batch, Math.min(bytesPerRun, WARM_UP_BYTES));
    }

    /** A fresh log: the batch appended until {@code bytes} are written, then read back; both rates, bytes/s. */
    private double[] appendAndRead(ByteBuffer batch, long bytes) throws IOException {
        Path dir = work.resolve("kafka-bench-" + logs++); // UnifiedLog reads topic and partition off the name
        UnifiedLog log = UnifiedLog.create(dir.toFile(), config, 0L, 0L, scheduler, stats, Time.SYSTEM, 900_000,
                new ProducerStateManagerConfig(86_400_000, false), 600_000, new LogDirFailureChannel(1), true,
                Optional.empty());
        try {
            double append = append(log, batch, bytes);
            double read = read(log);
            return new double[] {append, read};
        } finally {
            log.close();
            delete(dir);
        }
    }

    /**
     * Append means appendAsLeader, as a broker appends a producer's batch: checked (CRC, each record's
     * timestamp), given offsets in place, written with its index entries. Kafka refuses a client's batch
     * whose base offset is not 0, and the one before set it, so it is put back: 8 bytes, outside the CRC.
     */
    private static double append(UnifiedLog log, ByteBuffer batch, long bytes) throws IOException {
        long started = System.nanoTime();
        long written = 0;
        long appended = 0;
        while (written < bytes) {
            ByteBuffer sent = batch.duplicate();
            sent.putLong(0, 0L);
            written += sent.remaining();
            log.appendAsLeader(MemoryRecords.readableRecords(sent), LEADER_EPOCH);
            appended++;
        }
        double rate = rate(written, started);
        long records = appended * MemoryRecords.readableRecords(batch.duplicate()).batches().iterator().next().countOrNull();
        if (log.logEndOffset() != records) {
            throw new IllegalStateException("appended " + records + " records, but the log ends at " + log.logEndOffset());
        }
        return rate;
    }

    /**
     * Read means what toykafka's fetch does: from offset 0 to the end, at most a fetch's bytes at a time,
     * copied into a buffer, each whole batch's CRC checked, the next fetch starting after the last whole
     * batch. Kafka's read may end inside a batch; that part is read again by the next fetch and not counted.
     */
    private double read(UnifiedLog log) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(fetchBytes);
        long started = System.nanoTime();
        long bytes = 0;
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            FetchDataInfo fetched = log.read(offset, fetchBytes, FetchIsolation.LOG_END, true);
            Records records = fetched.records;
            if (!(records instanceof FileRecords file)) {
                throw new IllegalStateException("expected a slice of a segment file, got " + records.getClass());
            }
            if (file.sizeInBytes() > buffer.capacity()) {
                buffer = ByteBuffer.allocateDirect(file.sizeInBytes()); // a first batch larger than a fetch
            }
            buffer.clear().limit(file.sizeInBytes());
            file.readInto(buffer, 0);
            long next = offset;
            for (MutableRecordBatch batch : MemoryRecords.readableRecords(buffer).batches()) {
                batch.ensureValid();
                bytes += batch.sizeInBytes();
                next = batch.nextOffset();
            }
            if (next == offset) {
                throw new IllegalStateException("a fetch from offset " + offset + " held no whole batch");
            }
            offset = next;
        }
        if (bytes != log.size()) {
            throw new IllegalStateException("read " + bytes + " bytes of a log of " + log.size());
        }
        return rate(bytes, started);
    }

    private static double rate(long bytes, long startedNanos) {
        return bytes / ((System.nanoTime() - startedNanos) / 1e9);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
