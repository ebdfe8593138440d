package toykafka.restproxy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.base.Group;
import toykafka.broker.group.classic.ConsumerProtocol;
import toykafka.broker.group.classic.HeartbeatRequest;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.group.classic.SyncGroupRequest;
import toykafka.broker.group.classic.SyncGroupResponse;
import toykafka.common.CommitFailedException;
import toykafka.common.Errors;
import toykafka.common.InconsistentGroupProtocolException;
import toykafka.common.RebalanceInProgressException;
import toykafka.common.TopicPartition;
import toykafka.lesson05.PartitionAssignor;
import toykafka.lesson05.RangeAssignor;
import toykafka.lesson05.RoundRobinAssignor;
import toykafka.lesson05.StickyAssignor;
import toykafka.restproxy.ConsumerInstances.Instances;

/**
 * The consumer instances as members of their groups, through the coordinator's public API as a Kafka
 * consumer's requests reach it: JoinGroup, SyncGroup (with lesson 5's assignors when an instance leads),
 * Heartbeat and LeaveGroup. As a rebalance starts, every subscribed instance of the group joins again at once,
 * so a REST client sees its new assignment on its next call; a refusal becomes the exception a Java caller
 * expects. {@link ConsumerInstances} keeps the instances; this is how they take part in their groups.
 */
final class InstanceMembership {

    /** The assignors a leader can run, by the protocol name the group chose; instances offer the first. */
    static final List<PartitionAssignor> ASSIGNORS = List.of(new RangeAssignor(), new RoundRobinAssignor(),
            new StickyAssignor());

    private final ConsumerInstances instances;
    private final Broker broker;
    private final GroupCoordinator coordinator;
    private final Duration sessionTimeout;

    InstanceMembership(ConsumerInstances instances, Broker broker, Duration sessionTimeout) {
        this.instances = instances;
        this.broker = broker;
        this.coordinator = broker.groupCoordinator();
        this.sessionTimeout = sessionTimeout;
    }

    /**
     * Sends the instance's JoinGroup. The answer comes when the join barrier opens: at once when every
     * other member is an instance here (each rejoins as the rebalance starts), later if a Kafka consumer
     * in the group has yet to rejoin.
     */
    CompletableFuture<JoinGroupResponse> join(Instances group, ConsumerInstance instance) {
        int session = (int) Math.min(Integer.MAX_VALUE, sessionTimeout.toMillis());
        JoinGroupRequest request = new JoinGroupRequest(group.groupId, instance.memberId, instance.name,
                Group.IN_PROCESS_HOST, session,
                session, ConsumerProtocol.TYPE, List.of(new JoinGroupRequest.Protocol(ASSIGNORS.get(0).name(),
                ConsumerProtocol.CODEC.subscription(instance.topics))), false);
        instance.joining = true;
        return coordinator.joinGroup(request).whenComplete((response, error) -> joined(group, instance, response));
    }

    /** A rebalance started: every subscribed instance of the group that is not already joining joins again. */
    void rejoin(String groupId) {
        Instances group = instances.group(groupId);
        if (group == null || instances.closed) { // closed: the front end stopped, and its instances with it
            return;
        }
        synchronized (group) {
            for (ConsumerInstance instance : List.copyOf(group.byName.values())) {
                if (instance.subscribed() && !instance.joining && !instance.memberId.isEmpty()) {
                    join(group, instance);
                }
            }
        }
        ConsumerInstances.wake(group);
    }

    /** The join was answered: the leader assigns, and every member asks for its assignment. */
    private void joined(Instances group, ConsumerInstance instance, JoinGroupResponse response) {
        synchronized (group) {
            instance.joining = false;
            if (!instance.subscribed() || group.byName.get(instance.name) != instance) {
                if (response.error() == Errors.NONE) { // it unsubscribed or went while the join was on the way
                    coordinator.leaveGroup(group.groupId, List.of(response.memberId()));
                }
                return;
            }
            if (response.error() == Errors.UNKNOWN_MEMBER_ID && !instance.memberId.isEmpty()) {
                instance.memberId = ""; // the group dropped it (its session ran out): it joins afresh, as Kafka's does
                join(group, instance);
                return;
            }
            if (response.error() != Errors.NONE) {
                return;
            }
            instance.memberId = response.memberId();
            instance.generation = response.generationId();
            Map<String, byte[]> assignments = response.isLeader() ? assign(group, response) : Map.of();
            int generation = response.generationId();
            coordinator.syncGroup(new SyncGroupRequest(group.groupId, generation, instance.memberId,
                    ConsumerProtocol.TYPE, response.protocolName(), assignments))
                    .thenAccept(synced -> synced(group, instance, generation, synced));
        }
    }

    // tag::assign[]
    /** As the group's leader: every member's partitions, by the assignor the group chose, as assignment bytes. */
    private Map<String, byte[]> assign(Instances group, JoinGroupResponse joined) {
        PartitionAssignor assignor = ASSIGNORS.stream().filter(a -> a.name().equals(joined.protocolName()))
                .findFirst().orElse(ASSIGNORS.get(0));
        Map<String, Set<String>> subscriptions = new TreeMap<>();
        Map<String, Integer> partitionsPerTopic = new TreeMap<>();
        List<String> existing = broker.listTopics();
        for (JoinGroupResponse.Member member : joined.members()) {
            Set<String> wanted = Set.copyOf(ConsumerProtocol.CODEC.topics(member.metadata()));
            subscriptions.put(member.memberId(), wanted);
            wanted.stream().filter(existing::contains)
                    .forEach(topic -> partitionsPerTopic.put(topic, broker.partitionCount(topic)));
        }
        Map<String, List<TopicPartition>> current = new TreeMap<>();
        group.byName.values().forEach(instance -> current.put(instance.memberId, instance.assigned));
        current.keySet().retainAll(subscriptions.keySet());
        Map<String, byte[]> assignments = new TreeMap<>();
        assignor.assign(partitionsPerTopic, subscriptions, current)
                .forEach((member, partitions) -> assignments.put(member, ConsumerProtocol.CODEC.assignment(partitions)));
        return assignments;
    }
    // end::assign[]

    private void synced(Instances group, ConsumerInstance instance, int generation, SyncGroupResponse response) {
        synchronized (group) {
            if (response.error() == Errors.NONE && instance.generation == generation) {
                instance.assigned = ConsumerProtocol.CODEC.partitions(response.assignment());
                instance.assignedInGeneration = generation;
            }
        }
        ConsumerInstances.wake(group);
    }

    /**
     * A heartbeat to the group for the instance, which joins again if the group is rebalancing or dropped
     * it; a pattern subscription is matched again first. Under the group's lock.
     */
    void heard(Instances group, ConsumerInstance instance) {
        if (!instance.subscribed()) {
            return;
        }
        instances.subscriptions().refreshPattern(group, instance);
        if (instance.memberId.isEmpty() || instance.joining) {
            return;
        }
        Errors answer = coordinator.heartbeat(new HeartbeatRequest(group.groupId, instance.generation, instance.memberId));
        if (answer == Errors.UNKNOWN_MEMBER_ID) {
            instance.memberId = ""; // dropped by the group, not gone: it joins afresh
        }
        if (answer != Errors.NONE) {
            join(group, instance); // a rebalance it missed: join now
        }
    }

    /** The coordinator's refusal as the exception a Java caller (and the HTTP routes) expect. */
    RuntimeException refusal(Instances group, ConsumerInstance instance, Errors error) {
        return switch (error) {
            case UNKNOWN_MEMBER_ID -> {
                instance.memberId = ""; // the group dropped it, but the instance lives: it joins afresh
                join(group, instance);
                yield RebalanceInProgressException.of(group.groupId, instance.name);
            }
            case ILLEGAL_GENERATION -> CommitFailedException.rebalanced(group.groupId, instance.name,
                    instance.generation, coordinator.describeGroup(group.groupId).generation());
            case REBALANCE_IN_PROGRESS -> RebalanceInProgressException.of(group.groupId, instance.name);
            case INCONSISTENT_GROUP_PROTOCOL -> new InconsistentGroupProtocolException("consumer instance '"
                    + instance.name + "' cannot join group '" + group.groupId + "': its members are of protocol type '"
                    + coordinator.describeGroup(group.groupId).protocolType() + "', or none of them runs the "
                    + ASSIGNORS.get(0).name() + " assignor that consumer instances use; choose another group.id");
            case GROUP_MAX_SIZE_REACHED -> new ConsumerInstance.Refused(error, "consumer instance '" + instance.name
                    + "' cannot join group '" + group.groupId + "': it has the most members group.max.size="
                    + coordinator.config().maxSize() + " allows");
            default -> new ConsumerInstance.Refused(error, "group '" + group.groupId + "' refused consumer instance '"
                    + instance.name + "' with " + error);
        };
    }
}
