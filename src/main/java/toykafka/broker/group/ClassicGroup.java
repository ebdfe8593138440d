package toykafka.broker.group;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/**
 * One group of the classic protocol as an explicit state machine (Kafka's {@code ClassicGroup}): its
 * members, generation, chosen protocol and leader, the join barrier, and its committed offsets. Every
 * method runs under the group's lock, held by the {@link GroupCoordinator}; answers to waiting members
 * are not sent here but queued in {@code replies}, which the coordinator runs once the lock is released.
 */
final class ClassicGroup {

    final String groupId;
    GroupState state = GroupState.EMPTY;
    int generation;
    String protocolType;
    String protocolName;
    String leaderId;
    /** In join order: when the leader leaves, the member that joined first after it leads. */
    final Map<String, GroupMember> members = new LinkedHashMap<>();
    /** Ids handed out with MEMBER_ID_REQUIRED, not yet used to join, each with the time it lapses. */
    final Map<String, Instant> pendingMembers = new HashMap<>();
    final SortedMap<TopicPartition, Long> offsets = new TreeMap<>();
    /** The string committed beside each offset, where it is not "". */
    final Map<TopicPartition, String> metadata = new HashMap<>();
    /** When each offset was committed: a group that never had members keeps each for the retention after it. */
    private final Map<TopicPartition, Instant> committedAt = new HashMap<>();
    /** When the group last became empty (or was made, or loaded at start): its offsets' retention runs from here. */
    private Instant emptySince;
    /** While PreparingRebalance: when the join barrier stops waiting for members that did not rejoin. */
    private Instant rebalanceDeadline;
    /** While an empty group's first rebalance waits for more members: until when (else null). */
    private Instant initialDelayUntil;
    /** Members of the generation that have not asked for their assignment yet, and until when they may. */
    private final Set<String> pendingSync = new HashSet<>();
    private Instant syncDeadline;

    private final GroupConfig config;
    private final Runnable rebalanceStarted;

    ClassicGroup(String groupId, GroupConfig config, Runnable rebalanceStarted, Instant now) {
        this.groupId = groupId;
        this.config = config;
        this.rebalanceStarted = rebalanceStarted;
        this.emptySince = now;
    }

    /**
     * Whether a member offering these protocols may be in the group: a group with no other member takes any
     * protocol type with at least one protocol; otherwise the type must be the group's, and at least one protocol
     * must be one every member supports.
     */
    boolean supports(JoinGroupRequest request) {
        if (request.protocolType() == null || request.protocolType().isEmpty() || request.protocols().isEmpty()) {
            return false;
        }
        boolean alone = members.isEmpty()
                || members.size() == 1 && members.containsKey(request.memberId());
        if (alone) {
            return true;
        }
        if (!request.protocolType().equals(protocolType)) {
            return false;
        }
        Set<String> common = supportedProtocols(request.memberId());
        return request.protocolNames().stream().anyMatch(common::contains);
    }

    /** The protocols every member (but the one named, which is about to change its own) supports. */
    Set<String> supportedProtocols(String except) {
        Set<String> common = null;
        for (GroupMember member : members.values()) {
            if (member.memberId.equals(except)) {
                continue;
            }
            if (common == null) {
                common = new LinkedHashSet<>(member.protocolNames());
            } else {
                common.retainAll(member.protocolNames());
            }
        }
        return common == null ? Set.of() : common;
    }

    // tag::member-id[]
    /** A first join: the member gets an id; a v4+ member must come back with it before it counts. */
    void joinNew(JoinGroupRequest request, CompletableFuture<JoinGroupResponse> reply, Instant now,
                 List<Runnable> replies) {
        String clientId = request.clientId().isEmpty() ? "member" : request.clientId();
        // at most MAX_NAME_LENGTH of it, so no member id is longer than a client id a person would choose
        String memberId = clientId.substring(0, Math.min(clientId.length(), GroupCoordinator.MAX_NAME_LENGTH)) + "-"
                + java.util.UUID.randomUUID();
        if (request.requireKnownMemberId()) {
            pendingMembers.put(memberId, now.plusMillis(request.sessionTimeoutMs()));
            replies.add(() -> reply.complete(JoinGroupResponse.error(Errors.MEMBER_ID_REQUIRED, memberId)));
            return;
        }
        addMember(memberId, request, reply, now, replies);
    }

    /** A join with the id the coordinator handed out. */
    void joinPending(JoinGroupRequest request, CompletableFuture<JoinGroupResponse> reply, Instant now,
                     List<Runnable> replies) {
        pendingMembers.remove(request.memberId());
        addMember(request.memberId(), request, reply, now, replies);
    }
    // end::member-id[]

    private void addMember(String memberId, JoinGroupRequest request, CompletableFuture<JoinGroupResponse> reply,
                           Instant now, List<Runnable> replies) {
        GroupMember member = new GroupMember(memberId, request, now);
        if (members.isEmpty()) {
            protocolType = request.protocolType();
        }
        members.put(memberId, member);
        if (leaderId == null) {
            leaderId = memberId;
        }
        member.awaitingJoin = reply;
        if (state == GroupState.PREPARING_REBALANCE) {
            if (initialDelayUntil != null) {
                initialDelayUntil = min(now.plus(config.initialRebalanceDelay()), rebalanceDeadline);
            }
            tryCompleteJoin(now, replies);
        } else {
            prepareRebalance(now, replies);
        }
    }

    /**
     * A join from a member the group has. While the group rebalances it is one more member at the barrier.
     * Otherwise a member that changed its protocols, or the leader (which may want to assign again), starts
     * a rebalance; any other member is told the current generation again.
     */
    void joinKnown(JoinGroupRequest request, CompletableFuture<JoinGroupResponse> reply, Instant now,
                   List<Runnable> replies) {
        GroupMember member = members.get(request.memberId());
        if (members.size() == 1) {
            protocolType = request.protocolType(); // a lone member may change what the group is
        }
        switch (state) {
            case PREPARING_REBALANCE -> {
                if (member.awaitingJoin != null) {
                    CompletableFuture<JoinGroupResponse> replaced = member.awaitingJoin;
                    replies.add(() -> replaced.complete(JoinGroupResponse.error(Errors.REBALANCE_IN_PROGRESS,
                            member.memberId)));
                }
                member.update(request, now);
                member.awaitingJoin = reply;
                tryCompleteJoin(now, replies);
            }
            case COMPLETING_REBALANCE, STABLE -> {
                boolean leader = member.memberId.equals(leaderId) && state == GroupState.STABLE;
                if (leader || !member.sameProtocols(request)) {
                    member.update(request, now);
                    member.awaitingJoin = reply;
                    prepareRebalance(now, replies);
                } else {
                    member.lastHeard = now;
                    JoinGroupResponse current = joinResponse(member);
                    replies.add(() -> reply.complete(current));
                }
            }
            default -> replies.add(() -> reply.complete(JoinGroupResponse.error(Errors.UNKNOWN_MEMBER_ID,
                    request.memberId())));
        }
    }

    /**
     * Starts a rebalance: every member must join again. An empty group's first rebalance waits
     * group.initial.rebalance.delay.ms for more members (each newcomer extends the wait, up to the
     * rebalance timeout); later ones wait at most the longest rebalance timeout among the members.
     */
    private void prepareRebalance(Instant now, List<Runnable> replies) {
        if (state == GroupState.COMPLETING_REBALANCE) {
            failAwaitingSyncs(Errors.REBALANCE_IN_PROGRESS, replies);
        }
        pendingSync.clear();
        syncDeadline = null;
        rebalanceDeadline = now.plusMillis(longestRebalanceTimeout());
        boolean firstRebalance = state == GroupState.EMPTY;
        initialDelayUntil = firstRebalance && !config.initialRebalanceDelay().isZero()
                ? min(now.plus(config.initialRebalanceDelay()), rebalanceDeadline) : null;
        state = GroupState.PREPARING_REBALANCE;
        replies.add(rebalanceStarted);
        tryCompleteJoin(now, replies);
    }

    // tag::barrier[]
    /** The join barrier: it opens when every member has joined again and no handed-out id is still unused. */
    private void tryCompleteJoin(Instant now, List<Runnable> replies) {
        if (state != GroupState.PREPARING_REBALANCE || initialDelayUntil != null) {
            return;
        }
        boolean allJoined = members.values().stream().allMatch(member -> member.awaitingJoin != null);
        if (allJoined && pendingMembers.isEmpty()) {
            completeJoin(now, replies);
        }
    }

    /**
     * The next generation: its protocol, its leader, and an answer to every member that joined. The
     * leader gets every member's metadata for the chosen protocol; the others get none.
     */
    private void completeJoin(Instant now, List<Runnable> replies) {
        rebalanceDeadline = null;
        generation++;
        if (members.isEmpty()) {
            state = GroupState.EMPTY;
            emptySince = now;
            protocolName = null;
            leaderId = null;
            return;
        }
        protocolName = selectProtocol();
        if (!members.containsKey(leaderId)) {
            leaderId = members.keySet().iterator().next();
        }
        state = GroupState.COMPLETING_REBALANCE;
        pendingSync.addAll(members.keySet());
        syncDeadline = now.plusMillis(longestRebalanceTimeout()); // a member that never syncs holds nobody up
        for (GroupMember member : members.values()) {
            JoinGroupResponse response = joinResponse(member);
            CompletableFuture<JoinGroupResponse> reply = member.awaitingJoin;
            member.awaitingJoin = null;
            member.assignment = new byte[0];
            member.lastHeard = now; // its session starts again from its answer
            replies.add(() -> reply.complete(response));
        }
    }
    // end::barrier[]

    private long longestRebalanceTimeout() {
        return members.values().stream().mapToLong(m -> m.rebalanceTimeoutMs).max().orElse(0);
    }

    private JoinGroupResponse joinResponse(GroupMember member) {
        List<JoinGroupResponse.Member> metadata = new ArrayList<>();
        if (member.memberId.equals(leaderId)) {
            members.values().forEach(m -> metadata.add(new JoinGroupResponse.Member(m.memberId,
                    m.metadata(protocolName).orElseThrow())));
        }
        return new JoinGroupResponse(Errors.NONE, generation, protocolType, protocolName, leaderId, member.memberId,
                List.copyOf(metadata));
    }

    /**
     * Of the protocols every member supports, the one most members prefer: each member votes for the first
     * of its own list that all support, as Kafka's {@code selectProtocol} counts.
     */
    private String selectProtocol() {
        Set<String> candidates = supportedProtocols(null);
        Map<String, Integer> votes = new LinkedHashMap<>();
        candidates.forEach(protocol -> votes.put(protocol, 0));
        for (GroupMember member : members.values()) {
            member.protocolNames().stream().filter(candidates::contains).findFirst()
                    .ifPresent(vote -> votes.merge(vote, 1, Integer::sum));
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    // tag::sync[]
    /**
     * A member asking for its assignment. The leader's sync carries everyone's: the group becomes Stable
     * and every member waiting is answered. A follower that syncs first waits for the leader.
     */
    void sync(SyncGroupRequest request, CompletableFuture<SyncGroupResponse> reply, Instant now,
              List<Runnable> replies) {
        GroupMember member = members.get(request.memberId());
        member.lastHeard = now;
        pendingSync.remove(member.memberId);
        if (state == GroupState.STABLE) {
            SyncGroupResponse response = syncResponse(member);
            replies.add(() -> reply.complete(response));
            return;
        }
        member.awaitingSync = reply;
        if (member.memberId.equals(leaderId)) {
            for (GroupMember each : members.values()) {
                each.assignment = request.assignments().getOrDefault(each.memberId, new byte[0]);
            }
            state = GroupState.STABLE;
            for (GroupMember each : members.values()) {
                if (each.awaitingSync != null) {
                    CompletableFuture<SyncGroupResponse> waiting = each.awaitingSync;
                    SyncGroupResponse response = syncResponse(each);
                    each.awaitingSync = null;
                    each.lastHeard = now;
                    replies.add(() -> waiting.complete(response));
                }
            }
        }
    }
    // end::sync[]

    private SyncGroupResponse syncResponse(GroupMember member) {
        return new SyncGroupResponse(Errors.NONE, protocolType, protocolName, member.assignment);
    }

    private void failAwaitingSyncs(Errors error, List<Runnable> replies) {
        for (GroupMember member : members.values()) {
            member.assignment = new byte[0];
            if (member.awaitingSync != null) {
                CompletableFuture<SyncGroupResponse> waiting = member.awaitingSync;
                member.awaitingSync = null;
                replies.add(() -> waiting.complete(SyncGroupResponse.error(error)));
            }
        }
    }

    /** Removes a member (it left, or its session ran out): the rest rebalance without it. */
    void remove(String memberId, Instant now, List<Runnable> replies) {
        if (pendingMembers.remove(memberId) != null) {
            tryCompleteJoin(now, replies);
            return;
        }
        GroupMember member = members.remove(memberId);
        pendingSync.remove(memberId);
        if (member.awaitingJoin != null) {
            CompletableFuture<JoinGroupResponse> waiting = member.awaitingJoin;
            replies.add(() -> waiting.complete(JoinGroupResponse.error(Errors.UNKNOWN_MEMBER_ID, memberId)));
        }
        if (member.awaitingSync != null) {
            CompletableFuture<SyncGroupResponse> waiting = member.awaitingSync;
            replies.add(() -> waiting.complete(SyncGroupResponse.error(Errors.UNKNOWN_MEMBER_ID)));
        }
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
        switch (state) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(now, replies);
            case PREPARING_REBALANCE -> tryCompleteJoin(now, replies);
            default -> { }
        }
    }

    /**
     * What the clock decides: handed-out ids and members that stayed silent past their session timeout
     * go; an initial delay that ran out lets the barrier open; at the rebalance timeout the barrier opens
     * without the members that did not join again, and they are removed. Members that did not ask for
     * their assignment within the rebalance timeout after the join are removed too: a leader that never
     * sends one would otherwise hold the group in CompletingRebalance for good.
     */
    void tick(Instant now, List<Runnable> replies) {
        pendingMembers.values().removeIf(deadline -> now.isAfter(deadline));
        for (GroupMember member : List.copyOf(members.values())) {
            if (member.expired(now) && members.containsKey(member.memberId)) {
                remove(member.memberId, now, replies);
            }
        }
        if (syncDeadline != null && !now.isBefore(syncDeadline)) {
            List<String> neverSynced = List.copyOf(pendingSync);
            syncDeadline = null;
            pendingSync.clear();
            neverSynced.stream().filter(members::containsKey).forEach(memberId -> remove(memberId, now, replies));
        }
        if (state != GroupState.PREPARING_REBALANCE) {
            return;
        }
        if (initialDelayUntil != null && !now.isBefore(initialDelayUntil)) {
            initialDelayUntil = null;
        }
        if (initialDelayUntil == null && !now.isBefore(rebalanceDeadline)) {
            members.values().removeIf(member -> member.awaitingJoin == null);
            pendingMembers.clear();
        }
        tryCompleteJoin(now, replies);
    }

    /** The group's members as DescribeGroups shows them. */
    DescribedGroup describe() {
        List<DescribedGroup.Member> described = new ArrayList<>();
        for (GroupMember member : members.values()) {
            byte[] metadata = protocolName == null ? new byte[0] : member.metadata(protocolName).orElse(new byte[0]);
            described.add(new DescribedGroup.Member(member.memberId, member.clientId, member.clientHost, metadata,
                    member.assignment));
        }
        return new DescribedGroup(Errors.NONE, groupId, state, protocolType == null ? "" : protocolType,
                protocolName == null ? "" : protocolName, generation, leaderId == null ? "" : leaderId,
                List.copyOf(described));
    }

    /** The group is deleted (it has no members by then); a call that still holds it is told so. */
    void markDead() {
        state = GroupState.DEAD;
        offsets.clear();
        metadata.clear();
        committedAt.clear();
    }

    /** Members, with those handed an id and not yet joined: what {@code group.max.size} counts. */
    boolean full() {
        return members.size() + pendingMembers.size() >= config.maxSize();
    }

    /** Offsets committed (or loaded at start) now, each with the string committed beside it ("" for none). */
    void committed(Map<TopicPartition, Long> committed, Map<TopicPartition, String> strings, Instant now) {
        offsets.putAll(committed);
        committed.keySet().forEach(partition -> {
            committedAt.put(partition, now);
            String text = strings.getOrDefault(partition, "");
            if (text.isEmpty()) {
                metadata.remove(partition);
            } else {
                metadata.put(partition, text);
            }
        });
    }

    /**
     * The topics the members of a consumer group subscribe to, read from their metadata for the chosen protocol;
     * empty for a group of another kind, whose metadata the coordinator cannot read.
     */
    Set<String> subscribedTopics() {
        Set<String> topics = new HashSet<>();
        if (!ConsumerProtocol.TYPE.equals(protocolType) || protocolName == null) {
            return topics;
        }
        for (GroupMember member : members.values()) {
            member.metadata(protocolName).ifPresent(bytes -> topics.addAll(ConsumerProtocol.CODEC.topics(bytes)));
        }
        return topics;
    }

    /** Offsets removed (their topic was deleted, or they expired). */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> {
            offsets.remove(partition);
            metadata.remove(partition);
            committedAt.remove(partition);
        });
    }

    // tag::expiry[]
    /**
     * The offsets whose retention ran out, as Kafka's {@code offsets.retention.minutes} (KIP-211) has it: a group
     * that had members keeps its offsets while it has any, and for the retention after the last one left; a group
     * that never had members (its offsets committed from outside any generation) keeps each offset for the
     * retention after its commit.
     */
    List<TopicPartition> expiredOffsets(Instant now, Duration retention) {
        if (state != GroupState.EMPTY) {
            return List.of();
        }
        if (protocolType != null) {
            return now.isBefore(emptySince.plus(retention)) ? List.of() : List.copyOf(offsets.keySet());
        }
        return offsets.keySet().stream()
                .filter(partition -> !now.isBefore(committedAt.getOrDefault(partition, emptySince).plus(retention)))
                .toList();
    }
    // end::expiry[]

    /** Nothing in it: no member, none on the way, no offset. Such a group is dropped, as Kafka's cleanup drops it. */
    boolean unused() {
        return state == GroupState.EMPTY && members.isEmpty() && pendingMembers.isEmpty() && offsets.isEmpty();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    @Override
    public String toString() {
        return "ClassicGroup[" + groupId + ", " + state + ", generation " + generation + ", members " + members.keySet() + "]";
    }
}
