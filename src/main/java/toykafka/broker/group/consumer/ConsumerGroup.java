package toykafka.broker.group.consumer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import toykafka.common.Errors;
import toykafka.common.TopicId;
import toykafka.broker.group.base.ConsumerGroupConfig;
import toykafka.broker.group.base.ConsumerGroupTimings;
import toykafka.broker.group.base.CoordinatorMemory;
import toykafka.broker.group.base.DescribableTopics;
import toykafka.broker.group.base.GroupOffsets;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.base.Owners;
import toykafka.broker.group.base.RefusedJoins;
import toykafka.broker.group.base.TopicLookup;
import toykafka.broker.group.modern.HeartbeatRefusal;
import toykafka.broker.group.modern.ModernGroup;

/**
 * One group of Kafka 4's consumer group protocol (KIP-848; Kafka's {@code ConsumerGroup} with the heartbeat handling
 * of its {@code GroupMetadataManager}): no join barrier, no leader. A change in who is in the group, what they
 * subscribe to or how many partitions a topic has moves the <em>group epoch</em> on; the broker's assignor then
 * computes every member's <em>target</em>, at that epoch; and each member moves to its target on its own heartbeats
 * ({@link MemberAssignment#next}), so a slow member holds up only the partitions it must give up. A member is a
 * value: each change puts the next one in the old one's place.
 *
 * <p>The coordinator holds the group's lock around every call and brings the time and the broker's topics.
 */
public final class ConsumerGroup extends ModernGroup<ConsumerGroupMember, Map<TopicId, Set<Integer>>> {

    private final Map<String, ServerAssignor> assignors;
    private final ServerAssignor defaultAssignor;
    private int heartbeatIntervalMs; // the group's own (consumer.*) or the broker's, as of its last heartbeat
    private final CoordinatorMemory memory;
    /** Hears the joins the coordinator's memory refuses, and why: once per member and reason. */
    private final RefusedJoins events;
    /** How many partitions the targets name: kept as they change, so a heartbeat does not count the whole group again. */
    private long targetedPartitions;
    /** The subscribed topics' ids and partition counts the target was computed from. */
    private final SubscribedTopics subscribedTopics = new SubscribedTopics();
    /** The members' ids in order, as the assignor takes them: kept as members come and go, not sorted at each join. */
    private final SortedSet<String> memberIdsInOrder = new TreeSet<>();
    /** What the offsets topic holds of the group, so that a call writes only what it changed. */
    private final KeptConsumerGroup inTopic;

    /** A new group, with no offsets yet (null), or one that takes over a classic group's id and offsets. */
    public ConsumerGroup(String groupId, ConsumerGroupConfig config, CoordinatorMemory memory, RefusedJoins events,
                  GroupOffsets offsets, ConsumerGroupWriter store) {
        this(groupId, ServerAssignor.named(config.assignors()), (int) config.heartbeatInterval().toMillis(),
                (int) config.sessionTimeout().toMillis(), config.maxSize(), memory, events, offsets, store);
    }

    /** A group bounded only by its session: @param assignors by name, the first the default ({@code group.consumer.assignors}) */
    public ConsumerGroup(String groupId, List<ServerAssignor> assignors, int heartbeatIntervalMs, int sessionTimeoutMs) {
        this(groupId, assignors, heartbeatIntervalMs, sessionTimeoutMs, Integer.MAX_VALUE,
                new CoordinatorMemory(Long.MAX_VALUE), new RefusedJoins(event -> { }), null, records -> { });
    }

    private ConsumerGroup(String groupId, List<ServerAssignor> assignors, int heartbeatIntervalMs,
                          int sessionTimeoutMs, int maxSize, CoordinatorMemory memory, RefusedJoins events,
                          GroupOffsets offsets, ConsumerGroupWriter store) {
        super(groupId, memory, offsets == null ? new GroupOffsets(memory) : offsets, maxSize, sessionTimeoutMs);
        this.assignors = assignors.stream().collect(Collectors.toMap(ServerAssignor::name, a -> a, (a, b) -> a,
                LinkedHashMap::new));
        this.defaultAssignor = assignors.get(0);
        this.heartbeatIntervalMs = heartbeatIntervalMs;
        this.memory = memory;
        this.events = events;
        this.inTopic = new KeptConsumerGroup(groupId, store);
    }

    /**
     * Takes the group back as a replay of the offsets topic found it: epochs, members, targets, and where each member
     * stood. Each member's topics are looked up in the broker's, which moves no epoch: the targets replayed were
     * computed from the same topics.
     */
    public void restore(ReplayedConsumerGroup replayed, TopicLookup topics, Instant now) {
        setGroupEpoch(replayed.groupEpoch());
        setAssignmentEpoch(replayed.assignmentEpoch());
        replayed.members(now).forEach(this::put);
        targets.putAll(replayed.targets());
        targetedPartitions = targets.values().stream().mapToLong(ConsumerGroup::partitionsIn).sum();
        subscribedTopics.restored();
        subscribedTopics.refresh(members, true, topics, DescribableTopics.ALL); // no member to ask: see unfiltered
        inTopic.restored(groupEpoch(), assignmentEpoch(), List.copyOf(members.values()), targets);
    }

    /** The records that bring the offsets topic up to the group as it is now: none if a call changed nothing. */
    public List<ConsumerGroupRecord> unkept() {
        return inTopic.unkept(groupEpoch(), assignmentEpoch(), members, targets);
    }

    /** What {@link #unkept} returned is in the offsets topic. */
    public void kept() {
        inTopic.kept(groupEpoch(), assignmentEpoch(), members, targets);
    }

    /** Tombstones for all the offsets topic holds of the group; none if it holds nothing. */
    public List<ConsumerGroupRecord> removal() {
        return inTopic.removal();
    }

    public void removed() {
        inTopic.removed();
    }

    /** Writes the parts a call changed, unless the group is gone ({@link KeptConsumerGroup#keep}). */
    @Override
    public void keep(Instant now, Consumer<String> events) {
        if (!dead()) {
            inTopic.keep(groupEpoch(), assignmentEpoch(), members, targets, events);
        }
    }

    @Override
    public void forget() {
        inTopic.forget();
    }

    /** A heartbeat from a broker with no authorizer: every topic may be described. */
    public ConsumerGroupHeartbeat.Response heartbeat(ConsumerGroupHeartbeat.Request request, TopicLookup topics, Instant now) {
        return heartbeat(request, topics, DescribableTopics.ALL, now);
    }

    // tag::heartbeat[]
    /**
     * One member's heartbeat: its join, its leave, or word of how far it got; answered at once, never held. A join with
     * no member id is given one, as version 0 of the request lets the coordinator choose. A regular expression the
     * member brings matches only the topics {@code describable} lets through, as Kafka's coordinator asks its
     * authorizer which of a regex's topics the member may describe.
     */
    public ConsumerGroupHeartbeat.Response heartbeat(ConsumerGroupHeartbeat.Request request, TopicLookup topics,
                                                     DescribableTopics describable, Instant now) {
        if (request.memberEpoch() == ConsumerGroupHeartbeat.JOIN && "".equals(request.memberId())) {
            request = request.withMemberId(UUID.randomUUID().toString());
        }
        ConsumerGroupHeartbeat.Response refused = refusal(request);
        if (refused != null) {
            return refused;
        }
        ConsumerGroupMember member = members.get(request.memberId());
        Optional<String> badRegex = newRegexRefusal(request.subscribedTopicRegex(), member);
        if (badRegex.isPresent()) {
            return ConsumerGroupHeartbeat.Response.error(Errors.INVALID_REGULAR_EXPRESSION, badRegex.get());
        }
        int epoch = request.memberEpoch();
        if (epoch == ConsumerGroupHeartbeat.LEAVE || epoch == ConsumerGroupHeartbeat.STATIC_LEAVE) {
            return leave(request);
        }
        boolean joining = epoch == ConsumerGroupHeartbeat.JOIN;
        ConsumerGroupMember holder = joining && request.instanceId() != null ? staticMember(request.instanceId()) : null;
        if (holder != null && holder.memberEpoch() != ConsumerGroupHeartbeat.STATIC_LEAVE) {
            return unreleased(request.memberId(), request.instanceId(), holder)
                    .answer(ConsumerGroupHeartbeat.Response::error);
        }
        boolean replaced = holder != null; // a static member's next instance takes its place as it was
        if (replaced) {
            member = replaceStatic(holder, holder.nextInstance(request.memberId(), now));
        } else if (joining) {
            member = member == null ? ConsumerGroupMember.joining(request.memberId(), now) : member.rejoined();
        } else if (member == null) {
            return unknownMember(request.memberId()).answer(ConsumerGroupHeartbeat.Response::error);
        } else if (fenced(member, request)) {
            return fencedEpoch(request.memberEpoch(), member.memberEpoch())
                    .answer(ConsumerGroupHeartbeat.Response::error);
        }
        ConsumerGroupMember heard = member.heard(request, now);
        put(heard);
        boolean newMember = joining && !replaced;
        boolean subscriptionChanged = !heard.subscribesAs(member) || newMember;
        if (subscribedTopics.refresh(members, subscriptionChanged, topics, describable) | subscriptionChanged) {
            bumpGroupEpoch(); // once, whatever moved it: a join frees or needs partitions
        }
        if (groupEpoch() > assignmentEpoch()) {
            computeTargets();
        }
        ConsumerGroupMember current = members.get(heard.memberId()); // its topics as they resolve now
        ConsumerGroupMember next = current.reconciled(request.owned(),
                targets.getOrDefault(current.memberId(), Map.of()), assignmentEpoch(),
                (topic, partition) -> heldByOther(current.memberId(), topic, partition), now);
        put(next);
        boolean changed = !next.assignment().assigned().equals(current.assignment().assigned());
        boolean send = joining || changed || request.full();
        return new ConsumerGroupHeartbeat.Response(Errors.NONE, null, next.memberId(), next.memberEpoch(),
                heartbeatIntervalMs, send ? MemberAssignment.copy(next.assignment().assigned()) : null);
    }
    // end::heartbeat[]

    /**
     * Why the group refuses a heartbeat before it looks at the member, or null, as a classic group decides its own
     * joins: no room for one more member ({@code group.consumer.max.size}, or the coordinator's memory), a request
     * Kafka calls invalid, or an assignor the broker does not have.
     */
    private ConsumerGroupHeartbeat.Response refusal(ConsumerGroupHeartbeat.Request request) {
        if (request.memberEpoch() == ConsumerGroupHeartbeat.JOIN && !members.containsKey(request.memberId())) {
            HeartbeatRefusal full = fullRefusal();
            if (full != null) {
                return full.answer(ConsumerGroupHeartbeat.Response::error);
            }
            long growth = ConsumerGroupMember.bytesOf(request) + bytesIfMade();
            String why = memory.refusal(growth, Owners.of(request.clientHost(), request.clientId(), groupId()));
            if (why != null) {
                events.refused(groupId(), request.memberId(), why, "a join to consumer group " + groupId() + " by "
                        + request.memberId() + " is refused with GROUP_MAX_SIZE_REACHED: " + why + " (told once)");
                return ConsumerGroupHeartbeat.Response.error(Errors.GROUP_MAX_SIZE_REACHED, "The coordinator's"
                        + " memory for groups is full: " + why + ".");
            }
        }
        String invalid = request.invalid();
        if (invalid != null) {
            return ConsumerGroupHeartbeat.Response.error(Errors.INVALID_REQUEST, invalid);
        }
        if (request.serverAssignor() != null && !assignors.containsKey(request.serverAssignor())) {
            return ConsumerGroupHeartbeat.Response.error(Errors.UNSUPPORTED_ASSIGNOR, "ServerAssignor "
                    + request.serverAssignor() + " is not supported. Supported assignors: "
                    + String.join(", ", assignors.keySet()) + ".");
        }
        return null;
    }

    /**
     * An expression is weighed and checked only when it is new to the group, as Kafka checks one only when a member
     * changes to it: a member that sends its expression with every heartbeat costs nothing more.
     */
    private Optional<String> newRegexRefusal(String sent, ConsumerGroupMember member) {
        String expression = ConsumerGroupMember.regexOrNone(sent);
        if (expression == null || member != null && expression.equals(member.subscribedRegex())
                || members.values().stream().anyMatch(other -> expression.equals(other.subscribedRegex()))) {
            return Optional.empty();
        }
        return TopicRegex.refusal(expression);
    }

    /** A leave: epoch -1, or a static member's -2 ({@link ModernGroup#leave}), answered with the epoch it sent. */
    private ConsumerGroupHeartbeat.Response leave(ConsumerGroupHeartbeat.Request request) {
        HeartbeatRefusal refused = leave(request.memberId(), request.instanceId(),
                request.memberEpoch() == ConsumerGroupHeartbeat.STATIC_LEAVE ? ConsumerGroupMember::away : null);
        return refused != null ? refused.answer(ConsumerGroupHeartbeat.Response::error)
                : new ConsumerGroupHeartbeat.Response(Errors.NONE, null, request.memberId(), request.memberEpoch(),
                heartbeatIntervalMs, null);
    }

    /**
     * FENCED_MEMBER_EPOCH for an epoch the member does not have (Kafka's
     * {@code throwIfConsumerGroupMemberEpochIsInvalid}), but for the epoch before it, sent again with partitions it
     * still owns: its answer was lost, and it may go on.
     */
    private static boolean fenced(ConsumerGroupMember member, ConsumerGroupHeartbeat.Request request) {
        if (request.memberEpoch() == member.memberEpoch()) {
            return false;
        }
        MemberAssignment assignment = member.assignment();
        boolean lostAnswer = request.memberEpoch() == assignment.previousMemberEpoch() && request.owned() != null
                && request.owned().entrySet().stream().allMatch(topic -> assignment.assigned()
                .getOrDefault(topic.getKey(), Set.of()).containsAll(topic.getValue()));
        return !lostAnswer;
    }

    /**
     * Every member's target at the group epoch, by the assignor most members ask for, else the default. Only the
     * members whose target changed are marked for the offsets topic, as Kafka writes a target record only for them:
     * a join to a large group must not look at every member's records again.
     */
    private void computeTargets() {
        ServerAssignor assignor = preferredAssignor();
        List<ServerAssignor.Member> specs = new ArrayList<>(members.size());
        Map<List<String>, Set<TopicId>> idsByTopics = new HashMap<>(); // members alike share their topics' ids
        for (String memberId : memberIdsInOrder) {
            ConsumerGroupMember member = members.get(memberId);
            specs.add(new ServerAssignor.Member(memberId, member.instanceId(),
                    idsByTopics.computeIfAbsent(member.resolvedTopics(), topics -> subscribedTopics.idsOf(member)),
                    targets.getOrDefault(memberId, Map.of())));
        }
        Map<String, SortedMap<TopicId, SortedSet<Integer>>> assigned =
                assignor.assign(specs, subscribedTopics.partitionCounts());
        targets.keySet().removeIf(memberId -> { // a target no member has any more
            boolean gone = !assigned.containsKey(memberId);
            if (gone) {
                inTopic.touch(memberId);
            }
            return gone;
        });
        assigned.forEach((memberId, owned) -> {
            Map<TopicId, Set<Integer>> old = targets.get(memberId);
            if (old == null || !old.equals(owned)) { // the same target is kept as it was, with nothing to write
                Map<TopicId, Set<Integer>> target = new HashMap<>();
                for (Map.Entry<TopicId, SortedSet<Integer>> topic : owned.entrySet()) {
                    target.put(topic.getKey(), Set.copyOf(topic.getValue()));
                }
                targets.put(memberId, target);
                inTopic.touch(memberId);
            }
        });
        targetedPartitions = 0;
        targets.values().forEach(target -> targetedPartitions += partitionsIn(target));
        setAssignmentEpoch(groupEpoch());
    }

    /** The assignor named by the most members (ties to the first name), else the group's default. */
    ServerAssignor preferredAssignor() {
        Map<String, Long> votes = members.values().stream().filter(member -> member.serverAssignor() != null)
                .collect(Collectors.groupingBy(ConsumerGroupMember::serverAssignor, TreeMap::new, Collectors.counting()));
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(vote -> assignors.get(vote.getKey()))
                .orElse(defaultAssignor);
    }

    boolean heldByOther(String memberId, TopicId topic, int partition) {
        return members.values().stream().anyMatch(other -> !other.memberId().equals(memberId)
                && other.assignment().holds(topic, partition));
    }

    @Override
    protected void remove(ConsumerGroupMember member) {
        drop(member.memberId());
        subscribedTopics.forgetRegexesNoneUses(members);
        Map<TopicId, Set<Integer>> target = targets.remove(member.memberId());
        targetedPartitions -= target == null ? 0 : partitionsIn(target);
        bumpGroupEpoch();
    }

    /**
     * The offsets topic holds each member apart: one put in or taken out is written at the call's end. Its id is kept
     * in the assignor's order too.
     */
    @Override
    protected void touched(String memberId) {
        inTopic.touch(memberId);
        if (members.containsKey(memberId)) {
            memberIdsInOrder.add(memberId);
        } else {
            memberIdsInOrder.remove(memberId);
        }
    }

    /** Takes the heartbeat interval and session timeout in force for the group, from this heartbeat on. */
    public void retime(ConsumerGroupTimings.Timing timing) {
        heartbeatIntervalMs = timing.heartbeatIntervalMs();
        setSessionTimeoutMs(timing.sessionTimeoutMs());
    }

    private static long partitionsIn(Map<TopicId, Set<Integer>> target) {
        return target.values().stream().mapToLong(Set::size).sum();
    }

    /** The group's state as ConsumerGroupDescribe and ListGroups say it (Kafka's {@code ConsumerGroupState}). */
    @Override
    public String state() {
        return members.isEmpty() ? "Empty" : reconciliationState(false);
    }

    /** Each member's partitions now, and its target. */
    public Map<String, SortedMap<TopicId, SortedSet<Integer>>> owned() {
        Map<String, SortedMap<TopicId, SortedSet<Integer>>> owned = new LinkedHashMap<>();
        members.values().forEach(member -> owned.put(member.memberId(),
                MemberAssignment.copy(member.assignment().assigned())));
        return owned;
    }

    public Map<String, SortedMap<TopicId, SortedSet<Integer>>> targets() {
        Map<String, SortedMap<TopicId, SortedSet<Integer>>> copy = new LinkedHashMap<>();
        members.keySet().forEach(id -> copy.put(id, MemberAssignment.copy(targets.getOrDefault(id, Map.of()))));
        return copy;
    }

    /** How many times the group compiled a subscribed expression (for tests). */
    long regexCompilations() {
        return subscribedTopics.compilations();
    }

    /** The group as ConsumerGroupDescribe shows it. */
    public DescribedConsumerGroup describe() {
        Map<String, SortedMap<TopicId, SortedSet<Integer>>> aimedAt = targets();
        List<DescribedConsumerGroup.Member> described = members.values().stream()
                .map(member -> new DescribedConsumerGroup.Member(member.memberId(), member.instanceId(),
                        member.rackId(), member.memberEpoch(), member.clientId(), member.clientHost(),
                        member.subscribedTopics(), member.subscribedRegex(),
                        MemberAssignment.copy(member.assignment().assigned()), aimedAt.get(member.memberId()),
                        member.usesClassicProtocol()))
                .toList();
        return new DescribedConsumerGroup(Errors.NONE, null, groupId(), state(), groupEpoch(), assignmentEpoch(),
                preferredAssignor().name(), described, subscribedTopics.names());
    }

    @Override
    public String type() {
        return "consumer";
    }

    @Override
    protected long targetedPartitions() {
        return targetedPartitions;
    }

    /** The member epochs' fence ({@link MemberEpochFence#commit}), the topics' ids found in the broker's. */
    @Override
    public Errors admitCommit(OffsetCommitRequest request, Instant now, TopicLookup topics) {
        return MemberEpochFence.commit(members, request, topics);
    }

    /** As above, the topics' ids found among those the members read: for a caller without the broker's topics. */
    @Override
    public Errors admitCommit(OffsetCommitRequest request, Instant now) {
        return admitCommit(request, now, subscribedTopics::topic);
    }

    @Override
    public Errors admitFetch(String memberId, int memberEpoch) {
        return MemberEpochFence.fetch(members, memberId, memberEpoch);
    }

    @Override
    public Set<String> subscribedTopics() {
        return members.values().stream().flatMap(member -> member.resolvedTopics().stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
