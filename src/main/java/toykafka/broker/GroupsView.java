package toykafka.broker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedSet;
import java.util.function.Consumer;
import toykafka.broker.group.classic.ConsumerProtocol;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.base.GroupState;
import toykafka.broker.group.consumer.DescribedConsumerGroup;
import toykafka.broker.group.base.ListedGroup;
import toykafka.common.Errors;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;

/**
 * Consumer groups as Kafka's admin client shows them ({@code kafka-consumer-groups.sh --describe}): ListGroups,
 * DescribeGroups, OffsetFetch and ListOffsets put together, read from the {@link GroupCoordinator}. Every member
 * of the coordinator is here, a Kafka consumer's as much as a REST consumer instance's, since both join it the
 * same way; an instance that has not subscribed has not joined, and is not. Read only: looking creates nothing,
 * and a group the coordinator does not hold is absent rather than Dead, as REST Proxy answers 404 where
 * Kafka's DescribeGroups says Dead.
 *
 * <p>Only consumer groups show: classic groups of protocol type {@code consumer}, or none for a group that only
 * commits offsets (Kafka's "simple" group), and the consumer groups of Kafka 4's protocol (KIP-848), whose members
 * carry their own epochs and targets. Groups of other protocols (Kafka Connect's, say) are not consumer groups.
 */
public final class GroupsView {

    /**
     * One consumer group.
     *
     * @param type       {@code classic}, or {@code consumer} for a group of Kafka 4's protocol
     * @param simple     it has no protocol type: its offsets were committed from outside any generation
     * @param assignor   the protocol (assignor) the group chose, empty while it has none (Kafka's own answer); for a
     *                   group of Kafka 4's protocol, the broker's assignor
     * @param state      as REST Proxy names it: Kafka's state in capitals, words joined by _ ({@code STABLE},
     *                   {@code PREPARING_REBALANCE}, {@code RECONCILING})
     * @param generation the course's addition for a classic group (DescribeGroups leaves it out); a consumer group's
     *                   group epoch
     * @param members    in member id order
     */
    public record Group(String groupId, String type, boolean simple, String assignor, String state, int generation,
                        int coordinator, List<Member> members) {

        public Optional<Member> member(String consumerId) {
            return members.stream().filter(member -> member.consumerId().equals(consumerId)).findFirst();
        }

        /** The member that owns the partition, if any does. */
        public Optional<Member> ownerOf(TopicPartition partition) {
            return members.stream().filter(member -> member.assignment().contains(partition)).findFirst();
        }
    }

    /**
     * One member: its id from the coordinator, its static {@code group.instance.id} (null for a dynamic member), the
     * client id it joined with (a REST instance's name), and its partitions in order; in a group of Kafka 4's
     * protocol also its member epoch, its target, the partitions it is on its way to, and whether it is
     * {@code upgraded}, speaking the consumer protocol rather than the classic one, as {@code kafka-consumer-groups
     * --describe --members --verbose} says in its UPGRADED column during a rolling upgrade (all three null in a
     * classic group).
     */
    public record Member(String consumerId, String instanceId, String clientId, String clientHost,
                         List<TopicPartition> assignment, Integer memberEpoch, List<TopicPartition> target,
                         Boolean upgraded) {

        Member(String consumerId, String instanceId, String clientId, String clientHost,
               List<TopicPartition> assignment) {
            this(consumerId, instanceId, clientId, clientHost, assignment, null, null, null);
        }
    }

    /**
     * A committed partition's lag: the log end offset (the high watermark, what ListOffsets latest answers) minus
     * the committed offset, unclamped, as Kafka's tool computes it; with the member that owns the partition, if any.
     */
    public record Lag(TopicPartition partition, long currentOffset, long logEndOffset, Optional<Member> owner) {
        public long lag() {
            return logEndOffset - currentOffset;
        }
    }

    /** The type of a group of Kafka 4's protocol. */
    private static final String CONSUMER_GROUP = "consumer";

    private final GroupCoordinator coordinator;
    private final Consumer<String> beforeDescribing;
    private final Partitions partitions;
    private final int nodeId;

    public GroupsView(Broker broker) {
        this(broker, groupId -> { });
    }

    /**
     * As {@link #GroupsView(Broker)}, running {@code beforeDescribing} on each group id first: a front end that
     * keeps consumers for its clients (REST Proxy's instances) drops those gone idle, as the clock says now.
     */
    public GroupsView(Broker broker, Consumer<String> beforeDescribing) {
        this.coordinator = broker.groupCoordinator();
        this.beforeDescribing = Objects.requireNonNull(beforeDescribing, "beforeDescribing");
        this.partitions = broker.partitions();
        this.nodeId = broker.nodeId();
    }

    /** Every consumer group, in group id order. */
    public List<Group> groups() {
        List<Group> groups = new ArrayList<>();
        for (ListedGroup listed : coordinator.listGroups()) {
            if (consumerType(listed.protocolType()) || listed.type().equals(CONSUMER_GROUP)) {
                group(listed.groupId()).ifPresent(groups::add); // it may have gone since it was listed
            }
        }
        groups.sort(Comparator.comparing(Group::groupId));
        return groups;
    }

    /** The consumer group, or empty when the coordinator holds no group of that id or it is not a consumer group. */
    public Optional<Group> group(String groupId) {
        beforeDescribing.accept(groupId);
        if (coordinator.groupType(groupId).filter(CONSUMER_GROUP::equals).isPresent()) {
            return consumerGroup(groupId);
        }
        DescribedGroup described = coordinator.describeGroup(groupId);
        if (described.error() != Errors.NONE || described.state() == GroupState.DEAD
                || !consumerType(described.protocolType())) {
            return Optional.empty();
        }
        List<Member> members = new ArrayList<>();
        for (DescribedGroup.Member member : described.members()) {
            members.add(new Member(member.memberId(), member.groupInstanceId(), member.clientId(), member.clientHost(),
                    ConsumerProtocol.CODEC.partitions(member.assignment())));
        }
        members.sort(Comparator.comparing(Member::consumerId));
        return Optional.of(new Group(described.groupId(), "classic", described.protocolType().isEmpty(),
                described.protocol(), restName(described.state().kafkaName()), described.generation(), nodeId,
                List.copyOf(members)));
    }

    /** A group of Kafka 4's protocol, from ConsumerGroupDescribe. */
    private Optional<Group> consumerGroup(String groupId) {
        DescribedConsumerGroup described = coordinator.describeConsumerGroup(groupId);
        if (described.error() != Errors.NONE) {
            return Optional.empty(); // it went, or became classic, since it was looked up
        }
        List<Member> members = new ArrayList<>();
        for (DescribedConsumerGroup.Member member : described.members()) {
            members.add(new Member(member.memberId(), member.instanceId(), member.clientId(), member.clientHost(),
                    partitions(member.assignment(), described.topicNames()), member.memberEpoch(),
                    partitions(member.target(), described.topicNames()), !member.classic()));
        }
        members.sort(Comparator.comparing(Member::consumerId));
        return Optional.of(new Group(groupId, CONSUMER_GROUP, false, described.assignor(),
                restName(described.state()), described.groupEpoch(), nodeId, List.copyOf(members)));
    }

    private static List<TopicPartition> partitions(Map<TopicId, SortedSet<Integer>> byTopicId,
                                                   Map<TopicId, String> names) {
        List<TopicPartition> partitions = new ArrayList<>();
        byTopicId.forEach((id, indexes) -> indexes.forEach(index -> partitions.add(
                new TopicPartition(names.getOrDefault(id, id.toString()), index))));
        partitions.sort(Comparator.naturalOrder());
        return List.copyOf(partitions);
    }

    /** Kafka's name of a state as REST Proxy gives it: PreparingRebalance is PREPARING_REBALANCE. */
    static String restName(String kafkaName) {
        return kafkaName.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    /**
     * The lag of each partition the group has committed an offset for, in topic and partition order. A partition
     * with no commit has no lag (REST Proxy and Kafka's tool leave it out), nor has one whose log is gone.
     */
    public List<Lag> lags(Group group) {
        Objects.requireNonNull(group, "group");
        List<Lag> lags = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> committed : coordinator.fetchOffsets(group.groupId(), null).offsets().entrySet()) {
            OffsetAnswer end = partitions.listOffsets(committed.getKey(), Partitions.LATEST);
            if (end.error() == Errors.NONE) {
                lags.add(new Lag(committed.getKey(), committed.getValue(), end.offset(), group.ownerOf(committed.getKey())));
            }
        }
        return lags;
    }

    private static boolean consumerType(String protocolType) {
        return protocolType.isEmpty() || protocolType.equals(ConsumerProtocol.TYPE);
    }
}
