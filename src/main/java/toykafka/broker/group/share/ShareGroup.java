package toykafka.broker.group.share;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import toykafka.common.Errors;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;
import toykafka.broker.group.base.ConsumerGroupTimings;
import toykafka.broker.group.base.CoordinatorMemory;
import toykafka.broker.group.base.GroupOffsets;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.base.TopicLookup;
import toykafka.broker.group.modern.HeartbeatRefusal;
import toykafka.broker.group.modern.ModernGroup;

// tag::share-group[]
/**
 * A share group (KIP-932; Kafka's {@code ShareGroup} and the share half of {@code GroupMetadataManager}): members that
 * read the same partitions together, each record handed to one of them by the partition's {@code SharePartition}. The
 * coordinator only says who reads which partitions: the {@code simple} assignor gives every subscribed partition to at
 * least one member, and to several when there are more members than partitions. A change of members, subscriptions or
 * topics bumps the group epoch, and the target is worked out at once; a member takes its part at its next heartbeat,
 * with nothing to give up first, since no partition is any member's alone.
 *
 * <p>A partition is assigned only once its share state is initialized for the group, as Kafka's coordinator has it:
 * the heartbeat that first sees a subscribed partition answers without it, and has its state initialized (Kafka asks
 * its share coordinator, InitializeShareGroupState); the next heartbeat of any member finds the target short of the
 * initialized partitions, bumps the epoch and hands them out. So members joining together start together, instead
 * of the first taking everything before the others are heard.
 *
 * <p>It is Empty or Stable. It has no offsets of its own (OffsetCommit and OffsetFetch are refused, as Kafka refuses
 * them): what it has read is in each share partition's state. Its membership is kept in the offsets topic as Kafka
 * keeps it, one record a part ({@link ShareGroupRecord}): the group epoch, each member's rack, client and topics, the
 * target's epoch, each member's target, and each member's epoch, the one before and its partitions. Each call writes
 * the parts it changed before it is answered, and a restart replays them: the same epochs, members and targets, each
 * member's session started again, so a member carries on at its epoch, or is removed when its session runs out. A
 * member gone (left, or silent past its session) keeps the records it acquired until its share session ends or their
 * locks run out: as in Kafka, the coordinator tells the share partitions nothing of it.
 */
public final class ShareGroup extends ModernGroup<ShareGroupMember, SortedMap<TopicId, SortedSet<Integer>>> {

    /** {@code group.share.max.size}: Kafka's default. */
    public static final int MAX_SIZE = 200;
    // end::share-group[]

    private final TopicLookup topics;
    /** The subscribed topics, with their ids and partition counts, the target was worked out for. */
    private SortedMap<String, TopicLookup.Topic> topicsSeen = Collections.emptySortedMap();
    private final ShareGroupWriter store;
    /** What the offsets topic holds of the group, so that a call writes only what it changed. */
    private ShareGroupParts inTopic;
    /**
     * The partitions whose share state is initialized for the group, the only ones the assignor hands out: Kafka's
     * {@code ShareGroupStatePartitionMetadata} initialized topics.
     */
    private final Map<TopicId, SortedSet<Integer>> initialized = new TreeMap<>(SimpleAssignor.TOPIC_ORDER);

    public ShareGroup(String groupId, CoordinatorMemory memory, TopicLookup topics, int maxSize,
                      ShareGroupWriter store) {
        super(groupId, memory, new GroupOffsets(memory), maxSize, 45000);
        this.topics = topics;
        this.store = store;
        this.inTopic = new ShareGroupParts(groupId);
    }

    /**
     * Takes the group back as a replay of the offsets topic found it: epochs, members heard {@code now} (a restart
     * starts their sessions again, as Kafka's coordinator does when it loads a group), their partitions and targets.
     * The topics are looked up again, which moves no epoch unless they changed while the broker was down.
     */
    public void restore(ShareGroupParts replayed, Instant now) {
        setGroupEpoch(INITIAL_EPOCH); // a replay makes the group as Kafka's does, and its epoch records move it on
        Map<String, ShareGroupRecord.Assigned> current = new TreeMap<>();
        for (ShareGroupRecord record : replayed.records()) {
            if (record instanceof ShareGroupRecord.Epoch epoch) {
                if (epoch.part() == ShareGroupRecord.Part.GROUP_EPOCH) {
                    setGroupEpoch(epoch.epoch());
                } else {
                    setAssignmentEpoch(epoch.epoch());
                }
            } else if (record instanceof ShareGroupRecord.Assigned assigned) {
                if (assigned.part() == ShareGroupRecord.Part.CURRENT) {
                    current.put(assigned.memberId(), assigned);
                } else {
                    targets.put(assigned.memberId(), sorted(assigned.partitions()));
                }
            }
        }
        for (ShareGroupRecord record : replayed.records()) {
            if (record instanceof ShareGroupRecord.Member member) {
                ShareGroupRecord.Assigned given = current.getOrDefault(member.memberId(), new ShareGroupRecord.Assigned(
                        ShareGroupRecord.Part.CURRENT, groupId(), member.memberId(), 0, 0, Map.of()));
                put(new ShareGroupMember(member.memberId(), given.memberEpoch(), given.previousEpoch(),
                        member.rackId(), member.clientId(), member.clientHost(),
                        new TreeSet<>(member.subscribedTopicNames()), sorted(given.partitions()), now));
            }
        }
        targets.keySet().retainAll(members.keySet());
        // only initialized partitions are ever targeted, so the targets say which were: nothing new to persist
        targets.values().forEach(target -> target.forEach((topic, numbers) -> initialized.computeIfAbsent(topic,
                id -> new TreeSet<>()).addAll(numbers)));
        SortedMap<String, TopicLookup.Topic> found = topicsOf();
        // the simple assignor gives every subscribed partition to some member: targets that cover exactly the
        // partitions found were worked out from these topics; else they changed while the broker was down, and the
        // next heartbeat works the targets out again, as Kafka does when the group's metadata hash differs
        topicsSeen = partitionsOf(found).equals(targeted()) ? found : Collections.emptySortedMap();
        inTopic = replayed;
    }

    private static Map<TopicId, Set<Integer>> partitionsOf(SortedMap<String, TopicLookup.Topic> found) {
        Map<TopicId, Set<Integer>> partitions = new HashMap<>();
        found.values().forEach(topic -> partitions.put(topic.id(), IntStream.range(0, topic.partitions()).boxed()
                .collect(Collectors.toSet())));
        return partitions;
    }

    private Map<TopicId, Set<Integer>> targeted() {
        Map<TopicId, Set<Integer>> partitions = new HashMap<>();
        targets.values().forEach(target -> target.forEach((topic, numbers) -> partitions.computeIfAbsent(topic,
                id -> new HashSet<>()).addAll(numbers)));
        return partitions;
    }

    /** Takes the group's session timeout in force: at each heartbeat, and once replayed. */
    public void retime(ConsumerGroupTimings.Timing timing) {
        setSessionTimeoutMs(timing.sessionTimeoutMs());
    }

    /**
     * Writes the parts a call changed ({@link ShareGroupParts}), unless the group is gone; a write that fails is told
     * to {@code events}, and what it held is written at the group's next call.
     */
    @Override
    public void keep(Instant now, Consumer<String> events) {
        if (dead()) {
            return;
        }
        try {
            write(inTopic.changesTo(records()));
        } catch (RuntimeException e) {
            events.accept("share group " + groupId() + "'s epoch " + groupEpoch() + " could not be kept in the"
                    + " offsets topic (" + e.getMessage() + "); its members carry on, and it is tried again at the"
                    + " group's next call");
        }
    }

    /** Writes the tombstones of all the offsets topic holds of the group. */
    @Override
    public void forget() {
        write(inTopic.removal());
    }

    private void write(List<ShareGroupRecord> records) {
        if (!records.isEmpty()) {
            store.writeShareGroup(records);
            records.forEach(inTopic::apply);
        }
    }

    /** Every part of the group as it is now; none before its first member joined. */
    private List<ShareGroupRecord> records() {
        if (!formed()) {
            return List.of();
        }
        List<ShareGroupRecord> records = new ArrayList<>();
        records.add(new ShareGroupRecord.Epoch(ShareGroupRecord.Part.GROUP_EPOCH, groupId(), groupEpoch()));
        records.add(new ShareGroupRecord.Epoch(ShareGroupRecord.Part.ASSIGNMENT_EPOCH, groupId(), assignmentEpoch()));
        for (ShareGroupMember member : members.values()) {
            records.add(new ShareGroupRecord.Member(groupId(), member.memberId(), member.rackId(), member.clientId(),
                    member.clientHost(), List.copyOf(member.subscribedTopics())));
            records.add(ShareGroupRecord.Assigned.target(groupId(), member.memberId(),
                    targets.getOrDefault(member.memberId(), Collections.emptySortedMap())));
            records.add(new ShareGroupRecord.Assigned(ShareGroupRecord.Part.CURRENT, groupId(), member.memberId(),
                    member.memberEpoch(), member.previousEpoch(), member.assigned()));
        }
        return records;
    }

    private static SortedMap<TopicId, SortedSet<Integer>> sorted(Map<TopicId, SortedSet<Integer>> partitions) {
        SortedMap<TopicId, SortedSet<Integer>> copy = new TreeMap<>(SimpleAssignor.TOPIC_ORDER);
        copy.putAll(partitions);
        return Collections.unmodifiableSortedMap(copy);
    }

    // tag::share-heartbeat[]
    /**
     * A member's heartbeat: Kafka's {@code shareGroupHeartbeat}. A join makes the member (refused if the group is
     * full), a leave removes it, any other epoch must be the member's own or the one before it. The answer carries
     * the member's partitions when it joined, sent its subscription, or they changed.
     */
    public ShareGroupHeartbeat.Response heartbeat(ShareGroupHeartbeat.Request request, ConsumerGroupTimings.Timing timing,
                                           Instant now) {
        retime(timing);
        String memberId = request.memberId();
        ShareGroupMember member = members.get(memberId);
        if (request.memberEpoch() == ShareGroupHeartbeat.LEAVE) {
            HeartbeatRefusal refused = leave(memberId, null, null);
            return refused != null ? refused.answer(ShareGroupHeartbeat.Response::error)
                    : new ShareGroupHeartbeat.Response(Errors.NONE, null, memberId, ShareGroupHeartbeat.LEAVE,
                    timing.heartbeatIntervalMs(), null);
        }
        boolean joining = request.memberEpoch() == ShareGroupHeartbeat.JOIN;
        HeartbeatRefusal refused = member != null ? null : !joining ? unknownMember(memberId) : fullRefusal();
        if (refused != null) {
            return refused.answer(ShareGroupHeartbeat.Response::error);
        }
        if (member != null && !joining && request.memberEpoch() != member.memberEpoch()
                && request.memberEpoch() != member.previousEpoch()) {
            return fencedEpoch(request.memberEpoch(), member.memberEpoch()).answer(ShareGroupHeartbeat.Response::error);
        }
        ShareGroupMember before = member != null ? member : new ShareGroupMember(memberId, 0, 0, null,
                request.clientId(), request.clientHost(), Collections.emptySortedSet(), Map.of(), now);
        SortedSet<String> subscribed = request.subscribedTopics() == null ? before.subscribedTopics()
                : new TreeSet<>(request.subscribedTopics());
        ShareGroupMember updated = new ShareGroupMember(memberId, before.memberEpoch(), before.previousEpoch(),
                request.rackId() != null ? request.rackId() : before.rackId(), request.clientId(), request.clientHost(),
                subscribed, before.assigned(), now);
        boolean subscriptionChanged = member == null || !subscribed.equals(before.subscribedTopics());
        put(updated);
        SortedMap<String, TopicLookup.Topic> seen = topicsOf();
        if (subscriptionChanged || !seen.equals(topicsSeen) || initializedAssignmentPending(seen)) {
            bumpGroupEpoch();
            assign(seen);
        }
        ShareGroupMember reconciled = reconcile(updated, subscriptionChanged);
        put(reconciled);
        initialize(seen);
        boolean sendAssignment = joining || request.subscribedTopics() != null
                || !reconciled.assigned().equals(before.assigned());
        return new ShareGroupHeartbeat.Response(Errors.NONE, null, memberId, reconciled.memberEpoch(),
                timing.heartbeatIntervalMs(), sendAssignment ? reconciled.assigned() : null);
    }
    // end::share-heartbeat[]

    /**
     * Kafka's {@code initializedAssignmentPending}: a subscribed topic has initialized partitions the target does not
     * hold, or holds others, so the target is worked out again.
     */
    private boolean initializedAssignmentPending(SortedMap<String, TopicLookup.Topic> seen) {
        if (members.isEmpty()) {
            return false;
        }
        Map<TopicId, Set<Integer>> targeted = targeted();
        return seen.values().stream().anyMatch(topic -> initialized.containsKey(topic.id())
                && !initializedOf(topic).equals(targeted.getOrDefault(topic.id(), Set.of())));
    }

    /**
     * Initializes the share state of the subscribed partitions not yet initialized, after the target was worked out:
     * they are assigned from the next heartbeat on. Kafka's coordinator asks its share coordinator to do it and
     * writes what it initialized when that answers; here share state starts at a partition's first fetch, so only
     * the marking is left.
     */
    private void initialize(SortedMap<String, TopicLookup.Topic> seen) {
        seen.values().forEach(topic -> initialized.computeIfAbsent(topic.id(), id -> new TreeSet<>())
                .addAll(IntStream.range(0, topic.partitions()).boxed().toList()));
    }

    /** The topic's initialized partitions that it has now. */
    private Set<Integer> initializedOf(TopicLookup.Topic topic) {
        return initialized.getOrDefault(topic.id(), Collections.emptySortedSet()).stream()
                .filter(partition -> partition < topic.partitions()).collect(Collectors.toSet());
    }

    /** Kafka's {@code ShareGroupAssignmentBuilder}: the member takes the target at once, kept to its own topics. */
    private ShareGroupMember reconcile(ShareGroupMember member, boolean subscriptionChanged) {
        int assignmentEpoch = assignmentEpoch();
        if (member.memberEpoch() == assignmentEpoch && !subscriptionChanged) {
            return member;
        }
        Set<TopicId> own = new TreeSet<>(SimpleAssignor.TOPIC_ORDER);
        member.subscribedTopics().stream().map(topicsSeen::get).filter(Objects::nonNull)
                .forEach(topic -> own.add(topic.id()));
        SortedMap<TopicId, SortedSet<Integer>> assigned = new TreeMap<>(SimpleAssignor.TOPIC_ORDER);
        targets.getOrDefault(member.memberId(), Collections.emptySortedMap()).forEach((topic, partitions) -> {
            if (own.contains(topic)) {
                assigned.put(topic, Collections.unmodifiableSortedSet(new TreeSet<>(partitions)));
            }
        });
        boolean newEpoch = member.memberEpoch() != assignmentEpoch;
        return new ShareGroupMember(member.memberId(), assignmentEpoch,
                newEpoch ? member.memberEpoch() : member.previousEpoch(), member.rackId(), member.clientId(),
                member.clientHost(), member.subscribedTopics(), Collections.unmodifiableSortedMap(assigned),
                member.lastHeard());
    }

    /** The subscribed topics that exist, by name. */
    private SortedMap<String, TopicLookup.Topic> topicsOf() {
        SortedMap<String, TopicLookup.Topic> found = new TreeMap<>();
        for (String topic : subscribedTopics()) {
            TopicLookup.Topic existing = topics.topic(topic);
            if (existing != null) {
                found.put(topic, existing);
            }
        }
        return found;
    }

    /** Works the target out again, for the group epoch: Kafka's target assignment, computed at once. */
    private void assign(SortedMap<String, TopicLookup.Topic> found) {
        topicsSeen = found;
        Map<TopicId, Set<Integer>> assignable = new TreeMap<>(SimpleAssignor.TOPIC_ORDER);
        found.values().forEach(topic -> assignable.put(topic.id(), initializedOf(topic)));
        List<SimpleAssignor.Member> subscribers = new ArrayList<>();
        for (ShareGroupMember member : members.values()) {
            Set<TopicId> subscribed = new TreeSet<>(SimpleAssignor.TOPIC_ORDER);
            member.subscribedTopics().stream().map(found::get).filter(Objects::nonNull)
                    .forEach(topic -> subscribed.add(topic.id()));
            Map<TopicId, Set<Integer>> previous = new TreeMap<>(SimpleAssignor.TOPIC_ORDER);
            targets.getOrDefault(member.memberId(), Collections.emptySortedMap()).forEach(previous::put);
            subscribers.add(new SimpleAssignor.Member(member.memberId(), subscribed, previous));
        }
        targets.clear();
        targets.putAll(new SimpleAssignor().assign(subscribers, assignable));
        setAssignmentEpoch(groupEpoch());
    }

    @Override
    protected void remove(ShareGroupMember member) {
        drop(member.memberId());
        bumpGroupEpoch();
        assign(topicsOf());
    }

    /** ShareGroupDescribe: the group's epochs and each member with its partitions. */
    public DescribedShareGroup describe() {
        List<DescribedShareGroup.Member> described = members.values().stream()
                .map(member -> new DescribedShareGroup.Member(member.memberId(), member.rackId(), member.memberEpoch(),
                        member.clientId(), member.clientHost(), member.subscribedTopics(), member.assigned()))
                .toList();
        return new DescribedShareGroup(Errors.NONE, null, groupId(), state(), groupEpoch(), assignmentEpoch(),
                described);
    }

    @Override
    public String state() {
        return dead() ? "Dead" : members.isEmpty() ? "Empty" : "Stable";
    }

    @Override
    public String type() {
        return "share";
    }

    @Override
    public boolean keepsItsId() {
        return true;
    }

    /** Only what the members were given is counted: the targets are the same partitions. */
    @Override
    protected long targetedPartitions() {
        return 0;
    }

    /** Kafka's {@code ShareGroup.shouldExpire}: an empty share group stays until it is deleted. */
    @Override
    public boolean expires() {
        return false;
    }

    /** Kafka's {@code ShareGroup.validateOffsetCommit}: a share group commits no offsets. */
    @Override
    public Errors admitCommit(OffsetCommitRequest request, Instant now) {
        return Errors.GROUP_ID_NOT_FOUND;
    }

    @Override
    public Errors admitFetch(String memberId, int memberEpoch) {
        return Errors.GROUP_ID_NOT_FOUND;
    }

    @Override
    public Set<String> subscribedTopics() {
        Set<String> topics = new TreeSet<>();
        members.values().forEach(member -> topics.addAll(member.subscribedTopics()));
        return topics;
    }

    /** A share group has no committed offsets to expire. */
    @Override
    public List<TopicPartition> expiredOffsets(Instant now, Duration retention) {
        return List.of();
    }
}
