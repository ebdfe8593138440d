package toykafka.broker;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import toykafka.archive.ArchiveDirectory;
import toykafka.broker.group.GroupConfig;
import toykafka.broker.group.GroupCoordinator;
import toykafka.common.InvalidConfigurationException;
import toykafka.common.InvalidRequestException;
import toykafka.common.InvalidTopicException;
import toykafka.common.OffsetRecord;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetReset;
import toykafka.common.Record;
import toykafka.common.RecordLog;
import toykafka.common.RecordMetadata;
import toykafka.common.RecordRules;
import toykafka.common.TopicConfig;
import toykafka.common.TopicExistsException;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownTopicOrPartitionException;
import toykafka.lesson04.BrokerSettings;
import toykafka.lesson04.DefaultPartitioner;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson04.Partitioner;
import toykafka.lesson04.TopicRegistry;
import toykafka.lesson05.ConsumerRecord;
import toykafka.lesson08.FileLog;
import toykafka.lesson11.LogCleaner;
import toykafka.lesson11.OffsetMap;
import toykafka.lesson08.FileLogStorage;
import toykafka.lesson08.SegmentInfo;

/**
 * The course's broker: one process that keeps topics in a data directory and serves them. Everything
 * here is an earlier lesson put to work: lesson 4's topics on lesson 8's file logs, lesson 5's groups
 * with their offsets in a topic of their own, lesson 7's long poll, lesson 3's archive before retention
 * deletes. Front ends (HTTP now, Kafka's own protocol later) turn requests into these calls.
 */
public final class Broker implements AutoCloseable {

    /** The broker's own topic of statistics, readable like any other (Kaf's {@code _kaf}). */
    public static final String STATS_TOPIC = "__broker_stats";
    public static final String OFFSETS_TOPIC = CommittedOffsets.TOPIC;
    /** The most records one read returns; Kafka's max.poll.records defaults to 500. */
    public static final int MAX_RECORDS_PER_READ = 10_000;
    private static final Set<String> INTERNAL = Set.of(OFFSETS_TOPIC, STATS_TOPIC);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A record to produce, and the partition it must go to, or null to let the partitioner choose. */
    public record Outgoing(Integer partition, Record record) {
        public Outgoing {
            Objects.requireNonNull(record, "a record must not be null");
        }
    }

    /** One partition as a reader sees it: from its log start offset to its end offset. */
    public record PartitionInfo(int partition, long logStartOffset, long endOffset) {
    }

    /** A topic: its partitions and its config (every key, and the keys it sets itself). */
    public record TopicInfo(String name, boolean internal, List<PartitionInfo> partitions,
                            SortedMap<String, String> config, SortedMap<String, String> overrides) {
    }

    /**
     * A consumer group as an admin sees it (Kafka's describeConsumerGroups and listConsumerGroupOffsets):
     * the assignor that shares out its partitions, its generation, each member's partitions (members in id
     * order), and the offsets it has committed.
     */
    public record GroupInfo(String groupId, String assignor, int generation,
                            SortedMap<String, List<TopicPartition>> assignment, SortedMap<TopicPartition, Long> committed) {
    }

    /** Records read from one partition, with where the next read starts. */
    public record Fetched(TopicPartition partition, List<ConsumerRecord> records, long nextOffset,
                          long logStartOffset, long endOffset) {
    }

    private final BrokerConfig config;
    private final Clock clock;
    private final Consumer<String> events;
    private final OpenLogs logs;
    private final TopicRegistry topics;
    private final ArchiveDirectory archive;
    private final Partitioner partitioner = new DefaultPartitioner();
    private final Arrivals arrivals = new Arrivals();
    private final BrokerStats stats = new BrokerStats();
    private final GroupCoordinator coordinator;
    private final ConsumerInstances consumers;
    private final ScheduledExecutorService background;
    private final ScheduledExecutorService cleanerThread;
    private final LogCleaner cleaner;
    private final Instant started;
    private volatile Instant lastStats;
    private long statsNumber;

    private Broker(BrokerConfig config, Clock clock, Consumer<String> events) {
        this.config = config;
        this.clock = clock;
        this.events = events;
        this.started = clock.instant();
        this.lastStats = started;
        Path dataDir = config.dataDir().toAbsolutePath().normalize();
        this.archive = new ArchiveDirectory(dataDir.resolve("archive"));
        archive.removeUnfinished();
        this.logs = new OpenLogs(new FileLogStorage(dataDir, clock, archive));
        TopicRegistry registry;
        try {
            registry = new TopicRegistry(new BrokerSettings(false, config.numPartitions()), clock, logs);
        } catch (RuntimeException e) {
            logs.close();
            throw e;
        }
        this.topics = registry;
        this.coordinator = new GroupCoordinator(clock, groupConfig(config), new CommittedOffsets(topics, clock));
        this.consumers = new ConsumerInstances(topics, coordinator, arrivals, stats, clock,
                Duration.ofMillis(config.sessionTimeoutMs()));
        this.background = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "toykafka-broker-background");
            thread.setDaemon(true);
            return thread;
        });
        this.cleanerThread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "toykafka-log-cleaner");
            thread.setDaemon(true);
            return thread;
        });
        this.cleaner = new LogCleaner(new OffsetMap(config.cleanerDedupeBufferSize()), archive, clock);
    }

    /** Opens the data directory (recovering every log), replays the committed offsets, starts the schedules. */
    public static Broker start(BrokerConfig config) {
        return start(config, Clock.systemUTC(), message -> { });
    }

    /** As {@link #start(BrokerConfig)}, on this clock, telling {@code events} what the background jobs do. */
    public static Broker start(BrokerConfig config, Clock clock, Consumer<String> events) {
        Broker broker = new Broker(Objects.requireNonNull(config, "config"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(events, "events"));
        try {
            broker.createInternalTopics();
            int commits = broker.coordinator.replay();
            events.accept("replayed " + commits + " committed offsets from " + OFFSETS_TOPIC);
            broker.schedule();
            return broker;
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    private void createInternalTopics() {
        // Commits are fsynced before they are acknowledged, and compacted, as Kafka's are: only each group's
        // latest commit per partition matters, so the cleaner takes the older ones.
        Map<String, String> offsetsConfig = Map.of(TopicConfig.FLUSH_MESSAGES, "1", TopicConfig.CLEANUP_POLICY,
                "compact", TopicConfig.SEGMENT_BYTES, String.valueOf(config.offsetsTopicSegmentBytes()));
        ensureTopic(OFFSETS_TOPIC, TopicConfig.of(offsetsConfig));
        TopicConfig current = topics.log(OFFSETS_TOPIC, 0).config();
        if (!current.compact() || current.segmentBytes() != config.offsetsTopicSegmentBytes()) {
            // written by a broker that kept every commit, or with other settings: from now on old commits can go
            Map<String, String> compacted = new TreeMap<>(current.overrides());
            compacted.putAll(offsetsConfig);
            compacted.remove(TopicConfig.RETENTION_MS);
            topics.replaceConfig(OFFSETS_TOPIC, compacted);
        }
        ensureTopic(STATS_TOPIC, TopicConfig.of(Map.of(TopicConfig.RETENTION_MS, String.valueOf(Duration.ofDays(7).toMillis()))));
    }

    private void ensureTopic(String name, TopicConfig topicConfig) {
        if (!topics.listTopics().contains(name)) {
            topics.createTopic(name, 1, OnDuplicate.FAIL, topicConfig);
        }
    }

    // tag::schedules[]
    private void schedule() {
        long retention = config.retentionCheckIntervalMs();
        background.scheduleWithFixedDelay(() -> quietly("retention", this::applyRetention), retention, retention,
                TimeUnit.MILLISECONDS);
        long sessions = Math.max(10, Math.min(1000, config.sessionTimeoutMs() / 3));
        background.scheduleWithFixedDelay(() -> quietly("group sessions", this::tickGroups), sessions, sessions,
                TimeUnit.MILLISECONDS);
        long statsEvery = config.statsIntervalMs();
        if (statsEvery > 0) {
            background.scheduleWithFixedDelay(() -> quietly("statistics", this::writeStats), statsEvery, statsEvery,
                    TimeUnit.MILLISECONDS);
        }
        if (config.cleanerEnabled()) {
            // a thread of its own: a long cleaning must not hold up session expiry or statistics
            long backoff = config.cleanerBackoffMs();
            cleanerThread.scheduleWithFixedDelay(() -> quietly("log cleaner", this::cleanLogs), backoff, backoff,
                    TimeUnit.MILLISECONDS);
        }
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

    // ---- topics ----

    /** Whether the topic is one of the broker's own, which clients may read but not change. */
    public static boolean isInternal(String topic) {
        return INTERNAL.contains(topic);
    }

    /** Every topic's name, the broker's own included, in order. */
    public List<String> listTopics() {
        return topics.listTopics();
    }

    public TopicInfo describeTopic(String name) {
        TopicRegistry.validateName(name); // a name no topic can have is named as such, not as unknown
        TopicConfig topicConfig = topics.log(name, 0).config();
        List<PartitionInfo> partitions = new ArrayList<>();
        for (int p = 0; p < topics.partitionsFor(name); p++) {
            RecordLog log = topics.log(name, p);
            partitions.add(new PartitionInfo(p, log.earliest(), log.endOffset()));
        }
        return new TopicInfo(name, INTERNAL.contains(name), partitions, topicConfig.values(), topicConfig.overrides());
    }

    /**
     * Creates a topic with {@code partitions} partitions (null for num.partitions) and these config keys
     * set on top of the broker's defaults; every key is checked before anything is created.
     */
    public String createTopic(String name, Integer partitions, Map<String, String> configs, OnDuplicate onDuplicate) {
        Map<String, String> wanted = new TreeMap<>(config.topicDefaults());
        wanted.putAll(Objects.requireNonNull(configs, "configs"));
        TopicConfig topicConfig = TopicConfig.of(wanted);
        return topics.createTopic(name, partitions == null ? config.numPartitions() : partitions, onDuplicate, topicConfig);
    }

    /** Sets the topic's whole config: keys not given go back to the broker's defaults. */
    public void replaceConfig(String name, Map<String, String> configs) {
        requireUserTopic(name, "change the config of");
        Map<String, String> wanted = new TreeMap<>(config.topicDefaults());
        wanted.putAll(configs);
        TopicConfig.of(wanted); // checks every value before anything changes
        topics.replaceConfig(name, wanted);
    }

    /** Changes only the keys given. */
    public void patchConfig(String name, Map<String, String> changes) {
        requireUserTopic(name, "change the config of");
        topics.log(name, 0).config().patched(changes); // checks every value before anything changes
        topics.patchConfig(name, changes);
    }

    /** Deletes the topic and its data; every group's offsets for it are deleted first. */
    public void deleteTopic(String name) {
        requireUserTopic(name, "delete");
        coordinator.forgetTopic(name);
        topics.deleteTopic(name);
        arrivals.signal(); // long polls on it wake and find it gone
    }

    /** Adds partitions; existing records stay where they are. */
    public void increasePartitions(String name, int total) {
        requireUserTopic(name, "add partitions to");
        topics.increasePartitions(name, total);
        arrivals.signal();
    }

    private void requireUserTopic(String name, String action) {
        TopicRegistry.validateName(name);
        if (INTERNAL.contains(name)) {
            throw new InvalidTopicException("cannot " + action + " " + name + ": it is one of the broker's own"
                    + " topics (" + OFFSETS_TOPIC + ", " + STATS_TOPIC + "), which clients may read but not change");
        }
    }

    // ---- producing ----

    // tag::produce[]
    /**
     * Appends records, each to the partition it names or the one the partitioner picks (murmur2 of the
     * key, round robin without one). Everything is checked first (topic, partitions, sizes), so a refused
     * request writes nothing; then each partition's records go in as one batch. With flush.messages=1 the
     * records are on disk when this returns. Returns each record's partition and offset, in request order.
     */
    public List<RecordMetadata> produce(String topic, List<Outgoing> records) {
        if (records == null || records.isEmpty()) {
            throw new InvalidRequestException("a produce request needs 1 or more records; it had none");
        }
        requireUserTopic(topic, "produce to");
        int partitionCount = partitionsForWrite(topic);
        Map<Integer, List<Integer>> byPartition = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            Outgoing outgoing = records.get(i);
            int partition = outgoing.partition() != null ? outgoing.partition()
                    : partitioner.partition(topic, outgoing.record(), partitionCount);
            if (partition < 0 || partition >= partitionCount) {
                throw UnknownTopicOrPartitionException.unknownPartition(topic, partition, partitionCount);
            }
            byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(i);
        }
        TopicConfig topicConfig = topics.log(topic, 0).config();
        RecordRules rules = RecordRules.of(topicConfig);
        byPartition.values().forEach(indexes -> rules.check(indexes.stream().map(i -> records.get(i).record()).toList()));

        RecordMetadata[] written = new RecordMetadata[records.size()];
        byPartition.forEach((partition, indexes) -> {
            List<Record> batch = indexes.stream().map(i -> records.get(i).record()).toList();
            RecordMetadata first = topics.appendAll(topic, partition, batch);
            for (int k = 0; k < indexes.size(); k++) {
                written[indexes.get(k)] = new RecordMetadata(first.partition(), first.offset() + k,
                        topicConfig.logAppendTime() ? first.timestamp() : batch.get(k).timestamp());
            }
            stats.produced(topic, batch.size(), batch.stream().mapToLong(Record::sizeInBytes).sum());
        });
        arrivals.signal();
        return Arrays.asList(written);
    }
    // end::produce[]

    /**
     * The topic's partition count, creating it first if auto.create.topics.enable says so: what Kafka's
     * metadata request does for a producer about to write.
     */
    public int partitionsForWrite(String topic) {
        requireUserTopic(topic, "produce to");
        if (!topics.listTopics().contains(TopicRegistry.validateName(topic)) && config.autoCreateTopics()) {
            try {
                createTopic(topic, null, Map.of(), OnDuplicate.FAIL);
                events.accept("created topic " + topic + " on its first record (auto.create.topics.enable=true)");
            } catch (TopicExistsException raced) {
                // another producer created it first: use theirs
            }
        }
        if (!topics.listTopics().contains(topic)) {
            throw UnknownTopicOrPartitionException.unknownTopicForWrite(topic, topics.listTopics());
        }
        return topics.partitionsFor(topic);
    }

    /**
     * Moves a partition's log start offset up to {@code before}, archiving the records below it first
     * (Kafka's {@code Admin.deleteRecords}, Kaf's archive). An offset at or below the log start offset
     * changes nothing, as in Kafka. Returns the log start offset.
     *
     * @throws OffsetOutOfRangeException if {@code before} is negative or past the end offset, naming the range
     */
    public long deleteRecords(String topic, int partition, long before) {
        requireUserTopic(topic, "delete records of");
        topics.log(topic, partition); // refuses an unknown topic or partition, with the partitions there are
        return fileLog(topic, partition).deleteRecordsBefore(before);
    }

    /** The file log under a partition; refuses one that is not there (its topic deleted meanwhile). */
    private FileLog fileLog(String topic, int partition) {
        FileLog log = logs.log(new TopicPartition(topic, partition));
        if (log == null) {
            throw UnknownTopicOrPartitionException.unknownPartition(topic, partition, topics.partitionsFor(topic));
        }
        return log;
    }

    // ---- reading ----

    /** Turns "earliest", "latest" or an offset into an offset of the partition, checking the offset. */
    public long offsetOf(String topic, int partition, String position) {
        TopicRegistry.validateName(topic);
        RecordLog log = topics.log(topic, partition);
        switch (Objects.requireNonNull(position, "position")) {
            case "earliest":
                return log.earliest();
            case "latest":
                return log.endOffset();
            default:
                long offset;
                try {
                    offset = Long.parseLong(position);
                } catch (NumberFormatException e) {
                    throw new InvalidRequestException("offset '" + position + "' is not earliest, latest or a whole"
                            + " number from " + log.earliest() + " to " + log.endOffset());
                }
                if (offset < log.earliest() || offset > log.endOffset()) {
                    throw OffsetOutOfRangeException.of(offset, log.earliest(), log.endOffset());
                }
                return offset;
        }
    }

    /**
     * The base offset of the segment file that holds the record at {@code offset}: where Katar's records
     * said they were, as a base offset and an offset relative to it.
     */
    public long segmentBaseOffset(String topic, int partition, long offset) {
        topics.log(topic, partition).resolve(offset); // refuses an offset the log does not hold, with its range
        String segment = fileLog(topic, partition).locate(offset).segment();
        return Long.parseLong(segment.substring(0, segment.indexOf('.')));
    }

    /** The first offset stamped at or after the time, or the end offset if none is (Kafka's offsetsForTimes). */
    public long offsetForTime(String topic, int partition, Instant time) {
        RecordLog log = topics.log(topic, partition);
        OptionalLong offset = log.offsetForTime(time);
        return offset.isPresent() ? offset.getAsLong() : log.endOffset();
    }

    // tag::fetch[]
    /**
     * Up to {@code maxRecords} records from {@code offset} on. At the end of the log it waits up to
     * {@code wait} for records to arrive (a long poll), so a reader neither spins nor misses anything.
     */
    public Fetched fetch(String topic, int partition, long offset, int maxRecords, Duration wait) {
        TopicRegistry.validateName(topic);
        if (maxRecords < 1 || maxRecords > MAX_RECORDS_PER_READ) {
            throw new InvalidRequestException("max records must be from 1 to " + MAX_RECORDS_PER_READ + ", was " + maxRecords);
        }
        RecordLog log = topics.log(topic, partition);
        if (offset < log.earliest() || offset > log.endOffset()) {
            throw OffsetOutOfRangeException.of(offset, log.earliest(), log.endOffset());
        }
        if (offset == log.endOffset() && !wait.isZero()) {
            RecordLog waitingOn = log;
            arrivals.await(() -> !topics.listTopics().contains(topic) || waitingOn.endOffset() > offset, wait);
            log = topics.log(topic, partition); // fails now if the topic was deleted meanwhile
        }
        List<OffsetRecord> read = readOn(log, offset, maxRecords);
        TopicPartition where = new TopicPartition(topic, partition);
        List<ConsumerRecord> records = new ArrayList<>(read.size());
        for (OffsetRecord record : read) {
            records.add(new ConsumerRecord(where, record.offset(), record.record()));
        }
        stats.consumed(topic, read.size(), read.stream().mapToLong(record -> record.record().sizeInBytes()).sum());
        long next = read.isEmpty() ? offset : read.get(read.size() - 1).offset() + 1;
        return new Fetched(where, records, next, log.earliest(), log.endOffset());
    }
    // end::fetch[]

    /**
     * Up to {@code maxRecords} records from {@code offset}, reading on past segment ends: after cleaning, a
     * segment may hold only a few records, and a reader asking for a hundred should get a hundred.
     */
    private static List<OffsetRecord> readOn(RecordLog log, long offset, int maxRecords) {
        List<OffsetRecord> read = new ArrayList<>();
        long next = offset;
        while (read.size() < maxRecords && next < log.endOffset()) {
            List<OffsetRecord> more = log.readBatchWithOffsets(next, maxRecords - read.size());
            if (more.isEmpty()) {
                break;
            }
            read.addAll(more);
            next = more.get(more.size() - 1).offset() + 1; // real offsets, not a count: a compacted log has gaps
        }
        return read;
    }

    // ---- groups ----

    /**
     * The coordinator's settings. The broker's REST consumer instances join with session.timeout.ms, so the
     * session timeouts a group allows always include it, whatever the bounds for Kafka's consumers say.
     */
    private static GroupConfig groupConfig(BrokerConfig config) {
        long session = config.sessionTimeoutMs();
        return new GroupConfig(Duration.ofMillis(config.groupInitialRebalanceDelayMs()),
                Duration.ofMillis(Math.min(session, config.groupMinSessionTimeoutMs())),
                Duration.ofMillis(Math.max(Math.min(session, Integer.MAX_VALUE), config.groupMaxSessionTimeoutMs())));
    }

    /** The group coordinator, for a front end that speaks Kafka's group protocol. */
    public GroupCoordinator groupCoordinator() {
        return coordinator;
    }

    /** Applies the clock to every group (sessions, rebalance timeouts) and drops idle consumer instances. */
    public void tickGroups() {
        coordinator.tick();
        if (consumers.dropIdle() > 0) {
            arrivals.signal();
        }
    }

    /** Adds a REST consumer instance to a group, not yet reading anything; returns its name. */
    public String createMember(String group, String name, OffsetReset reset) {
        return consumers.create(group, name, Objects.requireNonNull(reset, "auto.offset.reset"));
    }

    public void subscribe(String group, String member, Set<String> topicNames) {
        consumers.subscribe(group, member, topicNames);
    }

    public void heartbeat(String group, String member) {
        consumers.heartbeat(group, member);
    }

    public List<TopicPartition> assignment(String group, String member) {
        return consumers.assignment(group, member);
    }

    public List<ConsumerRecord> poll(String group, String member, int maxRecords, Duration wait) {
        if (maxRecords < 1 || maxRecords > MAX_RECORDS_PER_READ) {
            throw new InvalidRequestException("max records must be from 1 to " + MAX_RECORDS_PER_READ + ", was " + maxRecords);
        }
        return consumers.poll(group, member, maxRecords, wait);
    }

    public void seek(String group, String member, TopicPartition partition, long offset) {
        consumers.seek(group, member, partition, offset);
    }

    /** Commits the given offsets, or with none the member's positions; on disk before it returns. */
    public Map<TopicPartition, Long> commit(String group, String member, Map<TopicPartition, Long> offsets) {
        return consumers.commit(group, member, offsets);
    }

    public SortedMap<TopicPartition, Long> committed(String group) {
        return consumers.committed(group);
    }

    public void leave(String group, String member) {
        consumers.leave(group, member);
    }

    /** A group's generation, members, assignment and commits; a group nobody has used is empty, in generation 0. */
    public GroupInfo describeGroup(String group) {
        return consumers.describe(group);
    }

    // ---- background work ----

    // tag::retention[]
    /** One pass of retention over every partition: archives, then deletes, the expired segments. */
    public List<SegmentInfo> applyRetention() {
        List<SegmentInfo> deleted = new ArrayList<>();
        for (Map.Entry<TopicPartition, FileLog> entry : logs.logs()) {
            try {
                List<SegmentInfo> gone = entry.getValue().applyRetention();
                if (!gone.isEmpty()) {
                    events.accept("retention archived and deleted " + gone.size() + " segment(s) of " + entry.getKey());
                }
                deleted.addAll(gone);
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
        for (Map.Entry<TopicPartition, FileLog> entry : logs.logs()) {
            if (!entry.getValue().config().compact()) {
                continue;
            }
            try {
                LogCleaner.Pass pass = cleaner.clean(entry.getValue(), entry.getKey().topic(), entry.getKey().partition(),
                        false);
                if (pass.cleaned()) {
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

    /** Appends one JSON record of the broker's statistics to its statistics topic. */
    public synchronized void writeStats() {
        Instant now = clock.instant();
        Map<String, Object> topicsNow = new TreeMap<>();
        stats.snapshot().forEach((name, counts) -> {
            Map<String, Object> about = new LinkedHashMap<>();
            about.put("records_in", counts.recordsIn());
            about.put("bytes_in", counts.bytesIn());
            about.put("records_out", counts.recordsOut());
            about.put("bytes_out", counts.bytesOut());
            about.put("errors", counts.errors());
            if (topics.listTopics().contains(name)) {
                about.put("end_offsets", describeTopic(name).partitions().stream().map(PartitionInfo::endOffset).toList());
            }
            topicsNow.put(name, about);
        });
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("stat_number", ++statsNumber);
        snapshot.put("start", lastStats.toString());
        snapshot.put("end", now.toString());
        snapshot.put("topics", topicsNow);
        snapshot.put("groups", consumers.describeAll());
        try {
            topics.appendAll(STATS_TOPIC, 0, List.of(new Record(null, JSON.writeValueAsBytes(snapshot), now, List.of())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lastStats = now;
        arrivals.signal();
    }

    public BrokerStats stats() {
        return stats;
    }

    public BrokerConfig config() {
        return config;
    }

    /** Where the topics live. */
    public String dataDir() {
        return topics.location();
    }

    /** The folder of CSV files that retention and deleteRecords archive to before they delete. */
    public Path archiveDirectory() {
        return archive.root();
    }

    public Instant started() {
        return started;
    }

    @Override
    public String toString() {
        return "Broker" + listTopics();
    }

    /** Answers every waiting long poll now, with what it has: the first step of shutting down. */
    public void stopWaiting() {
        arrivals.close();
    }

    /** Stops the schedules, then closes every log cleanly, so the next start needs no recovery. */
    @Override
    public void close() {
        arrivals.close();
        cleanerThread.shutdown(); // a pass under way finishes its swap: a log is never left half cleaned
        try {
            cleanerThread.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        background.shutdown();
        try {
            background.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (topics != null) {
            topics.close();
        }
    }
}
