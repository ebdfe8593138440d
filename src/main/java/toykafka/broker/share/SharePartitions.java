package toykafka.broker.share;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import toykafka.broker.share.partition.AcknowledgementBatch;
import toykafka.broker.share.partition.AcquiredRecords;
import toykafka.broker.share.partition.DeadLetter;
import toykafka.broker.share.partition.FetchedBatch;
import toykafka.broker.share.partition.OffsetLookup;
import toykafka.broker.share.partition.ShareFetchLimits;
import toykafka.broker.share.partition.ShareGroupSettings;
import toykafka.broker.share.partition.ShareGroupState;
import toykafka.broker.share.partition.SharePartition;
import toykafka.broker.share.partition.SharePartitionException;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.RecordBatch;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;
import toykafka.lesson04.TopicRegistry;

// tag::share-partitions[]
/**
 * The broker's share partitions (Kafka's {@code SharePartitionManager}): one {@link SharePartition} per share group and
 * topic-partition, made at the group's first fetch from it. A share fetch reads each partition's log from where its
 * window wants records next, has the share partition acquire what it may for the member, and answers with the stored
 * batches that hold the acquired records (the consumer skips the rest). When nothing could be acquired it waits, up to
 * the fetch's MaxWaitMs, for records to be appended, then tries once more.
 *
 * <p>Each share partition follows its group's {@code share.*} configs, read at every fetch. A member whose share
 * session ends, closed or gone with its connection, gives back what it held; they are handed to the others. Leaving
 * the group gives back nothing, as in Kafka, whose share partitions never hear of membership: a consumer may leave,
 * then acknowledge what it read. Each settled record, each release and each start offset moved is written to the
 * {@link ShareStateStore} before the member is answered, as Kafka's persister writes them; an acquisition is not, so
 * after a restart what was acquired is delivered again, with the delivery count last written. Records set aside while
 * the group has a dead-letter topic are written there by the {@link DeadLetterQueue} after their ARCHIVING state is
 * kept, and archived once it is done.
 */
public final class SharePartitions implements AutoCloseable {
    // end::share-partitions[]

    /** One partition's answer to a share fetch: an error, or the batches holding the acquired records. */
    public record Fetched(Errors error, String message, ByteBuffer records, List<AcquiredRecords> acquired) {

        static Fetched refused(Errors error, String message) {
            return new Fetched(error, message, ByteBuffer.allocate(0), List.of());
        }
    }

    /** One partition's answer to acknowledgements: NONE, or why they were refused. */
    public record Acknowledged(Errors error, String message) {
    }

    /**
     * A share partition by group and topic id, as Kafka keys them: a topic deleted and created again under its name is
     * another topic, read afresh. The name is kept beside the id for the log and the answers.
     */
    private record Key(String groupId, TopicId topicId, TopicPartition partition) {
    }

    private final Map<Key, SharePartition> shares = new ConcurrentHashMap<>();
    private final ShareSessions sessions;
    private final ShareLog log;
    private final Clock clock;
    private final Function<String, Map<String, String>> groupConfigs;
    private final ShareStateStore store;
    private final TopicRegistry topics;
    private final DeadLetterQueue deadLetters;
    private final Consumer<String> events;
    private final DelayedShareFetches waiting;

    /**
     * @param log          the partitions' logs, read through the broker's data path
     * @param groupConfigs each group's configs, whose {@code share.*} ones the share partitions follow
     * @param store        where each share partition's state is kept, written before a member is answered
     * @param topics       the broker's topics, whose ids the store keys share partitions by
     * @param deadLetters  where records set aside go, for groups with a dead-letter topic
     * @param events       told of dead letters that could not be written
     * @param maxSessions  {@code group.share.max.share.sessions}: the share sessions open at once
     */
    public SharePartitions(ShareLog log, TopicRegistry topics, Clock clock,
                           Function<String, Map<String, String>> groupConfigs, ShareStateStore store,
                           DeadLetterQueue deadLetters, Consumer<String> events, int maxSessions) {
        this.sessions = new ShareSessions(maxSessions);
        this.log = log;
        this.topics = topics;
        this.clock = clock;
        this.groupConfigs = groupConfigs;
        this.store = store;
        this.deadLetters = deadLetters;
        this.events = events;
        this.waiting = new DelayedShareFetches(log);
    }

    // tag::share-load[]
    /**
     * Rebuilds the share partitions the store kept, at start: records that were acquired come back available, with the
     * delivery counts last written. A partition of a topic gone since is left out, and its state deleted: a topic
     * deleted while its state was being written leaves none behind.
     *
     * @return the groups whose state was kept
     */
    public Set<String> load() {
        Map<TopicId, String> names = new HashMap<>();
        topics.listTopics().forEach(name -> names.put(topicId(name), name));
        store.replay().forEach((key, state) -> {
            String topic = names.get(key.topicId());
            if (topic == null) {
                store.delete(key);
            } else {
                TopicPartition partition = new TopicPartition(topic, key.partition());
                shares.put(new Key(key.groupId(), key.topicId(), partition), SharePartition.fromState(state,
                        settings(key.groupId()), clock, lookup(partition)));
            }
        });
        Set<String> groups = new TreeSet<>();
        shares.forEach((key, share) -> {
            groups.add(key.groupId());
            synchronized (share) {
                sendDeadLetters(key, share); // those kept ARCHIVING, not known to be written
            }
        });
        return groups;
    }
    // end::share-load[]

    /**
     * Writes the partition's state to the store, then hands out the dead letters of records it set aside: their
     * ARCHIVING state is kept first, so a crash before they are written writes them at the next start. The caller
     * holds the share partition's lock.
     */
    private void persist(Key key, SharePartition share) {
        if (!TopicId.ZERO.equals(key.topicId()) && key.topicId().equals(topicId(key.partition().topic()))) {
            store.write(storeKey(key), share.stateSnapshot()); // never once its topic is gone
        }
        sendDeadLetters(key, share);
    }

    // tag::share-dead-letters[]
    /** Has each dead-letter batch written, then archives its records and keeps that, whether it was written or not. */
    private void sendDeadLetters(Key key, SharePartition share) {
        List<DeadLetter> letters = share.takeDeadLetters();
        if (letters.isEmpty()) {
            return;
        }
        ShareGroupSettings settings = settings(key.groupId());
        for (DeadLetter letter : letters) {
            deadLetters.write(key.groupId(), key.partition(), settings, letter).whenComplete((written, failed) -> {
                if (failed != null) {
                    events.accept("archived offsets " + letter.firstOffset() + " to " + letter.lastOffset() + " of "
                            + key.partition() + " without a dead letter: " + failed.getMessage());
                }
                synchronized (share) {
                    if (shares.get(key) == share) { // not forgotten meanwhile (group or offsets deleted)
                        share.deadLettersWritten(letter);
                        persist(key, share);
                    }
                }
            });
        }
    }
    // end::share-dead-letters[]

    private TopicId topicId(String topic) {
        try {
            return topics.topicId(topic);
        } catch (ApiException gone) {
            return TopicId.ZERO;
        }
    }

    private void unpersist(Key key) {
        if (!TopicId.ZERO.equals(key.topicId())) {
            store.delete(storeKey(key));
        }
    }

    private static SharePartitionKey storeKey(Key key) {
        return new SharePartitionKey(key.groupId(), key.topicId(), key.partition().partition());
    }

    /** The key of the group's share partition of the topic now under that name. */
    private Key key(String groupId, TopicPartition partition) {
        return new Key(groupId, topicId(partition.topic()), partition);
    }

    /** The members' share sessions. */
    public ShareSessions sessions() {
        return sessions;
    }

    /** The group's settings now: its configs, Kafka's defaults for the rest. */
    public ShareGroupSettings settings(String groupId) {
        return ShareGroupSettings.fromConfigs(groupConfigs.apply(groupId));
    }

    // tag::share-fetch[]
    /**
     * Acquires records of {@code wanted} for the member, waiting up to {@code maxWait} for some if none could be had:
     * parked, it tries again at each append to its partitions and each release, lock run out or acknowledgement of
     * its group there. {@code limits.maxRecords()} is spread over the partitions in order; a partition the broker does
     * not have is UNKNOWN_TOPIC_OR_PARTITION.
     *
     * <p>A share partition the group never fetched from is started by the fetch, and those are started one by one
     * after the partitions already there were tried: the fetch answers with the first that has records and leaves the
     * others' records for the next. Kafka's fetch does the same, waiting while each share partition loads its state
     * from the share coordinator and answering as soon as one has loaded with records to acquire.
     */
    public CompletableFuture<Map<TopicPartition, Fetched>> fetch(String groupId, String memberId,
                                                                 List<TopicPartition> wanted, ShareFetchLimits limits,
                                                                 int maxBytes, Duration maxWait) {
        return waiting.fetch(groupId, wanted, maxWait, () -> acquire(groupId, memberId, wanted, limits, maxBytes),
                now -> now.values().stream().anyMatch(f -> !f.acquired().isEmpty() || f.error() != Errors.NONE));
    }
    // end::share-fetch[]

    private Map<TopicPartition, Fetched> acquire(String groupId, String memberId, List<TopicPartition> wanted,
                                                 ShareFetchLimits limits, int maxBytes) {
        Map<TopicPartition, Fetched> answers = new LinkedHashMap<>();
        wanted.forEach(partition -> answers.put(partition, null)); // answered in the request's order
        Set<TopicPartition> starting = wanted.stream().filter(partition -> !shares.containsKey(key(groupId, partition)))
                .collect(Collectors.toSet());
        List<TopicPartition> tried = Stream.concat(wanted.stream().filter(partition -> !starting.contains(partition)),
                wanted.stream().filter(starting::contains)).toList(); // the partitions already there first
        ShareGroupSettings settings = settings(groupId);
        int left = limits.maxRecords();
        boolean acquiredAny = false;
        for (TopicPartition partition : tried) {
            if (acquiredAny && starting.contains(partition)) { // answered: it starts, its records wait for the next
                answers.put(partition, started(groupId, partition, settings));
                continue;
            }
            Fetched fetched = acquireFrom(groupId, memberId, partition, settings,
                    new ShareFetchLimits(limits.mode(), left, limits.batchSize()), maxBytes);
            answers.put(partition, fetched);
            long acquired = acquiredCount(fetched);
            left -= (int) Math.min(left, acquired);
            acquiredAny |= acquired > 0;
        }
        return answers;
    }

    /** A partition the fetch starts without acquiring from: its share partition made, an empty answer. */
    private Fetched started(String groupId, TopicPartition partition, ShareGroupSettings settings) {
        ShareLog.Offset end = log.listOffsets(partition, ShareLog.LATEST);
        if (end.error() != Errors.NONE) {
            return Fetched.refused(end.error(), end.message());
        }
        shareOf(groupId, partition, settings);
        return new Fetched(Errors.NONE, null, ByteBuffer.allocate(0), List.of());
    }

    private static long acquiredCount(Fetched fetched) {
        return fetched.acquired().stream().mapToLong(AcquiredRecords::count).sum();
    }

    /** The group's share partition of {@code partition}, started (and kept) if the group never fetched from it. */
    private SharePartition shareOf(String groupId, TopicPartition partition, ShareGroupSettings settings) {
        SharePartition share = shares.computeIfAbsent(key(groupId, partition), k -> {
            SharePartition started = SharePartition.start(settings, clock, lookup(partition));
            persist(k, started); // where share.auto.offset.reset put it stays, whenever the broker restarts
            return started;
        });
        share.updateSettings(settings);
        return share;
    }

    private Fetched acquireFrom(String groupId, String memberId, TopicPartition partition, ShareGroupSettings settings,
                                ShareFetchLimits limits, int maxBytes) {
        ShareLog.Offset end = log.listOffsets(partition, ShareLog.LATEST);
        if (end.error() != Errors.NONE) {
            return Fetched.refused(end.error(), end.message());
        }
        Key key = key(groupId, partition);
        SharePartition share = shareOf(groupId, partition, settings);
        long from = share.nextFetchOffset();
        ShareLog.Read data = read(partition, from, maxBytes, settings.readCommitted());
        if (data.error() == Errors.OFFSET_OUT_OF_RANGE) { // retention moved the log start past the window
            synchronized (share) {
                share.logStartOffsetMoved(log.listOffsets(partition, ShareLog.EARLIEST).offset());
                persist(key, share);
            }
            from = share.nextFetchOffset();
            data = read(partition, from, maxBytes, settings.readCommitted());
        }
        if (data.error() != Errors.NONE) {
            return Fetched.refused(data.error(), data.message());
        }
        List<RecordBatch> batches = data.batches();
        long stable = settings.readCommitted() ? data.lastStableOffset() : data.highWatermark();
        if (maxBytes <= 0 && batches.stream().anyMatch(batch -> batch.baseOffset() < stable)) {
            // Kafka's share fetch cannot share no bytes out over the partitions it could acquire from, and fails them
            return Fetched.refused(Errors.UNKNOWN_SERVER_ERROR, "Request max bytes must be greater than 0");
        }
        Set<RecordBatch> aborted = Collections.newSetFromMap(new IdentityHashMap<>());
        aborted.addAll(data.aborted());
        List<FetchedBatch> described = batches.stream()
                .map(batch -> new FetchedBatch(batch.baseOffset(), batch.lastOffset(), aborted.contains(batch))).toList();
        List<AcquiredRecords> acquired = share.acquire(memberId, limits, from, described, stable);
        synchronized (share) {
            if (share.hasDeadLetters()) { // a lock ran out at the delivery count limit
                persist(key, share);
            }
        }
        return new Fetched(Errors.NONE, null, holding(batches, acquired), acquired);
    }

    private ShareLog.Read read(TopicPartition partition, long from, int maxBytes, boolean readCommitted) {
        // a share fetch's negative MaxBytes fails as 0 does, after this read
        return log.read(partition, from, Math.max(0, maxBytes), readCommitted);
    }

    /** The stored batches that hold any acquired record, back to back, as the answer's records. */
    private static ByteBuffer holding(List<RecordBatch> batches, List<AcquiredRecords> acquired) {
        List<ByteBuffer> wanted = new ArrayList<>();
        int size = 0;
        for (RecordBatch batch : batches) {
            boolean holds = acquired.stream().anyMatch(run -> run.firstOffset() <= batch.lastOffset()
                    && run.lastOffset() >= batch.baseOffset());
            if (holds) {
                wanted.add(batch.buffer().duplicate());
                size += batch.sizeInBytes();
            }
        }
        ByteBuffer records = ByteBuffer.allocate(size);
        wanted.forEach(records::put);
        return records.flip();
    }

    private OffsetLookup lookup(TopicPartition partition) {
        return new OffsetLookup() {
            @Override
            public long earliestOffset() {
                return log.listOffsets(partition, ShareLog.EARLIEST).offset();
            }

            @Override
            public long latestOffset() {
                return log.listOffsets(partition, ShareLog.LATEST).offset();
            }

            @Override
            public long offsetForTimestamp(long timestampMs) {
                ShareLog.Offset found = log.listOffsets(partition, timestampMs);
                return found.offset() >= 0 ? found.offset() : latestOffset();
            }
        };
    }

    // tag::share-acknowledge[]
    /**
     * Applies a member's acknowledgements, partition by partition: each is NONE, or refused with the share partition's
     * reason (INVALID_RECORD_STATE for records the member does not hold), the others still applied.
     */
    public Map<TopicPartition, Acknowledged> acknowledge(String groupId, String memberId,
                                                         Map<TopicPartition, List<AcknowledgementBatch>> batches) {
        Map<TopicPartition, Acknowledged> answers = new LinkedHashMap<>();
        batches.forEach((partition, acknowledgements) -> {
            Key key = key(groupId, partition);
            SharePartition share = shares.get(key);
            if (share == null) {
                answers.put(partition, new Acknowledged(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Group " + groupId
                        + " has fetched nothing from " + partition + ", so it holds no records there"));
                return;
            }
            synchronized (share) { // written before the member hears it: an acknowledged record is never sent again
                try {
                    share.acknowledge(memberId, acknowledgements);
                    answers.put(partition, new Acknowledged(Errors.NONE, null));
                } catch (SharePartitionException e) {
                    answers.put(partition, new Acknowledged(e.error(), e.getMessage()));
                } finally {
                    persist(key, share);
                }
            }
            waiting.wake(groupId, partition); // released records, or a window moved on, may be acquired now
        });
        return answers;
    }
    // end::share-acknowledge[]

    /** The member's session is closed and what it held goes back: it said it was done. */
    public void release(String groupId, String memberId) {
        sessions.close(groupId, memberId);
        giveBack(groupId, memberId);
    }

    /**
     * The connection closed: the sessions it opened end, and what their members held goes back, as Kafka's session
     * cache tells its share partitions when a connection closes.
     */
    public void connectionClosed(String connectionId) {
        sessions.connectionClosed(connectionId).forEach(key -> giveBack(key.groupId(), key.memberId()));
    }

    private void giveBack(String groupId, String memberId) {
        shares.forEach((key, share) -> {
            if (key.groupId().equals(groupId)) {
                synchronized (share) {
                    share.releaseAcquiredRecords(memberId);
                    persist(key, share);
                }
                waiting.wake(groupId, key.partition());
            }
        });
    }

    /**
     * Where a group's share partition starts, and how many records after it are done (acknowledged or archived):
     * what DescribeShareGroupOffsets answers, the lag being the log end less both. Null if the group never read it.
     */
    public record StartOffset(long startOffset, long deliveryComplete) {
    }

    /** The group's start offset of the partition, or null if it has none yet. */
    public StartOffset startOffset(String groupId, TopicPartition partition) {
        SharePartition share = shares.get(key(groupId, partition));
        if (share == null) {
            return null;
        }
        ShareGroupState state = share.stateSnapshot();
        return new StartOffset(state.startOffset(), state.deliveryCompleteCount());
    }

    /**
     * AlterShareGroupOffsets for one partition: the share partition starts at {@code offset} from now on, made there if
     * the group never read it. Refused (NON_EMPTY_GROUP) while records of it are held.
     */
    public void alterStartOffset(String groupId, TopicPartition partition, long offset) {
        if (offset < 0) {
            throw new SharePartitionException(Errors.INVALID_REQUEST, "A start offset is 0 or more, got " + offset);
        }
        ShareGroupSettings settings = settings(groupId);
        Key key = key(groupId, partition);
        SharePartition made = SharePartition.fromState(new ShareGroupState(0, offset, List.of()), settings, clock,
                lookup(partition));
        SharePartition had = shares.putIfAbsent(key, made);
        SharePartition share = had != null ? had : made;
        synchronized (share) {
            if (had != null) {
                had.alterStartOffset(offset);
            }
            persist(key, share);
        }
    }

    /** DeleteShareGroupOffsets for one topic: the group forgets what it read of it, and starts it afresh. */
    public void forgetTopic(String groupId, String topic) {
        forgetWhere(key -> key.groupId().equals(groupId) && key.partition().topic().equals(topic));
    }

    /**
     * The topic is being deleted: every group forgets what it read of it, and its state is deleted from the store, as
     * Kafka's share coordinator deletes a deleted topic's share state. Called while the topic still has its id.
     */
    public void topicDeleted(String topic) {
        forgetWhere(key -> key.partition().topic().equals(topic));
    }

    private void forgetWhere(Predicate<Key> which) {
        for (Key key : List.copyOf(shares.keySet())) {
            if (which.test(key)) {
                shares.remove(key);
                unpersist(key);
            }
        }
    }

    /** The group's share partitions, by topic-partition: for describing them. */
    public Map<TopicPartition, SharePartition> of(String groupId) {
        Map<TopicPartition, SharePartition> found = new TreeMap<>();
        shares.forEach((key, share) -> {
            if (key.groupId().equals(groupId)) {
                found.put(key.partition(), share);
            }
        });
        return found;
    }

    /** Forgets the group's share partitions: the group was deleted, as the group coordinator tells them. */
    public void forget(String groupId) {
        forgetWhere(key -> key.groupId().equals(groupId));
    }

    /**
     * Releases the records whose locks ran out, as Kafka's lock timers do, and keeps what that changed, dead letters
     * included: the broker runs it with its group sessions' tick, about once a second. (Each partition also catches up
     * whenever it is used.)
     */
    public void expireLocks() {
        long now = clock.millis();
        shares.forEach((key, share) -> {
            long released;
            synchronized (share) {
                released = share.expireLocks(now);
                if (released > 0 || share.hasDeadLetters()) {
                    persist(key, share);
                }
            }
            if (released > 0) {
                waiting.wake(key.groupId(), key.partition());
            }
        });
    }

    /** Stops writing dead letters; those not written stay ARCHIVING in the store, for the next start. */
    @Override
    public void close() {
        deadLetters.close();
    }
}
