package toykafka.broker.group;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.RecordTooLargeException;
import toykafka.common.TopicPartition;

/**
 * The broker's group coordinator for Kafka's classic group protocol (Kafka's {@code GroupCoordinator}
 * with its {@code GroupMetadataManager}): JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit,
 * OffsetFetch, DescribeGroups, ListGroups and DeleteGroups, with requests and answers as records and
 * the members' metadata and assignments as opaque bytes, so any front end only translates.
 *
 * <p>Unlike lesson 5's coordinator, this one does not assign: a leader chosen among the members does,
 * and the coordinator hands its assignment out. Calls that wait (join, sync) answer through a future
 * that is completed on whichever thread opens the barrier, never by blocking the caller. Each group has
 * its own lock, and no lock is held while a future completes, so an answer may call straight back in.
 * Time comes from one clock. Each call to a group first applies it to that group (sessions that ran
 * out, barriers that timed out), as Kafka's timers would have fired by then; {@link #tick()}, called on a
 * schedule, applies it to the groups nobody calls, and expires the offsets of groups left empty
 * ({@code offsets.retention.minutes}) at each cleanup ({@code offsets.retention.check.interval.ms}).
 *
 * <p>A request the coordinator refuses leaves nothing behind: a group is made only for a join or commit it
 * takes. A group that had members or offsets and has none left stays, Empty, until the next cleanup drops it, as
 * Kafka's {@code cleanupGroupMetadata} does: until then the tools list it, describe it as having no active members,
 * and may delete it.
 */
public final class GroupCoordinator {

    /**
     * The longest group id, and the most of a client id a member id is built from. Kafka sets no limit; 255
     * is a little over a topic name's 249, so {@code consumer-<group>-1} ids stay readable in every listing.
     */
    public static final int MAX_NAME_LENGTH = 255;

    private final Clock clock;
    private final GroupConfig config;
    private final OffsetStore store;
    private final CoordinatorMemory memory;
    private final Consumer<String> events;
    private final Map<String, ClassicGroup> groups = new ConcurrentSkipListMap<>();
    private final List<Consumer<String>> rebalanceListeners = new CopyOnWriteArrayList<>();
    /** Offsets committed inside transactions not yet ended, by producer id: in force if they commit. */
    private final PendingTransactionalOffsets pending = new PendingTransactionalOffsets();
    /** When {@link #tick()} next expires offsets and drops the groups left with nothing. */
    private Instant nextCleanup;

    public GroupCoordinator(Clock clock, GroupConfig config, OffsetStore store) {
        this(clock, config, store, event -> { });
    }

    /** As {@link #GroupCoordinator(Clock, GroupConfig, OffsetStore)}, telling {@code events} what it refuses and why. */
    public GroupCoordinator(Clock clock, GroupConfig config, OffsetStore store, Consumer<String> events) {
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.memory = new CoordinatorMemory(config.memoryMaxBytes());
        this.nextCleanup = clock.instant().plus(config.cleanupInterval());
    }

    public GroupConfig config() {
        return config;
    }

    /** Calls {@code listener} with a group's id each time the group starts a rebalance. */
    public void onRebalanceStarted(Consumer<String> listener) {
        rebalanceListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Stops calling {@code listener}: its front end has stopped while the broker goes on. */
    public void removeRebalanceListener(Consumer<String> listener) {
        rebalanceListeners.remove(listener);
    }

    /** Loads every group's committed offsets from the store, as Kafka's coordinator does when it takes a group. */
    public int replay() {
        int partitions = 0;
        OffsetStore.Replayed replayed = store.replayAll();
        Map<String, Map<TopicPartition, String>> metadata = replayed.metadata();
        replayed.pending().forEach((producerId, commits) -> commits.forEach(commit -> {
            long bytes = pending.growth(producerId, commit);
            pending.add(producerId, commit, bytes);
            memory.add(bytes); // taken even past the bound: it was taken once
        }));
        for (Map.Entry<String, SortedMap<TopicPartition, Long>> entry : replayed.offsets().entrySet()) {
            ClassicGroup group = group(entry.getKey());
            synchronized (group) {
                // the store keeps no times: retention runs from now
                group.offsets().committed(entry.getValue(), metadata.getOrDefault(entry.getKey(), Map.of()),
                        clock.instant());
                group.settleMemory();
            }
            partitions += entry.getValue().size();
        }
        return partitions;
    }

    private ClassicGroup group(String groupId) {
        return groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, config, memory, () -> announceRebalance(id),
                clock.instant()));
    }

    /**
     * Drops a group a refused call made and left with nothing, so that the call leaves nothing behind; a call still
     * holding it finds it Dead and looks it up again. A group that ever held a member or an offset waits for the
     * cleanup.
     */
    private void dropIfNeverUsed(ClassicGroup group) {
        if (group.unused() && !group.everUsed()) {
            drop(group);
        }
    }

    private void drop(ClassicGroup group) {
        group.markDead();
        groups.remove(group.groupId(), group);
    }

    private void announceRebalance(String groupId) {
        rebalanceListeners.forEach(listener -> listener.accept(groupId));
    }

    /** Runs what a group queued under its lock: answers to members, rebalance announcements. */
    private static void send(List<Runnable> replies) {
        replies.forEach(Runnable::run);
    }

    /** Applies the clock to one group, then sends what that changed, before a call looks at the group. */
    private void applyClock(ClassicGroup group) {
        List<Runnable> replies = new ArrayList<>();
        synchronized (group) {
            group.tick(clock.instant(), replies);
            group.settleMemory();
        }
        send(replies);
    }

    /** JoinGroup: answered when the group's join barrier opens, or at once if the join is refused. */
    public CompletableFuture<JoinGroupResponse> joinGroup(JoinGroupRequest request) {
        String memberId = request.memberId();
        if (invalidGroupId(request.groupId())) {
            return CompletableFuture.completedFuture(JoinGroupResponse.error(Errors.INVALID_GROUP_ID, memberId));
        }
        if (!config.allowsSessionTimeout(request.sessionTimeoutMs())) {
            return CompletableFuture.completedFuture(JoinGroupResponse.error(Errors.INVALID_SESSION_TIMEOUT, memberId));
        }
        if (!memberId.isEmpty() && !groups.containsKey(request.groupId())) {
            return CompletableFuture.completedFuture(JoinGroupResponse.error(Errors.UNKNOWN_MEMBER_ID, memberId));
        }
        if (request.protocolType() == null || request.protocolType().isEmpty() || request.protocols().isEmpty()) {
            // no group takes it, so none is made for it
            return CompletableFuture.completedFuture(JoinGroupResponse.error(Errors.INCONSISTENT_GROUP_PROTOCOL, memberId));
        }
        ClassicGroup group = group(request.groupId());
        applyClock(group);
        CompletableFuture<JoinGroupResponse> reply = new CompletableFuture<>();
        List<Runnable> replies = new ArrayList<>();
        synchronized (group) {
            if (group.dead()) {
                return joinGroup(request); // dropped since it was looked up: the join makes it again
            }
            long growth = group.joinGrowth(request);
            if (memory.admits(growth)) {
                group.join(request, reply, clock.instant(), replies);
                group.settleMemory();
            } else {
                events.accept("a join to group " + request.groupId() + " with " + growth + " bytes of protocols"
                        + " and ids is refused with GROUP_MAX_SIZE_REACHED: " + full(growth));
                reply.complete(JoinGroupResponse.error(Errors.GROUP_MAX_SIZE_REACHED, memberId));
            }
            dropIfNeverUsed(group); // a refused join to a group made for it leaves none
        }
        send(replies);
        return reply;
    }

    /** SyncGroup: a follower's answer waits for the leader's sync; the leader's comes at once. */
    public CompletableFuture<SyncGroupResponse> syncGroup(SyncGroupRequest request) {
        CompletableFuture<SyncGroupResponse> reply = new CompletableFuture<>();
        ClassicGroup group = groups.get(request.groupId());
        if (group == null) {
            return CompletableFuture.completedFuture(SyncGroupResponse.error(Errors.UNKNOWN_MEMBER_ID));
        }
        applyClock(group);
        List<Runnable> replies = new ArrayList<>();
        synchronized (group) {
            group.sync(request, reply, clock.instant(), replies);
            group.settleMemory();
        }
        send(replies);
        return reply;
    }

    /** Heartbeat: keeps the member's session alive, and tells it when the group is rebalancing. */
    public Errors heartbeat(HeartbeatRequest request) {
        ClassicGroup group = groups.get(request.groupId());
        if (group == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        applyClock(group);
        synchronized (group) {
            return group.heartbeat(request, clock.instant());
        }
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
        ClassicGroup group = groups.get(groupId);
        if (group == null) { // as Kafka answers: each member is unknown
            return new LeaveGroupResponse(Errors.NONE, leaving.stream()
                    .map(member -> new LeaveGroupResponse.Left(member, Errors.UNKNOWN_MEMBER_ID)).toList());
        }
        applyClock(group);
        List<Runnable> replies = new ArrayList<>();
        LeaveGroupResponse answer;
        synchronized (group) {
            answer = group.leave(leaving, clock.instant(), replies);
            group.settleMemory();
        }
        send(replies);
        return answer;
    }

    // tag::commit[]
    /**
     * OffsetCommit, fenced: only a member of the group's current generation may commit, and not while the
     * group waits for the leader's assignment (the partitions are changing hands). A commit from outside any
     * generation (generation -1, no member id) is taken only while the group has no members. The commit is
     * in the store before it is in force, so one the store refuses leaves nothing behind.
     */
    public Errors commitOffsets(OffsetCommitRequest request) {
        if (invalidGroupId(request.groupId())) {
            return Errors.INVALID_GROUP_ID;
        }
        if (!request.outsideAnyGeneration() && !groups.containsKey(request.groupId())) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        ClassicGroup group = group(request.groupId());
        applyClock(group);
        synchronized (group) {
            if (group.dead()) {
                return commitOffsets(request); // dropped since it was looked up: a standalone commit makes it again
            }
            try {
                return commitTo(group, request);
            } finally {
                group.settleMemory();
                dropIfNeverUsed(group); // a refused (or empty) commit to a group made for it leaves none
            }
        }
    }

    /** The group's fences, then the store, then the group: under the group's lock. */
    private Errors commitTo(ClassicGroup group, OffsetCommitRequest request) {
        Errors fenced = group.admitCommit(request, clock.instant());
        if (fenced != Errors.NONE) {
            return fenced;
        }
        long growth = group.offsets().growth(request.offsets(), request.metadata()) + group.bytesIfMade();
        if (!memory.admits(growth)) {
            events.accept("a commit of group " + request.groupId() + " adding " + growth + " bytes of offsets and"
                    + " metadata is refused with INVALID_COMMIT_OFFSET_SIZE: " + full(growth));
            return Errors.INVALID_COMMIT_OFFSET_SIZE;
        }
        try {
            store.write(request.groupId(), request.memberId(), request.generationId(), request.offsets(),
                    request.metadata());
        } catch (RecordTooLargeException e) { // a partition's record alone passes the offsets topic's limit
            return Errors.INVALID_COMMIT_OFFSET_SIZE;
        }
        group.offsets().committed(request.offsets(), request.metadata(), clock.instant());
        return Errors.NONE;
    }
    // end::commit[]

    // tag::txn-commit[]
    /**
     * TxnOffsetCommit: offsets the producer commits inside its transaction, for a consumer group it reads for
     * (a consume-transform-produce loop). A member of the group's current generation is fenced as a commit is
     * (KIP-447: a consumer that lost its partitions cannot commit through its producer); a commit from outside
     * any generation is taken. The offsets are written at once and come into force when the transaction commits
     * ({@link #completeTransaction}).
     */
    public Errors commitTransactionalOffsets(long producerId, short epoch, OffsetCommitRequest request) {
        if (invalidGroupId(request.groupId())) {
            return Errors.INVALID_GROUP_ID;
        }
        ClassicGroup group = group(request.groupId());
        applyClock(group);
        synchronized (group) {
            try {
                if (!request.outsideAnyGeneration()) {
                    Errors fenced = group.admitCommit(request, clock.instant());
                    if (fenced != Errors.NONE) {
                        return fenced;
                    }
                }
                TransactionalCommit commit = new TransactionalCommit(request.groupId(), request.offsets(),
                        request.metadata());
                long growth = pending.growth(producerId, commit);
                if (!memory.admits(growth)) {
                    events.accept("a transactional commit of group " + request.groupId() + " by producer " + producerId
                            + " adding " + growth + " bytes of offsets is refused with INVALID_COMMIT_OFFSET_SIZE: "
                            + full(growth));
                    return Errors.INVALID_COMMIT_OFFSET_SIZE;
                }
                store.writeTransactional(producerId, epoch, commit);
                pending.add(producerId, commit, growth);
                memory.add(growth);
                return Errors.NONE;
            } catch (RecordTooLargeException e) {
                return Errors.INVALID_COMMIT_OFFSET_SIZE;
            } catch (ApiException e) {
                events.accept("a transactional commit of group " + request.groupId() + " by producer " + producerId
                        + " is refused: " + e.getMessage());
                return e.error();
            } finally {
                dropIfNeverUsed(group);
            }
        }
    }

    /**
     * The producer's transaction ended, its marker written to the offsets topic: its offsets come into force if
     * it committed, and are forgotten if it aborted.
     */
    public void completeTransaction(long producerId, boolean commit) {
        if (commit) {
            for (TransactionalCommit done : pending.pendingOf(producerId)) {
                ClassicGroup group = group(done.groupId());
                synchronized (group) {
                    group.offsets().committed(done.offsets(), done.metadata(), clock.instant());
                    group.settleMemory();
                }
            }
        }
        // Only now: an OffsetFetch that finds nothing pending must find the committed offsets in force.
        memory.add(-pending.remove(producerId));
    }
    // end::txn-commit[]

    /**
     * The group's partitions with offsets committed inside a transaction that has not ended: what OffsetFetch
     * with {@code require_stable} answers UNSTABLE_OFFSET_COMMIT for, so that a consumer taking over from a
     * transactional producer does not start from an offset about to change.
     */
    public Set<TopicPartition> unstableOffsets(String groupId) {
        return pending.partitionsOf(groupId);
    }

    /** OffsetFetch: the group's committed offsets for these partitions, or for every one with null. */
    public OffsetFetchResponse fetchOffsets(String groupId, Collection<TopicPartition> partitions) {
        if (invalidGroupId(groupId)) {
            return new OffsetFetchResponse(Errors.INVALID_GROUP_ID, new TreeMap<>());
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return new OffsetFetchResponse(Errors.NONE, new TreeMap<>(), new HashMap<>());
        }
        synchronized (group) {
            return group.offsets().fetch(partitions);
        }
    }

    /** What OffsetDelete answers: an error for the group, and one for each partition it named. */
    public record OffsetDeleteResponse(Errors error, Map<TopicPartition, Errors> partitions) {
    }

    /**
     * OffsetDelete ({@code kafka-consumer-groups --delete-offsets}): removes the group's committed offsets for these
     * partitions, as Kafka's {@code GroupCoordinator.handleDeleteOffsets} does. A group the coordinator does not
     * know is GROUP_ID_NOT_FOUND; a partition of a topic the group's members subscribe to is
     * GROUP_SUBSCRIBED_TO_TOPIC and keeps its offset, since a member reads from it; any other is deleted, whether
     * or not it had an offset.
     */
    public OffsetDeleteResponse deleteOffsets(String groupId, Collection<TopicPartition> partitions) {
        if (invalidGroupId(groupId)) {
            return new OffsetDeleteResponse(Errors.INVALID_GROUP_ID, Map.of());
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return new OffsetDeleteResponse(Errors.GROUP_ID_NOT_FOUND, Map.of());
        }
        applyClock(group);
        synchronized (group) {
            if (group.dead()) {
                return new OffsetDeleteResponse(Errors.GROUP_ID_NOT_FOUND, Map.of());
            }
            Set<String> subscribed = group.subscribedTopics();
            Map<TopicPartition, Errors> results = new LinkedHashMap<>();
            List<TopicPartition> deleted = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                boolean inUse = subscribed.contains(partition.topic());
                results.put(partition, inUse ? Errors.GROUP_SUBSCRIBED_TO_TOPIC : Errors.NONE);
                if (!inUse && group.offsets().has(partition)) {
                    deleted.add(partition);
                }
            }
            if (!deleted.isEmpty()) {
                store.delete(groupId, deleted); // durable first, as an expiry is
                group.offsets().forget(deleted);
            }
            return new OffsetDeleteResponse(Errors.NONE, results);
        }
    }

    /** DescribeGroups for one group; a group the coordinator does not know is Dead, with no members. */
    public DescribedGroup describeGroup(String groupId) {
        if (invalidGroupId(groupId)) {
            return new DescribedGroup(Errors.INVALID_GROUP_ID, groupId, GroupState.DEAD, "", "", 0, "", List.of());
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return new DescribedGroup(Errors.NONE, groupId, GroupState.DEAD, "", "", 0, "", List.of());
        }
        applyClock(group);
        synchronized (group) {
            return group.describe();
        }
    }

    /** ListGroups: every group, or those in one of the given states (v4 and later) if any are given. */
    public List<ListedGroup> listGroups(Set<GroupState> states) {
        List<ListedGroup> listed = new ArrayList<>();
        for (ClassicGroup group : groups.values()) {
            applyClock(group);
            synchronized (group) {
                group.listedIn(states).ifPresent(listed::add);
            }
        }
        return listed;
    }

    /** DeleteGroups: removes each empty group and its offsets; a group with members is refused. */
    public Map<String, Errors> deleteGroups(Collection<String> groupIds) {
        Map<String, Errors> results = new LinkedHashMap<>();
        for (String groupId : groupIds) {
            ClassicGroup group = groups.get(groupId);
            if (group == null) {
                results.put(groupId, Errors.GROUP_ID_NOT_FOUND);
                continue;
            }
            synchronized (group) {
                Errors refused = group.deletable();
                if (refused == Errors.NONE) {
                    store.delete(groupId, group.offsets().partitions());
                    group.markDead();
                    groups.remove(groupId);
                }
                results.put(groupId, refused);
            }
        }
        return results;
    }

    /** Removes every group's offsets for a topic about to be deleted, so a new topic of that name starts clean. */
    public void forgetTopic(String topic) {
        for (ClassicGroup group : groups.values()) {
            synchronized (group) {
                List<TopicPartition> gone = group.offsets().ofTopic(topic);
                if (!gone.isEmpty()) {
                    store.delete(group.groupId(), gone);
                    group.offsets().forget(gone);
                }
            }
        }
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
        for (ClassicGroup group : groups.values()) {
            applyClock(group);
            if (cleanup) {
                try {
                    cleanUp(group);
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
        Instant now = clock.instant();
        if (now.isBefore(nextCleanup)) {
            return false;
        }
        nextCleanup = now.plus(config.cleanupInterval());
        return true;
    }

    // tag::cleanup[]
    /** Kafka's cleanup of one group: its expired offsets go, durably first, and then the group, if nothing is left. */
    private void cleanUp(ClassicGroup group) {
        synchronized (group) {
            List<TopicPartition> expired = group.expiredOffsets(clock.instant(), config.offsetsRetention());
            if (!expired.isEmpty()) {
                store.delete(group.groupId(), expired); // durable first, as a deletion by hand is
                group.offsets().forget(expired);
            }
            if (group.unused()) {
                drop(group);
            }
        }
    }
    // end::cleanup[]

    private String full(long growth) {
        return "the coordinator's groups take about " + memory.used() + " bytes, and " + growth + " more would pass "
                + GroupConfig.MEMORY_MAX_BYTES + "=" + memory.max() + "; offsets already kept still move, and members"
                + " already in still join again";
    }

    /** The bytes the groups' members and committed offsets take, estimated as {@link GroupConfig#MEMORY_MAX_BYTES} counts them. */
    public long stateBytes() {
        return memory.used();
    }

    /** How many groups the coordinator holds, Dead ones never among them. */
    public int groupCount() {
        return groups.size();
    }

    /** A group id no group may have: blank, or longer than {@link #MAX_NAME_LENGTH}. */
    private static boolean invalidGroupId(String groupId) {
        return groupId == null || groupId.isBlank() || groupId.length() > MAX_NAME_LENGTH;
    }

    @Override
    public String toString() {
        return "GroupCoordinator" + groups.keySet();
    }
}
