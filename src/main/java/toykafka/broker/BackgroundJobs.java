package toykafka.broker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import toykafka.broker.config.BrokerConfig;
import toykafka.archive.ArchiveDirectory;
import toykafka.broker.coordinators.InternalTopics;
import toykafka.broker.stats.BrokerStats;
import toykafka.broker.stats.StatsRecords;
import toykafka.common.ApiException;
import toykafka.common.ExecutorShutdown;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson08.SegmentInfo;
import toykafka.lesson12.LogCleaner;
import toykafka.lesson12.OffsetMap;
import toykafka.storage.BatchLog;
import toykafka.storage.SegmentFiles;

/**
 * The broker's work that no request asks for: retention, the log cleaner, group session expiry, transaction
 * timeouts and the statistics record, each on a schedule. Kafka runs the same jobs in its {@code LogManager}
 * (retention, flushes), its {@code LogCleaner} threads, the group coordinator's session timers
 * ({@code CoordinatorTimer}; before Kafka 4.0, the old coordinator's purgatory of {@code DelayedHeartbeat}) and
 * its transaction coordinator's {@code abortTimedOutTransactions}.
 */
public final class BackgroundJobs implements AutoCloseable {

    private final Supplier<BrokerConfig> config; // the settings in force: some change while the broker runs
    private final Clock clock;
    private final Consumer<String> events;
    private final OpenLogs logs;
    private static final TopicPartition STATS_PARTITION = new TopicPartition(InternalTopics.STATS, 0);

    private final CoordinatorPartitionWriter writer;
    private final BrokerStats stats;
    /** How often open transactions are checked against their timeouts: Kafka's default, 10 s. */
    private final Runnable tickGroups;
    private final Runnable tickTransactions;
    private final Supplier<SortedMap<String, Map<String, Object>>> groupsNow;
    private final ArchiveDirectory archive;
    private LogCleaner cleaner;
    private int cleanerMemory; // log.cleaner.dedupe.buffer.size of the cleaner's map
    private final ScheduledExecutorService background = daemon("toykafka-broker-background");
    private final ScheduledExecutorService cleanerThread = daemon("toykafka-log-cleaner");
    private Instant lastStats;
    private long statsNumber;
    /** Each partition's last cleaning pass that removed something, with its segments before and after. */
    private final Map<TopicPartition, CleaningSeen> lastCleaning = new ConcurrentHashMap<>();

    /** A cleaning pass as a person would look at it: when, what it did, and the segment files on either side. */
    public record CleaningSeen(Instant at, LogCleaner.Pass pass, List<SegmentInfo> before, List<SegmentInfo> after) {
    }

    BackgroundJobs(Supplier<BrokerConfig> config, Clock clock, Consumer<String> events, OpenLogs logs,
                   ArchiveDirectory archive,
                   CoordinatorPartitionWriter writer, BrokerStats stats, Runnable tickGroups, Runnable tickTransactions,
                   Supplier<SortedMap<String, Map<String, Object>>> groupsNow) {
        this.config = config;
        this.clock = clock;
        this.events = events;
        this.logs = logs;
        this.writer = writer;
        this.stats = stats;
        this.tickGroups = tickGroups;
        this.tickTransactions = tickTransactions;
        this.groupsNow = groupsNow;
        this.archive = archive;
        cleaner();
        this.lastStats = clock.instant();
    }

    private static ScheduledExecutorService daemon(String name) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // a stop does not wait out a backoff
        return executor;
    }

    // tag::schedules[]
    /** Starts every job on its schedule. */
    void start() {
        BrokerConfig config = this.config.get();
        long retention = config.retentionCheckIntervalMs();
        background.scheduleWithFixedDelay(() -> quietly("retention", this::applyRetention), retention, retention,
                TimeUnit.MILLISECONDS);
        long sessions = Math.max(10, Math.min(1000, config.sessionTimeoutMs() / 3));
        background.scheduleWithFixedDelay(() -> quietly("group sessions", tickGroups), sessions, sessions,
                TimeUnit.MILLISECONDS);
        long abortTimedOut = config.transactionAbortIntervalMs();
        background.scheduleWithFixedDelay(() -> quietly("transaction timeouts", tickTransactions), abortTimedOut,
                abortTimedOut, TimeUnit.MILLISECONDS);
        long statsEvery = config.statsIntervalMs();
        if (statsEvery > 0) {
            background.scheduleWithFixedDelay(() -> quietly("statistics", this::writeStats), statsEvery, statsEvery,
                    TimeUnit.MILLISECONDS);
        }
        if (config.cleanerEnabled()) {
            // a thread of its own: a long cleaning must not hold up session expiry or statistics
            cleanAfterBackoff();
        }
    }

    /** The cleaner rests log.cleaner.backoff.ms between passes, read anew each time: it changes while running. */
    private void cleanAfterBackoff() {
        cleanerThread.schedule(() -> {
            quietly("log cleaner", this::cleanLogs);
            if (!cleanerThread.isShutdown()) {
                cleanAfterBackoff();
            }
        }, config.get().cleanerBackoffMs(), TimeUnit.MILLISECONDS);
    }

    /** The cleaner, with a new map when log.cleaner.dedupe.buffer.size changed, as Kafka restarts its cleaner. */
    private synchronized LogCleaner cleaner() {
        int memory = config.get().cleanerDedupeBufferSize();
        if (cleaner == null || memory != cleanerMemory) {
            cleaner = new LogCleaner(new OffsetMap(memory), archive, clock);
            cleanerMemory = memory;
        }
        return cleaner;
    }
    // end::schedules[]

    /** A background job's failure is reported and the schedule goes on: the next run may succeed. */
    private void quietly(String job, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            events.accept(job + " failed: " + e.getMessage());
        }
    }

    // tag::retention[]
    /** One pass of retention over every partition: archives, then deletes, the expired segments. */
    public List<SegmentInfo> applyRetention() {
        List<SegmentInfo> deleted = new ArrayList<>();
        for (Map.Entry<TopicPartition, BatchLog> entry : logs.logs()) {
            try {
                BatchLog.Retained gone = entry.getValue().applyRetention();
                if (!gone.segments().isEmpty()) {
                    events.accept("retention archived and deleted " + gone.segments().size() + " segment(s) of "
                            + entry.getKey());
                } else if (gone.records() > 0) { // no segments and no archive: whole batches went from memory
                    events.accept("retention deleted " + gone.records() + " record(s) of " + entry.getKey() + " from memory");
                }
                deleted.addAll(gone.segments());
            } catch (IllegalStateException closed) {
                // the topic was deleted while the pass ran
            }
        }
        return deleted;
    }
    // end::retention[]

    /**
     * One pass of the log cleaner over every compacted partition whose dirty ratio has reached its topic's
     * {@code min.cleanable.dirty.ratio}: each key's latest record stays, the rest go to the archive.
     */
    public List<LogCleaner.Pass> cleanLogs() {
        List<LogCleaner.Pass> passes = new ArrayList<>();
        LogCleaner cleaner = cleaner();
        for (Map.Entry<TopicPartition, BatchLog> entry : logs.logs()) {
            BatchLog log = entry.getValue();
            Optional<SegmentFiles> files = log.segmentFiles(); // none for a log in memory: never compacted
            if (!log.config().compact() || files.isEmpty()) {
                continue;
            }
            try {
                List<SegmentInfo> before = files.get().segments();
                LogCleaner.Pass pass = files.get().cleanWith(segments -> cleaner.clean(segments,
                        entry.getKey().topic(), entry.getKey().partition(), false));
                if (pass.cleaned()) {
                    lastCleaning.put(entry.getKey(), new CleaningSeen(clock.instant(), pass, before,
                            files.get().segments()));
                    events.accept("the cleaner removed " + pass.recordsRemoved() + " of " + pass.recordsRead()
                            + " records from " + entry.getKey() + ", " + pass.bytesBefore() + " bytes down to "
                            + pass.bytesAfter());
                    passes.add(pass);
                }
            } catch (IllegalStateException closed) {
                // the topic was deleted while the pass ran
            }
        }
        return passes;
    }

    /** The partition's last cleaning pass that removed records, if one has since the broker started. */
    public Optional<CleaningSeen> lastCleaning(TopicPartition partition) {
        return Optional.ofNullable(lastCleaning.get(partition));
    }

    /**
     * Appends the broker's statistics to its statistics topic: one JSON record, or several when that would pass
     * the topic's max.message.bytes (see {@link StatsRecords}), each in a batch of its own.
     */
    public synchronized void writeStats() {
        Instant now = clock.instant();
        Map<String, List<Long>> endOffsets = new TreeMap<>();
        for (Map.Entry<TopicPartition, BatchLog> entry : logs.logs()) { // in topic and partition order
            endOffsets.computeIfAbsent(entry.getKey().topic(), topic -> new ArrayList<>()).add(entry.getValue().endOffset());
        }
        Map<String, Object> topicsNow = new TreeMap<>();
        stats.snapshot().forEach((name, counts) -> {
            Map<String, Object> about = new LinkedHashMap<>();
            about.put("records_in", counts.recordsIn());
            about.put("bytes_in", counts.bytesIn());
            about.put("records_out", counts.recordsOut());
            about.put("bytes_out", counts.bytesOut());
            about.put("errors", counts.errors());
            if (endOffsets.containsKey(name)) {
                about.put("end_offsets", endOffsets.get(name));
            }
            topicsNow.put(name, about);
        });
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("stat_number", ++statsNumber);
        header.put("start", lastStats.toString());
        header.put("end", now.toString());
        header.put("errors_unknown_topics", stats.refusedUnknownTopics());
        int maxBytes = logs.log(STATS_PARTITION).config().maxMessageBytes();
        for (byte[] json : StatsRecords.of(header, new TreeMap<>(topicsNow), groupsNow.get(), maxBytes)) {
            // a batch each: max.message.bytes bounds a batch, so parts written together would pass it again
            try {
                writer.append(STATS_PARTITION, List.of(new Record(null, json, now, List.of())));
            } catch (ApiException e) {
                throw new IllegalStateException("the statistics could not be written to " + InternalTopics.STATS + ": "
                        + e.getMessage(), e);
            }
        }
        lastStats = now;
    }

    /** Stops the schedules; a cleaner pass under way finishes its swap, so a log is never left half cleaned. */
    @Override
    public void close() {
        ExecutorShutdown.shutDownAndWait(cleanerThread, Duration.ofSeconds(60));
        ExecutorShutdown.shutDownAndWait(background, Duration.ofSeconds(10));
    }
}
