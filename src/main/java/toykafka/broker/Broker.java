package toykafka.broker;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Consumer;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.config.DynamicBrokerConfigs;
import toykafka.broker.config.DynamicGroupConfigs;
import toykafka.broker.config.FinalizedFeatures;
import toykafka.broker.coordinators.CommittedOffsets;
import toykafka.broker.coordinators.CoordinatorMarkers;
import toykafka.broker.coordinators.GroupTopics;
import toykafka.broker.coordinators.InternalTopics;
import toykafka.broker.coordinators.ShareStateTopic;
import toykafka.broker.coordinators.TransactionStateTopic;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.base.ConsumerGroupTimings;
import toykafka.broker.group.streams.ConfiguredTopology;
import toykafka.broker.share.DeadLetterQueue;
import toykafka.broker.share.ShareLog;
import toykafka.broker.share.SharePartitions;
import toykafka.broker.stats.BrokerStats;
import toykafka.broker.stats.GroupStatistics;
import toykafka.broker.txn.MarkerWriter;
import toykafka.broker.txn.TransactionCoordinator;
import toykafka.common.DelayedActionQueue;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.RecordLog;
import toykafka.common.TopicConfig;
import toykafka.common.TopicExistsException;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownTopicOrPartitionException;
import toykafka.lesson04.BrokerSettings;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson04.TopicRegistry;
import toykafka.storage.BatchLog;
import toykafka.broker.txn.ProducerIdManager;

/**
 * The course's broker: one process that keeps topics in a data directory (or, with storage=memory, in
 * memory only) and serves them. It wires earlier lessons together: lesson 4's topics on lesson 8's file logs, their
 * administration in a {@link TopicAdmin}, the
 * data path in {@link #partitions()} (Kafka's ReplicaManager), the {@link #groupCoordinator()} of Kafka's
 * classic group protocol with its offsets in a topic of their own, and the {@link #jobs()} that run on
 * schedules (retention, archiving first as lesson 3 did, and the cleaner). Front ends (HTTP now, Kafka's own
 * protocol later) turn requests into these calls; REST Proxy's consumer instances are one front end's clients
 * of the coordinator and the data path, as any Kafka consumer is.
 */
public final class Broker implements AutoCloseable {

    /** The broker's own topic of statistics, readable like any other (Kaf's {@code _kaf}). */
    public static final String STATS_TOPIC = InternalTopics.STATS;
    public static final String OFFSETS_TOPIC = InternalTopics.OFFSETS;
    /** The transaction coordinator's log, made when the first transactional producer starts. */
    public static final String TRANSACTIONS_TOPIC = InternalTopics.TRANSACTIONS;
    /** The most records one read returns; Kafka's max.poll.records defaults to 500. */
    public static final int MAX_RECORDS_PER_READ = 10_000;

    /** One partition as a reader sees it: from its log start offset to its end offset. */
    public record PartitionInfo(int partition, long logStartOffset, long endOffset) {
    }

    /**
     * A topic: its partitions and its config (every key, the keys it sets itself, and those it takes from the
     * broker's settings, such as {@code log.retention.ms}; the rest are Kafka's defaults).
     */
    public record TopicInfo(String name, boolean internal, List<PartitionInfo> partitions,
                            SortedMap<String, String> config, SortedMap<String, String> overrides,
                            SortedMap<String, String> inherited, TopicId id) {
    }

    private final BrokerConfig config; // as read at start: the dynamic settings in force are dynamicConfigs'
    private final DynamicBrokerConfigs dynamicConfigs;
    private final DynamicGroupConfigs groupConfigs;
    private final FinalizedFeatures finalizedFeatures;
    private final Clock clock;
    private final Consumer<String> events;
    private final OpenLogs logs;
    private final TopicRegistry topics;
    private final BrokerStorage storage;
    private final DelayedFetches delayedFetches = new DelayedFetches();
    private final DelayedActionQueue delayedActions = new DelayedActionQueue();
    private final Partitions partitions;
    private final BrokerStats stats;
    private final GroupCoordinator coordinator;
    private final SharePartitions shares;
    private final TransactionCoordinator transactions;
    private final MarkerWriter markers;
    private final GroupStatistics groupStatistics;
    private final BackgroundJobs jobs;
    private final Instant started;
    private final DescriptorBudget descriptors;
    private final TopicAdmin topicAdmin;
    private final BrokerAccess access;

    private Broker(BrokerConfig config, Clock clock, Consumer<String> events) {
        this.config = config;
        this.clock = clock;
        this.events = events;
        this.started = clock.instant();
        this.storage = BrokerStorage.of(config, clock, events); // takes the data directory's lock
        this.logs = new OpenLogs(storage.logs());
        this.dynamicConfigs = storage.dynamicConfigs();
        this.groupConfigs = storage.groupConfigs();
        try {
            this.access = BrokerAccess.open(config, storage.dataDir());
            this.finalizedFeatures = storage.dataDir() == null ? FinalizedFeatures.inMemory()
                    : FinalizedFeatures.open(storage.dataDir());
            this.topics = new TopicRegistry(new BrokerSettings(false, config.numPartitions()), clock, logs,
                    dynamicConfigs.current().topicDefaults()); // opens every log
        } catch (RuntimeException e) {
            logs.close();
            throw e;
        }
        this.descriptors = new DescriptorBudget(config.fileDescriptorLimit(), dynamicConfigs.current().maxConnections(),
                storage.descriptorsPerPartition(), storage.openFiles());
        this.topicAdmin = new TopicAdmin(topics, descriptors, delayedFetches, config.numPartitions(),
                () -> dynamicConfigs.current().topicDefaults());
        this.stats = new BrokerStats(topic -> logs.log(new TopicPartition(topic, 0)) != null);
        this.partitions = new Partitions(topics, logs, this::partitionsForWrite, stats, delayedFetches,
                delayedActions);
        CoordinatorPartitionWriter writer = new CoordinatorPartitionWriter(partitions, clock);
        this.coordinator = new GroupCoordinator(clock, config.groupConfig(), new CommittedOffsets(clock, logs::log, writer),
                events, new GroupTopics(topics));
        coordinator.takeTimingsFrom(groupConfigs);
        coordinator.takeStreamsSettingsFrom(groupConfigs);
        coordinator.makeInternalTopicsWith(this::makeInternalTopic);
        ShareLog shareLog = partitions.shareLog();
        this.shares = new SharePartitions(shareLog, topics, clock, groupConfigs::of,
                new ShareStateTopic(topics, writer, clock, config.offsetsTopicSegmentBytes()),
                new DeadLetterQueue(shareLog, topics, (topic, configs) -> createTopic(topic, null, configs,
                        OnDuplicate.FAIL), new DeadLetterQueue.Rules(config.deadLetterAutoCreate(),
                        config.deadLetterTopicPrefix()), clock), events, config.groupShareMaxShareSessions());
        coordinator.tellShareGroupsTo(shares::forget);
        coordinator.takeShareTimingsFrom(groupId -> new ConsumerGroupTimings.Timing(
                groupConfigs.shareHeartbeatIntervalMs(groupId), groupConfigs.shareSessionTimeoutMs(groupId)));
        shares.load().forEach(coordinator::restoreShareGroup);
        this.markers = new CoordinatorMarkers(writer, coordinator);
        this.transactions = new TransactionCoordinator(clock, config.transactionMaxTimeoutMs(),
                () -> storage.producerIds().initProducerId().producerId(),
                new TransactionStateTopic(topics, writer, clock, config.offsetsTopicSegmentBytes()), markers,
                partition -> logs.log(partition) != null, events);
        partitions.verifyTransactionsWith(transactions::verify);
        this.groupStatistics = new GroupStatistics(coordinator, topics);
        this.jobs = new BackgroundJobs(dynamicConfigs::current, clock, events, logs, storage.archive(), writer, stats,
                this::tickGroups, this::tickTransactions, groupStatistics::describe);
        dynamicConfigs.whenChanged(this::changed);
    }

    /**
     * A streams group's repartition or changelog topic, made as Kafka's broker makes one a heartbeat finds missing:
     * with the partitions the topology decided and the topic configs the member sent; null if made, or there already.
     */
    private String makeInternalTopic(ConfiguredTopology.InternalTopic topic) {
        try {
            createTopic(topic.name(), topic.partitions(), topic.configs(), OnDuplicate.FAIL);
            events.accept("made internal topic " + topic.name() + " with " + topic.partitions() + " partitions for a"
                    + " streams group");
            return null;
        } catch (TopicExistsException e) {
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** A dynamic setting changed: topics inherit the new log.* defaults, the budgets take the new limits. */
    private void changed(BrokerConfig now) {
        topics.changeBrokerDefaults(now.topicDefaults());
        descriptors.maxConnections(now.maxConnections());
        events.accept("broker settings changed while running: " + String.join(", ", BrokerConfig.DYNAMIC.stream()
                .filter(name -> now.sourceOf(name).startsWith("dynamic")).map(name -> name + "=" + now.get(name))
                .toList()));
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
            InternalTopics.create(broker.topics, broker.config.offsetsTopicSegmentBytes());
            int commits = broker.coordinator.replay();
            events.accept("replayed " + commits + " committed offsets from " + OFFSETS_TOPIC);
            int transactionalIds = broker.transactions.recover();
            if (transactionalIds > 0) {
                events.accept("replayed " + transactionalIds + " transactional ids from " + TRANSACTIONS_TOPIC);
            }
            broker.jobs.start();
            return broker;
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    // ---- topics ----

    /** Whether the topic is one of the broker's own, which clients may read but not change. */
    public static boolean isInternal(String topic) {
        return InternalTopics.isInternal(topic);
    }

    /** Every topic's name, the broker's own included, in order. */
    public List<String> listTopics() {
        return topics.listTopics();
    }

    /** The id the topic was given when it was made: what a request naming topics by id is resolved against. */
    public TopicId topicId(String name) {
        return topics.topicId(name);
    }

    /** The topic with this id, or null when no topic has it: what a request naming topics by id asks. */
    public String topicName(TopicId id) {
        return topicAdmin.topicName(id);
    }

    public TopicInfo describeTopic(String name) {
        TopicRegistry.validateName(name); // a name no topic can have is named as such, not as unknown
        TopicConfig topicConfig = topics.log(name, 0).config();
        List<PartitionInfo> partitions = new ArrayList<>();
        for (int p = 0; p < topics.partitionCount(name); p++) { // never the write path's lookup, which words a produce
            RecordLog log = topics.log(name, p);
            partitions.add(new PartitionInfo(p, log.earliest(), log.endOffset()));
        }
        return new TopicInfo(name, InternalTopics.isInternal(name), partitions, topicConfig.values(), topicConfig.overrides(),
                topicConfig.inherited(), topics.topicId(name));
    }

    /**
     * One partition's log start offset and end offset now, the range a position or a commit must lie in;
     * an unknown topic or partition is refused, naming those there are.
     */
    public PartitionInfo describePartition(String topic, int partition) {
        RecordLog log = topics.log(topic, partition);
        return new PartitionInfo(partition, log.earliest(), log.endOffset());
    }

    /**
     * Creates a topic with {@code partitions} partitions (null for num.partitions) and these config keys
     * set on top of the broker's defaults; every key is checked before anything is created.
     */
    public String createTopic(String name, Integer partitions, Map<String, String> configs, OnDuplicate onDuplicate) {
        return topicAdmin.createTopic(name, partitions, configs, onDuplicate);
    }

    /**
     * Refuses what {@link #createTopic} with {@link OnDuplicate#FAIL} would refuse, in the same order, and
     * creates nothing: Kafka's CreateTopics with {@code validate_only}. Returns the config the topic would have.
     */
    public TopicConfig checkNewTopic(String name, Integer partitions, Map<String, String> configs) {
        return topicAdmin.checkNewTopic(name, partitions, configs);
    }

    /** Sets the topic's whole config: keys not given go back to the broker's defaults. */
    public void replaceConfig(String name, Map<String, String> configs) {
        topicAdmin.replaceConfig(name, configs);
    }

    /** Changes only the keys given. */
    public void patchConfig(String name, Map<String, String> changes) {
        topicAdmin.patchConfig(name, changes);
    }

    /**
     * Kafka's IncrementalAlterConfigs for one topic: sets the keys of {@code set}, and returns each key of
     * {@code reset} to the broker's default (its {@code log.*} setting, else Kafka's). Every key and value is
     * checked first; with {@code validateOnly} that check is all, and nothing changes.
     */
    public void alterConfig(String name, Map<String, String> set, Set<String> reset, boolean validateOnly) {
        topicAdmin.alterConfig(name, set, reset, validateOnly);
    }

    /**
     * Deletes the topic and its data; every group's offsets and share state for it are deleted first, and the
     * archive is told first, so a topic created again under the name never takes its archive files' names.
     */
    public void deleteTopic(String name) {
        requireUserTopic(name, "delete");
        topics.partitionCount(name); // an unknown topic is refused as one, whatever auto.create.topics.enable says
        storage.topicDeleted(name);
        coordinator.forgetTopic(name);
        shares.topicDeleted(name); // while the topic still has its id, which its share state is kept under
        topics.deleteTopic(name);
        stats.forget(name);
        delayedFetches.wake(name); // long polls on it wake and find it gone
    }

    /** Adds partitions; existing records stay where they are. */
    public void increasePartitions(String name, int total) {
        topicAdmin.increasePartitions(name, total);
    }

    /**
     * Refuses what {@link #increasePartitions} would refuse, in the same order, and adds nothing: Kafka's
     * CreatePartitions with {@code validate_only}. Another client may still change the count in between.
     */
    public void checkIncreasePartitions(String name, int total) {
        topicAdmin.checkIncreasePartitions(name, total);
    }

    private static void requireUserTopic(String name, String action) {
        InternalTopics.requireUserTopic(name, action);
    }

    // ---- records: what is not the data path's ----

    /** The topic's partition count; an unknown topic is refused as one, never created. */
    public int partitionCount(String topic) {
        return topics.partitionCount(topic);
    }

    /**
     * The topic's partition count, creating it first if auto.create.topics.enable says so: what Kafka's
     * metadata request does for a producer about to write.
     */
    public int partitionsForWrite(String topic) {
        requireUserTopic(topic, "produce to"); // the name's one check on the way in
        try {
            return topics.partitionCount(topic);
        } catch (UnknownTopicOrPartitionException unknown) {
            if (!config.autoCreateTopics()) {
                throw UnknownTopicOrPartitionException.unknownTopicForWrite(topic, topics.listTopics());
            }
        }
        try {
            createTopic(topic, null, Map.of(), OnDuplicate.FAIL);
            events.accept("created topic " + topic + " on its first record (auto.create.topics.enable=true)");
        } catch (TopicExistsException raced) {
            // another producer created it first: use theirs
        }
        return topics.partitionCount(topic);
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
        return batchLog(topic, partition).deleteRecordsBefore(before);
    }

    /** The log under a partition; refuses one that is not there (its topic deleted meanwhile). */
    private BatchLog batchLog(String topic, int partition) {
        BatchLog log = logs.log(new TopicPartition(topic, partition));
        if (log == null) {
            throw UnknownTopicOrPartitionException.unknownPartition(topic, partition, topics.partitionCount(topic));
        }
        return log;
    }

    /**
     * The base offset of the segment file that holds the record at {@code offset}: where Katar's records
     * said they were, as a base offset and an offset relative to it.
     */
    public long segmentBaseOffset(String topic, int partition, long offset) {
        topics.log(topic, partition).resolve(offset); // refuses an offset the log does not hold, with its range
        return batchLog(topic, partition).segmentFiles().map(files -> files.segmentBaseOffset(offset))
                .orElse(0L); // a log in memory is one sequence of batches, as if one segment from offset 0
    }

    /** A partition's files, to look at: its segments and their indexes; none for a log kept in memory. */
    public LogFiles logFiles(String topic, int partition) {
        return new LogFiles(batchLog(topic, partition));
    }

    // ---- groups ----

    /** The group coordinator, for a front end that speaks Kafka's group protocol. */
    public GroupCoordinator groupCoordinator() {
        return coordinator;
    }

    /** Applies the clock to every group (sessions, rebalance timeouts). */
    public void tickGroups() {
        coordinator.tick();
        shares.expireLocks();
    }

    /** The share groups' share partitions, and their members' share sessions. */
    public SharePartitions sharePartitions() {
        return shares;
    }

    /** The transaction coordinator, for a front end that speaks Kafka's transaction protocol. */
    public TransactionCoordinator transactionCoordinator() {
        return transactions;
    }

    /** The coordinator's marker writer, for an operator ending a transaction by hand (WriteTxnMarkers). */
    public MarkerWriter transactionMarkers() {
        return markers;
    }

    /** Aborts the transactions open longer than their timeout, finishes those left deciding, forgets idle ids. */
    public void tickTransactions() {
        transactions.abortTimedOut();
        transactions.removeExpired(config.transactionalIdExpirationMs());
    }

    /**
     * The groups as the statistics topic describes them: each group the coordinator holds, its members by
     * client id, its generation and each committed partition's lag.
     */
    public SortedMap<String, Map<String, Object>> groupStatistics() {
        return groupStatistics.describe();
    }

    // ---- identity and producers ----

    /**
     * The cluster's id, as {@code meta.properties} in the data directory holds it: the same at every start,
     * and what Kafka clients see in Metadata and DescribeCluster.
     */
    public String clusterId() {
        return storage.identity().clusterId();
    }

    /** This broker's node id, as the data directory's {@code meta.properties} holds it. */
    public int nodeId() {
        return storage.identity().nodeId();
    }

    /** Hands out producer ids (InitProducerId), never the same one twice on this data directory. */
    public ProducerIdManager producerIds() {
        return storage.producerIds();
    }

    // ---- wiring ----

    /** The data path: produce, fetch and list offsets, one partition at a time. */
    public Partitions partitions() {
        return partitions;
    }

    /** Where a front end's handler answers a request before completing the fetches it woke. */
    public DelayedActionQueue delayedActions() {
        return delayedActions;
    }

    /** Retention, the log cleaner and the statistics, which also run on their schedules. */
    public BackgroundJobs jobs() {
        return jobs;
    }

    public BrokerStats stats() {
        return stats;
    }

    /** The settings in force: those read at start, with the ones changed while the broker runs on top. */
    public BrokerConfig config() {
        return dynamicConfigs.current();
    }

    /** The settings that change while the broker runs (Kafka's dynamic broker configs), and how to change them. */
    public DynamicBrokerConfigs dynamicConfigs() {
        return dynamicConfigs;
    }

    /** Each group's own configs ({@code kafka-configs --entity-type groups}), which beat the broker's group settings. */
    public DynamicGroupConfigs groupConfigs() {
        return groupConfigs;
    }

    /** Who may do what, and how much: SCRAM credentials, the authorizer and the client quotas. */
    public BrokerAccess access() {
        return access;
    }

    /** The feature levels UpdateFeatures changed, and their epoch. */
    public FinalizedFeatures finalizedFeatures() {
        return finalizedFeatures;
    }

    /** The clock the broker runs on: a front end that keeps time of its own (an idle consumer's expiry) reads it too. */
    public Clock clock() {
        return clock;
    }

    /**
     * Every partition's size, the bytes of record batches its log holds (on disk its segments' {@code .log}
     * files, in memory the batches kept), in topic and partition order: Kafka's DescribeLogDirs.
     */
    public Map<TopicPartition, Long> partitionSizes() {
        Map<TopicPartition, Long> sizes = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, BatchLog> open : logs.logs()) {
            try {
                sizes.put(open.getKey(), open.getValue().sizeInBytes());
            } catch (IllegalStateException deletedMeanwhile) {
                // its topic was deleted after the list was taken: no longer a partition
            }
        }
        return sizes;
    }

    /** The data directory's file store, its size and free space; unknown when the topics are kept in memory. */
    public DiskSpace diskSpace() {
        return storage.diskSpace();
    }

    /** Where the topics live: a data directory, or "memory". */
    public String dataDir() {
        return topics.location();
    }

    /** The folder of CSV files that retention and deleteRecords archive to before they delete. */
    public Path archiveDirectory() {
        return storage.archive().root();
    }

    public Instant started() {
        return started;
    }

    @Override
    public String toString() {
        return "Broker" + listTopics();
    }

    /** Answers every waiting read now, with what it has: the first step of shutting down. */
    public void stopWaiting() {
        delayedFetches.close();
    }

    /** Stops the schedules, then closes every log cleanly, so the next start needs no recovery. */
    @Override
    public void close() {
        delayedFetches.close();
        if (shares != null) {
            shares.close();
        }
        if (jobs != null) {
            jobs.close();
        }
        if (topics != null) {
            topics.close();
        }
    }
}
