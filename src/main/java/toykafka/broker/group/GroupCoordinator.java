package toykafka.broker.group;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import toykafka.broker.group.base.ConsumerGroupTimings;
import toykafka.broker.group.base.CoordinatorMemory;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.broker.group.base.Group;
import toykafka.broker.group.base.GroupConfig;
import toykafka.broker.group.base.GroupState;
import toykafka.broker.group.base.ListedGroup;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.base.OffsetDeleteResponse;
import toykafka.broker.group.base.OffsetFetchResponse;
import toykafka.broker.group.base.PendingTransactionalOffsets;
import toykafka.broker.group.base.RefusedJoins;
import toykafka.broker.group.base.TopicLookup;
import toykafka.broker.group.classic.ClassicGroup;
import toykafka.broker.group.classic.HeartbeatRequest;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.group.classic.LeaveGroupResponse;
import toykafka.broker.group.classic.LeavingMember;
import toykafka.broker.group.classic.SyncGroupRequest;
import toykafka.broker.group.classic.SyncGroupResponse;
import toykafka.broker.group.consumer.ConsumerGroupHeartbeat;
import toykafka.broker.group.consumer.DescribedConsumerGroup;
import toykafka.broker.group.share.DescribedShareGroup;
import toykafka.broker.group.share.ShareGroupHeartbeat;
import toykafka.broker.group.share.ShareGroupListener;
import toykafka.broker.group.share.ShareGroupTimings;
import toykafka.broker.group.share.ShareOffsetsAdmission;
import toykafka.broker.group.streams.DescribedStreamsGroup;
import toykafka.broker.group.streams.InternalTopicMaker;
import toykafka.broker.group.streams.StreamsGroupHeartbeat;
import toykafka.broker.group.streams.StreamsGroupSettings;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/**
 * The broker's group coordinator (Kafka's {@code GroupCoordinator}), for each of Kafka's group protocols: the
 * classic one (JoinGroup, SyncGroup, Heartbeat, LeaveGroup), where a leader chosen among the members assigns;
 * Kafka 4's (KIP-848's ConsumerGroupHeartbeat and ConsumerGroupDescribe), where the coordinator assigns and each
 * member moves to its target on its own; Kafka Streams' (KIP-1071's StreamsGroupHeartbeat and
 * StreamsGroupDescribe), where the coordinator assigns tasks the same way; share groups' (KIP-932); and what all
 * share: OffsetCommit, OffsetFetch, DescribeGroups, ListGroups and DeleteGroups. Requests and answers are records,
 * and the classic members' metadata and assignments opaque bytes, so any front end only translates.
 *
 * <p>The coordinator only delegates: each protocol's calls go to its entry ({@link ClassicGroups},
 * {@link ConsumerGroups}, {@link StreamsGroups}, {@link ShareGroups}), which finds the group in the
 * {@link GroupRegistry}, one to an id, and hands the call to the group's own room; offsets are kept by an
 * {@link OffsetManager}. Calls that wait (join, sync) answer through a future that is completed on whichever thread
 * opens the barrier, never by blocking the caller. Each group has its own lock, and no lock is held while a future
 * completes, so an answer may call straight back in. Time comes from one clock. Each call to a group first applies
 * it to that group (sessions that ran out, barriers that timed out), as Kafka's timers would have fired by then;
 * {@link #tick()}, called on a schedule, applies it to the groups nobody calls, and expires the offsets of groups
 * left empty ({@code offsets.retention.minutes}) at each cleanup ({@code offsets.retention.check.interval.ms}).
 *
 * <p>A request the coordinator refuses leaves nothing behind: a group is made only for a join or commit it
 * takes. A group that had members or offsets and has none left stays, Empty, until the next cleanup drops it, as
 * Kafka's {@code cleanupGroupMetadata} does: until then the tools list it, describe it as having no active members,
 * and may delete it.
 */
public final class GroupCoordinator {

    private final GroupConfig config;
    private final CoordinatorMemory memory;
    private final Consumer<String> events;
    private final TopicLookup topics;
    private final GroupRegistry registry;
    private final OffsetManager offsets;
    private final RefusedJoins refusedJoins;
    private final List<Consumer<String>> rebalanceListeners = new CopyOnWriteArrayList<>();
    private final ClassicGroups classics;
    private final ConsumerGroups consumers;
    private final StreamsGroups streams;
    private final ShareGroups shares;
    /** When {@link #tick()} next expires offsets and drops the groups left with nothing. */
    private Instant nextCleanup;

    public GroupCoordinator(Clock clock, GroupConfig config, OffsetStore store) {
        this(clock, config, store, event -> { });
    }

    /** As {@link #GroupCoordinator(Clock, GroupConfig, OffsetStore)}, telling {@code events} what it refuses and why. */
    public GroupCoordinator(Clock clock, GroupConfig config, OffsetStore store, Consumer<String> events) {
        this(clock, config, store, events, name -> null);
    }

    /**
     * A coordinator whose consumer groups find the broker's topics through {@code topics}: the server-side assignors
     * need each subscribed topic's id and partition count.
     */
    public GroupCoordinator(Clock clock, GroupConfig config, OffsetStore store, Consumer<String> events,
                            TopicLookup topics) {
        this.events = Objects.requireNonNull(events, "events");
        this.config = Objects.requireNonNull(config, "config");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.memory = new CoordinatorMemory(config.memoryMaxBytes());
        this.refusedJoins = new RefusedJoins(events);
        this.registry = new GroupRegistry(Objects.requireNonNull(clock, "clock"), config, memory,
                this::announceRebalance, events, Objects.requireNonNull(store, "store"), refusedJoins, topics);
        this.streams = new StreamsGroups(registry, topics);
        this.shares = new ShareGroups(registry);
        PendingTransactionalOffsets pending = new PendingTransactionalOffsets(memory);
        this.offsets = new OffsetManager(registry, store, memory, pending, events);
        this.nextCleanup = clock.instant().plus(config.cleanupInterval());
        this.consumers = new ConsumerGroups(registry, topics, config.consumer(), refusedJoins);
        this.classics = new ClassicGroups(config, registry, memory, refusedJoins, consumers, topics);
    }

    /** Takes each consumer group's heartbeat interval and session timeout from {@code timings}, at its next heartbeat. */
    public void takeTimingsFrom(ConsumerGroupTimings timings) {
        consumers.takeTimingsFrom(timings);
    }

    /** Takes each streams group's settings from {@code settings}, at its next heartbeat. */
    public void takeStreamsSettingsFrom(StreamsGroupSettings settings) {
        streams.takeSettingsFrom(settings);
    }

    /** Has streams groups' missing internal topics made by {@code maker}. */
    public void makeInternalTopicsWith(InternalTopicMaker maker) {
        streams.makeInternalTopicsWith(maker);
    }

    public GroupConfig config() {
        return config;
    }

    /** Calls {@code listener} with a group's id each time a classic group starts a rebalance. */
    public void onRebalanceStarted(Consumer<String> listener) {
        rebalanceListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Stops calling {@code listener}: its front end has stopped while the broker goes on. */
    public void removeRebalanceListener(Consumer<String> listener) {
        rebalanceListeners.remove(listener);
    }

    private void announceRebalance(String groupId) {
        rebalanceListeners.forEach(listener -> listener.accept(groupId));
    }

    /** Loads every group's committed offsets from the store, as Kafka's coordinator does when it takes a group. */
    public int replay() {
        int commits = offsets.replay(topics);
        consumers.retimeAll();
        shares.retimeAll();
        return commits;
    }

    // ---- the classic protocol ----

    /**
     * JoinGroup: answered when the group's join barrier opens, or at once if the join is refused, as one that does
     * not fit in the coordinator's memory is ({@link ClassicGroups#joinGroup}).
     */
    public CompletableFuture<JoinGroupResponse> joinGroup(JoinGroupRequest request) {
        return classics.joinGroup(request);
    }

    /**
     * SyncGroup: a follower's answer waits for the leader's sync; the leader's comes at once. A classic member of a
     * consumer group is answered at once with the partitions the group gave it.
     */
    public CompletableFuture<SyncGroupResponse> syncGroup(SyncGroupRequest request) {
        return classics.syncGroup(request);
    }

    /** Heartbeat: keeps the member's session alive, and tells it when the group is rebalancing. */
    public Errors heartbeat(HeartbeatRequest request) {
        return classics.heartbeat(request);
    }

    /** LeaveGroup for dynamic members named by their ids: the rest rebalance without them. */
    public LeaveGroupResponse leaveGroup(String groupId, Collection<String> memberIds) {
        return leaveGroup(groupId, memberIds.stream().map(LeavingMember::dynamic).toList());
    }

    /**
     * LeaveGroup for several members at once (v3 and later), static ones possibly by their instance id alone: the
     * rest rebalance without them.
     */
    public LeaveGroupResponse leaveGroup(String groupId, List<LeavingMember> leaving) {
        return classics.leaveGroup(groupId, leaving);
    }

    // ---- Kafka 4's consumer group protocol (KIP-848) ----

    /**
     * ConsumerGroupHeartbeat: a member's join, leave or word of how far it got, answered at once
     * ({@link ConsumerGroups#heartbeat}).
     */
    public ConsumerGroupHeartbeat.Response consumerGroupHeartbeat(ConsumerGroupHeartbeat.Request request) {
        return consumers.heartbeat(request);
    }

    /**
     * ConsumerGroupDescribe: a consumer group's epochs, assignor, and each member's epoch, subscriptions, and
     * partitions now and in its target. An id the coordinator does not know, or a classic group's, is
     * GROUP_ID_NOT_FOUND with Kafka's message.
     */
    public DescribedConsumerGroup describeConsumerGroup(String groupId) {
        return consumers.describe(groupId);
    }

    // ---- Kafka Streams' group protocol (KIP-1071) ----

    /**
     * StreamsGroupHeartbeat: a Streams member's join (with its topology), leave or word of how far it got, answered at
     * once ({@link StreamsGroups#heartbeat}).
     */
    public StreamsGroupHeartbeat.Response streamsGroupHeartbeat(StreamsGroupHeartbeat.Request request) {
        return streams.heartbeat(request, topic -> true);
    }

    /**
     * The same, for a principal who may CREATE only the internal topics {@code mayCreate} allows by name: the others
     * are not made, and the status says so, as Kafka's handler does.
     */
    public StreamsGroupHeartbeat.Response streamsGroupHeartbeat(StreamsGroupHeartbeat.Request request,
                                                                Predicate<String> mayCreate) {
        return streams.heartbeat(request, mayCreate);
    }

    /**
     * StreamsGroupDescribe: a streams group's epochs, topology, and each member with its tasks now and in its target.
     * An id the coordinator does not know, or another type's group, is GROUP_ID_NOT_FOUND with Kafka's message.
     */
    public DescribedStreamsGroup describeStreamsGroup(String groupId) {
        return streams.describe(groupId);
    }

    // ---- share groups (KIP-932) ----

    /** ShareGroupHeartbeat: a share member's join, leave or heartbeat, answered at once ({@link ShareGroups#heartbeat}). */
    public ShareGroupHeartbeat.Response shareGroupHeartbeat(ShareGroupHeartbeat.Request request) {
        return shares.heartbeat(request);
    }

    /** ShareGroupDescribe: a share group's epochs and each member with its partitions. */
    public DescribedShareGroup describeShareGroup(String groupId) {
        return shares.describe(groupId);
    }

    /**
     * Whether a share group's start offsets may be altered ({@code altering}: the group is made if there is none) or
     * deleted now: only while it has no members.
     */
    public ShareOffsetsAdmission admitShareOffsetChange(String groupId, boolean altering) {
        return shares.admitOffsetChange(groupId, altering);
    }

    /** The topics a share group's members read now; none for another type's group or none at all. */
    public Set<String> shareGroupTopics(String groupId) {
        return shares.topics(groupId);
    }

    /** Makes an empty share group at start, for share state the broker kept: Kafka keeps the group itself. */
    public void restoreShareGroup(String groupId) {
        shares.restore(groupId);
    }

    /** Takes each share group's heartbeat interval and session timeout from {@code timings}, at its next heartbeat. */
    public void takeShareTimingsFrom(ShareGroupTimings timings) {
        shares.takeTimingsFrom(timings);
    }

    /** Tells {@code listener} of each share group member that leaves or is fenced, and each share group deleted. */
    public void tellShareGroupsTo(ShareGroupListener listener) {
        shares.tellOf(listener);
    }

    /** The type of the group with this id, {@code classic}, {@code consumer} or {@code streams}, if there is one. */
    public Optional<String> groupType(String groupId) {
        Group group = GroupRegistry.invalidId(groupId) ? null : registry.find(groupId);
        return group == null ? Optional.empty() : Optional.of(group.type());
    }

    // ---- offsets, for groups of both types ----

    /**
     * OffsetCommit, fenced by the group: in a classic group, only a member of the current generation may commit,
     * and not while the leader's assignment is on its way; in a consumer group, as {@link MemberEpochFence} says.
     * A commit from outside any generation (generation -1, no member id) is taken only while the group has no
     * members. The commit is in the store before it is in force, so one the store refuses leaves nothing behind.
     */
    public Errors commitOffsets(OffsetCommitRequest request) {
        return offsets.commitOffsets(request);
    }

    /**
     * TxnOffsetCommit: offsets the producer commits inside its transaction, for a consumer group it reads for
     * (KIP-447: fenced as a commit is), in force when the transaction commits ({@link #completeTransaction}).
     */
    public Errors commitTransactionalOffsets(long producerId, short epoch, OffsetCommitRequest request) {
        return commitTransactionalOffsets(null, producerId, epoch, request);
    }

    /**
     * As {@link #commitTransactionalOffsets(long, short, OffsetCommitRequest)}, the offsets held charged to
     * {@code transactionalId} too (to the producer id, if null) until the transaction ends.
     */
    public Errors commitTransactionalOffsets(String transactionalId, long producerId, short epoch,
                                             OffsetCommitRequest request) {
        return offsets.commitTransactionalOffsets(transactionalId, producerId, epoch, request);
    }

    /** The producer's transaction ended: its offsets come into force if it committed, and are forgotten if not. */
    public void completeTransaction(long producerId, boolean commit) {
        offsets.completeTransaction(producerId, commit);
    }

    /** The group's partitions with offsets committed inside a transaction that has not ended. */
    public Set<TopicPartition> unstableOffsets(String groupId) {
        return offsets.unstableOffsets(groupId);
    }

    /** OffsetFetch by anyone: the group's committed offsets for these partitions, or for every one with null. */
    public OffsetFetchResponse fetchOffsets(String groupId, Collection<TopicPartition> partitions) {
        return offsets.fetchOffsets(groupId, null, -1, partitions);
    }

    /** OffsetFetch by a consumer group's member, which must be one, at its epoch (OffsetFetch v9). */
    public OffsetFetchResponse fetchOffsets(String groupId, String memberId, int memberEpoch,
                                            Collection<TopicPartition> partitions) {
        return offsets.fetchOffsets(groupId, memberId, memberEpoch, partitions);
    }

    /**
     * OffsetDelete ({@code kafka-consumer-groups --delete-offsets}): a partition of a topic the group's members
     * read is GROUP_SUBSCRIBED_TO_TOPIC and keeps its offset; any other is deleted.
     */
    public OffsetDeleteResponse deleteOffsets(String groupId, Collection<TopicPartition> partitions) {
        return offsets.deleteOffsets(groupId, partitions);
    }

    /** Removes every group's offsets for a topic about to be deleted, so a new topic of that name starts clean. */
    public void forgetTopic(String topic) {
        offsets.forgetTopic(topic);
    }

    // ---- groups of both types ----

    /** DescribeGroups for one classic group; an id the coordinator does not know, or a consumer group's, is Dead. */
    public DescribedGroup describeGroup(String groupId) {
        if (GroupRegistry.invalidId(groupId)) {
            return new DescribedGroup(Errors.INVALID_GROUP_ID, groupId, GroupState.DEAD, "", "", 0, "", List.of());
        }
        ClassicGroup group = registry.classic(groupId);
        if (group == null) {
            return new DescribedGroup(Errors.NONE, groupId, GroupState.DEAD, "", "", 0, "", List.of());
        }
        registry.applyClock(group);
        synchronized (group) {
            return group.describe();
        }
    }

    /**
     * ListGroups: every group, or those in one of the given states (v4 and later; Kafka's names, any case) and of
     * one of the given types (v5: {@code classic}, {@code consumer}), if any are given.
     */
    public List<ListedGroup> listGroups(Set<String> states, Set<String> types) {
        List<ListedGroup> listed = new ArrayList<>();
        for (Group group : registry.all()) {
            if (!Group.wanted(group.type(), types)) {
                continue;
            }
            registry.applyClock(group);
            synchronized (group) {
                group.listedIn(states).ifPresent(listed::add);
            }
        }
        return listed;
    }

    /** Every group the coordinator holds, of either type. */
    public List<ListedGroup> listGroups() {
        return listGroups(Set.of(), Set.of());
    }

    /** DeleteGroups: removes each empty group and its offsets; a group with members is refused. */
    public Map<String, Errors> deleteGroups(Collection<String> groupIds) {
        Map<String, Errors> results = new LinkedHashMap<>();
        for (String groupId : groupIds) {
            Group group = registry.find(groupId);
            if (group == null) {
                results.put(groupId, Errors.GROUP_ID_NOT_FOUND);
                continue;
            }
            registry.applyClock(group);
            synchronized (group) {
                Errors refused = group.deletable();
                if (refused == Errors.NONE) {
                    offsets.deleteAll(group);
                    registry.drop(group);
                    shares.deleted(groupId); // a share group's partitions forget it; no other type has any
                }
                results.put(groupId, refused);
            }
        }
        return results;
    }

    /**
     * Applies the clock to every group (session timeouts, the initial delay, rebalance timeouts); once a cleanup
     * interval has passed since the last, also deletes the offsets whose retention ran out and drops the groups left
     * with nothing in them. A group whose expired offsets the store cannot delete keeps them until a later cleanup
     * can; the first such failure is thrown once every group has been seen to.
     */
    public void tick() {
        boolean cleanup = cleanupDue();
        RuntimeException failed = null;
        for (Group group : registry.all()) {
            registry.applyClock(group);
            if (cleanup) {
                try {
                    offsets.cleanUp(group, config.offsetsRetention());
                } catch (RuntimeException e) {
                    failed = failed == null ? e : failed;
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** Whether this tick cleans up: the interval has passed since the last one, which it then counts from. */
    private synchronized boolean cleanupDue() {
        Instant now = registry.now();
        if (now.isBefore(nextCleanup)) {
            return false;
        }
        nextCleanup = now.plus(config.cleanupInterval());
        return true;
    }

    /** The bytes the groups' members and committed offsets take, estimated as {@link GroupConfig#MEMORY_MAX_BYTES} counts them. */
    public long stateBytes() {
        return memory.used();
    }

    /** How many groups the coordinator holds, Dead ones never among them. */
    public int groupCount() {
        return registry.size();
    }

    @Override
    public String toString() {
        return "GroupCoordinator" + registry;
    }
}
