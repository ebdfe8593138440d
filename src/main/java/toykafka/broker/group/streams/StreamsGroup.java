package toykafka.broker.group.streams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;
import toykafka.broker.group.base.CoordinatorMemory;
import toykafka.broker.group.base.GroupOffsets;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.base.TopicLookup;
import toykafka.broker.group.modern.HeartbeatRefusal;
import toykafka.broker.group.modern.ModernGroup;

/**
 * One group of Kafka's streams group protocol (KIP-1071; Kafka's {@code StreamsGroup} with the heartbeat handling of
 * its {@code GroupMetadataManager}): the members are the stream threads of a Kafka Streams application, and the broker
 * assigns them tasks, not partitions. The first member's topology says what tasks there are (one per subtopology and
 * input partition); the broker makes the application's internal topics; a change in who is in the group, or in the
 * topics, moves the <em>group epoch</em> on; the {@link StickyTaskAssignor} then computes every member's target; and
 * each member moves to its target on its own heartbeats ({@link StreamsMemberAssignment#next}), as a consumer
 * group's members do. Each call writes the parts of the group it changed to the offsets topic, as Kafka's
 * StreamsGroup* records ({@link StreamsGroupRecord}, {@link KeptStreamsGroup}), so that after a restart the group is
 * back with its epochs, topology, members and tasks ({@link #restore}), and its members heartbeat on at the epochs
 * they had until their sessions run out; its committed offsets are kept as any group's.
 *
 * <p>The coordinator holds the group's lock around every call and brings the time and the broker's topics.
 */
public final class StreamsGroup extends ModernGroup<StreamsGroupMember, StreamsTasks> {

    private final Consumer<String> events;
    private StreamsGroupSettings.Settings settings = StreamsGroupSettings.KAFKA_DEFAULTS;
    private final StreamsGroupTopology topology = new StreamsGroupTopology();
    /** The first member's join waits this long for others before tasks are assigned, if set. */
    private Instant assignmentDelayedUntil;
    private String shutdownRequestedBy;
    private int endpointInformationEpoch;
    /** What the offsets topic holds of the group, so that a call writes only what it changed. */
    private final KeptStreamsGroup inTopic;

    /** @param store where the group writes its parts, so that it outlives the broker */
    public StreamsGroup(String groupId, CoordinatorMemory memory, GroupOffsets offsets, int maxSize,
                 Consumer<String> events, StreamsGroupWriter store) {
        super(groupId, memory, offsets == null ? new GroupOffsets(memory) : offsets, maxSize,
                StreamsGroupSettings.KAFKA_DEFAULTS.sessionTimeoutMs());
        this.events = events;
        this.inTopic = new KeptStreamsGroup(groupId, store);
    }

    /**
     * Takes the group back as a replay of the offsets topic found it: epochs, topology, members, targets, and where
     * each member stood. The topology is configured against the broker's topics as they are now, which moves no epoch:
     * the targets replayed were computed from it.
     */
    public void restore(ReplayedStreamsGroup replayed, TopicLookup topics, Instant now) {
        setGroupEpoch(replayed.epoch(StreamsGroupRecord.Part.GROUP_EPOCH));
        setAssignmentEpoch(replayed.epoch(StreamsGroupRecord.Part.ASSIGNMENT_EPOCH));
        topology.restored(replayed.topology(), topics);
        replayed.members(now).forEach(this::put);
        targets.putAll(replayed.targets());
        inTopic.restored(replayed);
    }

    /**
     * The group's parts as the offsets topic should hold them now: none for a group that never formed; else its
     * epoch, its topology, each member's metadata, target and current assignment, and the target's epoch. Made
     * afresh at each call and compared with what was written, which for the few threads of an application costs
     * less than the write it saves.
     */
    List<StreamsGroupRecord> records() {
        if (!formed()) {
            return List.of();
        }
        List<StreamsGroupRecord> records = new ArrayList<>();
        records.add(new StreamsGroupRecord.Epoch(groupId(), StreamsGroupRecord.Part.GROUP_EPOCH, groupEpoch()));
        if (topology.topology() != null) {
            records.add(new StreamsGroupRecord.Topology(groupId(), topology.topology()));
        }
        records.add(new StreamsGroupRecord.Epoch(groupId(), StreamsGroupRecord.Part.ASSIGNMENT_EPOCH,
                assignmentEpoch()));
        for (StreamsGroupMember member : members.values()) {
            records.add(StreamsGroupRecord.Member.of(groupId(), member));
            records.add(new StreamsGroupRecord.Target(groupId(), member.memberId(),
                    targets.getOrDefault(member.memberId(), StreamsTasks.NONE)));
            records.add(new StreamsGroupRecord.Current(groupId(), member.memberId(), member.assignment()));
        }
        return records;
    }

    /** Writes the parts a call changed, unless the group is gone ({@link KeptStreamsGroup#keep}). */
    @Override
    public void keep(Instant now, Consumer<String> events) {
        if (!dead()) {
            inTopic.keep(records(), events);
        }
    }

    @Override
    public void forget() {
        inTopic.forget();
    }

    /** Takes the settings in force for the group, from this heartbeat on. */
    public void configure(StreamsGroupSettings.Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        setSessionTimeoutMs(settings.sessionTimeoutMs());
    }

    // tag::streams-heartbeat[]
    /**
     * One member's heartbeat: its join (with its application's topology), its leave, or word of how far it got;
     * answered at once. A join of the group's first member, or a change in the broker's topics, configures the
     * topology again: the statuses say what keeps it from running (source topics missing, internal topics being made,
     * topics not copartitioned), and the broker makes the missing internal topics through {@code maker}.
     */
    public StreamsGroupHeartbeat.Response heartbeat(StreamsGroupHeartbeat.Request request, TopicLookup topics,
                                             InternalTopicMaker maker, Instant now) {
        StreamsGroupHeartbeat.Response refused = refusal(request);
        if (refused != null) {
            return refused;
        }
        StreamsGroupMember member = members.get(request.memberId());
        int epoch = request.memberEpoch();
        if (epoch == StreamsGroupHeartbeat.LEAVE || epoch == StreamsGroupHeartbeat.STATIC_LEAVE) {
            return leave(request);
        }
        boolean joining = epoch == StreamsGroupHeartbeat.JOIN;
        StreamsGroupMember holder = request.instanceId() != null ? staticMember(request.instanceId()) : null;
        boolean replaced = joining && holder != null && !holder.memberId().equals(request.memberId());
        if (replaced && holder.memberEpoch() != StreamsGroupHeartbeat.STATIC_LEAVE) {
            return unreleased(request.memberId(), request.instanceId(), holder)
                    .answer(StreamsGroupHeartbeat.Response::error);
        }
        if (replaced) {
            member = replaceStatic(holder, holder.nextInstance(request.memberId(), now));
        } else if (joining) {
            member = member == null ? StreamsGroupMember.joining(request.memberId(), now) : member;
        } else if (member == null) {
            return unknownMember(request.memberId()).answer(StreamsGroupHeartbeat.Response::error);
        } else if (member.fencedBy(request)) {
            return fencedEpoch(epoch, member.memberEpoch()).answer(StreamsGroupHeartbeat.Response::error);
        }
        boolean firstMember = members.isEmpty();
        StreamsGroupMember heard = member.heard(request, now);
        boolean recompute = !members.containsKey(heard.memberId()) || !heard.assignedAs(member);
        try {
            recompute |= topology.update(request.topology(), topics);
        } catch (StreamsTopologyException e) {
            return StreamsGroupHeartbeat.Response.error(Errors.STREAMS_INVALID_TOPOLOGY, e.getMessage());
        }
        String badTasks = topology.invalidTasks(request.owned());
        if (badTasks != null) {
            return StreamsGroupHeartbeat.Response.error(Errors.INVALID_REQUEST, badTasks);
        }
        put(heard);
        List<StreamsGroupHeartbeat.StatusDetail> statuses = new ArrayList<>();
        if (recompute) {
            bumpGroupEpoch(); // once, whatever moved it
        }
        if (firstMember && settings.initialRebalanceDelayMs() > 0 && assignmentDelayedUntil == null) {
            assignmentDelayedUntil = now.plusMillis(settings.initialRebalanceDelayMs());
        }
        if (delayed(now)) {
            statuses.add(new StreamsGroupHeartbeat.StatusDetail(StreamsGroupHeartbeat.Status.ASSIGNMENT_DELAYED,
                    "Assignment delayed due to the configured initial rebalance delay."));
            // the targets wait: each member reaches the targets' epoch, a new group's 1, with no tasks, as in Kafka
        } else if (groupEpoch() > assignmentEpoch()) {
            computeTargets();
        }
        StreamsGroupMember next = reconcile(members.get(heard.memberId()), request.owned(), now);
        if (request.shutdownApplication() && shutdownRequestedBy == null) {
            shutdownRequestedBy = next.memberId();
        }
        boolean changed = !next.assignment().assigned().equals(member.assignment().assigned());
        if (changed && next.userEndpoint() != null || !Objects.equals(next.userEndpoint(), member.userEndpoint())) {
            endpointInformationEpoch++;
        }
        statuses.addAll(statuses(next, maker));
        return new StreamsGroupHeartbeat.Response(Errors.NONE, null, next.memberId(), next.memberEpoch(),
                settings.heartbeatIntervalMs(), settings.taskOffsetIntervalMs(), settings.acceptableRecoveryLag(),
                statuses, joining || changed ? next.assignment().assigned() : null,
                endpointInformationEpoch, request.endpointInformationEpoch() != endpointInformationEpoch
                ? topology.endpoints(members.values(), topics) : null);
    }
    // end::streams-heartbeat[]

    /** Why the group refuses a heartbeat before it looks at the member, or null. */
    private StreamsGroupHeartbeat.Response refusal(StreamsGroupHeartbeat.Request request) {
        String invalid = request.invalid();
        if (invalid != null) {
            return StreamsGroupHeartbeat.Response.error(Errors.INVALID_REQUEST, invalid);
        }
        if (request.topology() != null && request.topology().malformed() != null) {
            return StreamsGroupHeartbeat.Response.error(Errors.STREAMS_INVALID_TOPOLOGY,
                    request.topology().malformed());
        }
        String topologyRefused = topology.refusal(request.topology());
        if (topologyRefused != null) {
            return StreamsGroupHeartbeat.Response.error(Errors.INVALID_REQUEST, topologyRefused);
        }
        boolean known = members.containsKey(request.memberId())
                || request.instanceId() != null && staticMember(request.instanceId()) != null;
        HeartbeatRefusal full = request.memberEpoch() == StreamsGroupHeartbeat.JOIN && !known ? fullRefusal() : null;
        return full == null ? null : full.answer(StreamsGroupHeartbeat.Response::error);
    }

    /** The statuses every answer carries: the topology's, a stale member's, a shutdown asked for. */
    private List<StreamsGroupHeartbeat.StatusDetail> statuses(StreamsGroupMember member, InternalTopicMaker maker) {
        List<StreamsGroupHeartbeat.StatusDetail> statuses = new ArrayList<>();
        StreamsTopology current = topology.topology();
        if (current != null && member.topologyEpoch() < current.epoch()) {
            statuses.add(new StreamsGroupHeartbeat.StatusDetail(StreamsGroupHeartbeat.Status.STALE_TOPOLOGY,
                    "The member's topology epoch " + member.topologyEpoch() + " is behind the group's topology epoch "
                            + current.epoch() + "."));
        }
        ConfiguredTopology configured = topology.configured();
        if (configured != null && !configured.ready()) {
            Map<String, String> failures = topology.makeMissing(maker);
            List<String> unauthorized = failures.entrySet().stream()
                    .filter(failure -> failure.getValue().equals(InternalTopicMaker.UNAUTHORIZED))
                    .map(Map.Entry::getKey).toList();
            // Kafka's handler adds the topics it may not create to the status, after the coordinator's words
            statuses.add(new StreamsGroupHeartbeat.StatusDetail(configured.status(), configured.statusDetail()
                    + (unauthorized.isEmpty() ? "" : "; Unauthorized to CREATE on topics "
                    + String.join(", ", unauthorized) + ".")));
            if (unauthorized.size() < failures.size()) {
                events.accept("streams group " + groupId() + "'s internal topics could not all be made: "
                        + failures.entrySet().stream().filter(failure -> !unauthorized.contains(failure.getKey()))
                        .map(failure -> failure.getKey() + ": " + failure.getValue())
                        .collect(Collectors.joining("; ")));
            }
        }
        if (shutdownRequestedBy != null) {
            statuses.add(new StreamsGroupHeartbeat.StatusDetail(StreamsGroupHeartbeat.Status.SHUTDOWN_APPLICATION,
                    "Streams group member " + shutdownRequestedBy + " encountered a fatal error and requested a"
                            + " shutdown for the entire application."));
        }
        return statuses;
    }

    /**
     * Whether the first member's join still waits out {@code streams.initial.rebalance.delay.ms}; when it ends, the
     * targets, behind the group epoch all along, are worked out at it, as Kafka's delayed assignment does.
     */
    private boolean delayed(Instant now) {
        if (assignmentDelayedUntil != null && !now.isBefore(assignmentDelayedUntil)) {
            assignmentDelayedUntil = null;
        }
        return assignmentDelayedUntil != null;
    }

    /** Every member's target at the group epoch, by the sticky assignor; no tasks while the topology is not ready. */
    private void computeTargets() {
        List<StickyTaskAssignor.Member> specs = members.values().stream()
                .sorted((a, b) -> a.memberId().compareTo(b.memberId()))
                .map(member -> new StickyTaskAssignor.Member(member.memberId(), member.processId(),
                        targets.getOrDefault(member.memberId(), StreamsTasks.NONE)))
                .toList();
        targets.clear();
        targets.putAll(StickyTaskAssignor.assign(specs, topology.tasks(), topology.stateful(),
                settings.numStandbyReplicas()));
        setAssignmentEpoch(groupEpoch());
    }

    /** The member's step towards its target; one that starts giving tasks up has its rebalance timeout to do so. */
    private StreamsGroupMember reconcile(StreamsGroupMember member, StreamsTasks owned, Instant now) {
        StreamsMemberAssignment next = member.assignment().next(owned, targets.getOrDefault(member.memberId(),
                StreamsTasks.NONE), assignmentEpoch(), (kind, sub, partition) -> heldElsewhere(member, kind, sub,
                partition));
        if (next == member.assignment()) {
            return member;
        }
        boolean revoking = next.state() == StreamsMemberAssignment.State.UNREVOKED_TASKS;
        Instant revokeBy = !revoking ? null : member.revokeBy() != null ? member.revokeBy()
                : now.plusMillis(Math.max(member.rebalanceTimeoutMs(), 0));
        StreamsGroupMember updated = member.withAssignment(next, revokeBy);
        put(updated);
        return updated;
    }

    /**
     * Whether another member holds a task the member is to have: an active task anyone else runs or gives up; a
     * standby or warm-up task another member of the same process holds in any role (Kafka's unreleased tasks).
     */
    private boolean heldElsewhere(StreamsGroupMember member, StreamsTasks.Kind kind, String sub, int partition) {
        for (StreamsGroupMember other : members.values()) {
            if (other.memberId().equals(member.memberId())) {
                continue;
            }
            StreamsMemberAssignment held = other.assignment();
            if (kind == StreamsTasks.Kind.ACTIVE) {
                if (held.holds(StreamsTasks.Kind.ACTIVE, sub, partition)) {
                    return true;
                }
            } else if (other.processId().equals(member.processId())) {
                for (StreamsTasks.Kind any : StreamsTasks.Kind.values()) {
                    if (held.holds(any, sub, partition)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** A leave: epoch -1, or a static member's -2 ({@link ModernGroup#leave}), answered with the epoch it sent. */
    private StreamsGroupHeartbeat.Response leave(StreamsGroupHeartbeat.Request request) {
        HeartbeatRefusal refused = leave(request.memberId(), request.instanceId(),
                request.memberEpoch() == StreamsGroupHeartbeat.STATIC_LEAVE ? StreamsGroupMember::away : null);
        return refused != null ? refused.answer(StreamsGroupHeartbeat.Response::error)
                : new StreamsGroupHeartbeat.Response(Errors.NONE, null, request.memberId(), request.memberEpoch(),
                settings.heartbeatIntervalMs(), settings.taskOffsetIntervalMs(), settings.acceptableRecoveryLag(), List.of(), null,
                endpointInformationEpoch, null);
    }

    @Override
    protected void remove(StreamsGroupMember member) {
        drop(member.memberId());
        targets.remove(member.memberId());
        bumpGroupEpoch();
        if (members.isEmpty()) {
            shutdownRequestedBy = null; // a shutdown asked for lasts until every member has gone
            assignmentDelayedUntil = null;
        }
    }

    /**
     * What the clock decides: a member silent past the session timeout, or one that has not given its tasks up within
     * its rebalance timeout, is fenced; the initial delay's end assigns the tasks.
     */
    @Override
    public void tick(Instant now, List<Runnable> replies) {
        super.tick(now, replies);
        if (!members.isEmpty() && !delayed(now) && groupEpoch() > assignmentEpoch()) {
            computeTargets();
        }
    }

    /** The group's state as StreamsGroupDescribe and ListGroups say it (Kafka's {@code StreamsGroupState}). */
    @Override
    public String state() {
        if (members.isEmpty()) {
            return "Empty";
        }
        // during the initial delay Kafka's target lags the group epoch: Assigning
        return topology.ready() ? reconciliationState(assignmentDelayedUntil != null) : "NotReady";
    }

    /** Whether a member's heartbeat has given the group its topology yet. */
    public boolean hasTopology() {
        return topology.topology() != null;
    }

    /** The group as StreamsGroupDescribe shows it. */
    public DescribedStreamsGroup describe() {
        List<DescribedStreamsGroup.Member> described = members.values().stream()
                .map(member -> new DescribedStreamsGroup.Member(member.memberId(), member.memberEpoch(),
                        member.instanceId(), member.rackId(), member.clientId(), member.clientHost(),
                        member.topologyEpoch(), member.processId(), member.userEndpoint(), member.clientTags(),
                        member.assignment().assigned(), targets.getOrDefault(member.memberId(), StreamsTasks.NONE)))
                .toList();
        return new DescribedStreamsGroup(Errors.NONE, null, groupId(), state(), groupEpoch(), assignmentEpoch(),
                topology.topology() == null ? -1 : topology.topology().epoch(), subtopologies(), described,
                StickyTaskAssignor.NAME);
    }

    private List<DescribedStreamsGroup.Subtopology> subtopologies() {
        StreamsTopology current = topology.topology();
        if (current == null) {
            return null;
        }
        SortedMap<String, Integer> tasks = topology.tasks();
        return current.subtopologies().values().stream().map(sub -> {
            Integer count = tasks.get(sub.id());
            return new DescribedStreamsGroup.Subtopology(sub.id(), sub.sourceTopics(), sub.repartitionSinkTopics(),
                    sub.changelogTopics().stream().map(info -> described(info, count)).toList(),
                    sub.repartitionSourceTopics().stream().map(info -> described(info, worked(info))).toList());
        }).toList();
    }

    /** A repartition topic's count as configured: the member may have sent none (0), which the broker worked out. */
    private Integer worked(StreamsTopology.TopicInfo info) {
        ConfiguredTopology configured = topology.configured();
        ConfiguredTopology.InternalTopic internal = configured == null ? null : configured.internal().get(info.name());
        return internal == null ? info.partitions() : internal.partitions();
    }

    private static ConfiguredTopology.InternalTopic described(StreamsTopology.TopicInfo info, Integer partitions) {
        return new ConfiguredTopology.InternalTopic(info.name(), partitions == null ? info.partitions() : partitions,
                info.replicationFactor(), info.configs());
    }

    @Override
    public String type() {
        return "streams";
    }

    @Override
    public boolean keepsItsId() {
        return true;
    }

    /** The tasks the members' targets name. */
    @Override
    protected long targetedPartitions() {
        return targets.values().stream().mapToLong(StreamsTasks::count).sum();
    }

    // tag::streams-commit-fence[]
    /**
     * Kafka's {@code StreamsGroup.validateOffsetCommit}: a commit from outside the group is taken while it has no
     * members; a member's must come by OffsetCommit v9 or later (or inside a transaction) and carry its epoch, or an
     * older one as long as each partition committed belongs to an active task the member had by that epoch; anything
     * else is STALE_MEMBER_EPOCH (which the transactional path answers as ILLEGAL_GENERATION).
     */
    @Override
    public Errors admitCommit(OffsetCommitRequest request, Instant now) {
        if (request.generationId() < 0 && members.isEmpty()) {
            return Errors.NONE;
        }
        StreamsGroupMember member = members.get(request.memberId());
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (!request.knowsMemberEpochs()) {
            return Errors.UNSUPPORTED_VERSION;
        }
        int epoch = request.generationId();
        if (epoch == member.memberEpoch()) {
            return Errors.NONE;
        }
        if (epoch > member.memberEpoch() || topology.topology() == null) {
            return Errors.STALE_MEMBER_EPOCH;
        }
        for (TopicPartition partition : request.committed().keySet()) {
            StreamsTopology.Subtopology reader = topology.topology().readerOf(partition.topic());
            Integer assignedAt = reader == null ? null
                    : member.assignment().activeEpoch(reader.id(), partition.partition());
            if (assignedAt == null || epoch < assignedAt) {
                return Errors.STALE_MEMBER_EPOCH;
            }
        }
        return Errors.NONE;
    }
    // end::streams-commit-fence[]

    /** Anyone who does not say who they are may fetch; a member who does must be one, at its epoch. */
    @Override
    public Errors admitFetch(String memberId, int memberEpoch) {
        if (memberId == null && memberEpoch < 0) {
            return Errors.NONE;
        }
        StreamsGroupMember member = members.get(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return memberEpoch == member.memberEpoch() ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
    }

    /** The topics the group's tasks read, while it has members, as Kafka's {@code isSubscribedToTopic} has it. */
    @Override
    public Set<String> subscribedTopics() {
        return members.isEmpty() ? Set.of() : new TreeSet<>(topology.sourceTopics());
    }

    /** A filter may name NotReady as Kafka's enum does, {@code not_ready}. */
    @Override
    protected boolean listed(String state, Set<String> states) {
        return states.isEmpty() || states.stream().anyMatch(s -> s.equalsIgnoreCase(state)
                || "NotReady".equals(state) && "not_ready".equalsIgnoreCase(s));
    }
}
