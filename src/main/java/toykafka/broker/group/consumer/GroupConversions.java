package toykafka.broker.group.consumer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import toykafka.common.InvalidRequestException;
import toykafka.common.TopicId;
import toykafka.broker.group.base.ConsumerGroupMigrationPolicy;
import toykafka.broker.group.base.TopicLookup;
import toykafka.broker.group.classic.ClassicGroupSnapshot;
import toykafka.broker.group.classic.ConsumerProtocol;
import toykafka.broker.group.classic.JoinGroupRequest;

/**
 * A busy group changing type, member by member, as {@code group.consumer.migration.policy} allows (Kafka's
 * {@code GroupMetadataManager.convertToConsumerGroup} and {@code convertToClassicGroup}).
 *
 * <p>Upgrade: a classic group of consumers becomes a consumer group when a member of the consumer protocol joins
 * it. Each classic member stays, a classic member of the consumer group, with the partitions it was given, at the
 * classic generation as its member epoch; the group epoch and the targets' epoch are that generation, and each
 * member's target is what it owns, so nobody gives anything up until the newcomer's join moves the epoch on.
 *
 * <p>Downgrade: a consumer group whose last member of the consumer protocol left, with classic members only,
 * becomes a classic group again at its group epoch as generation, the members with the partitions they own, and
 * rebalances at once, as Kafka's does, so the leaver's partitions find an owner.
 */
public final class GroupConversions {

    private GroupConversions() {
    }

    // tag::upgrade[]
    /**
     * Why a busy classic group may not become a consumer group, in Kafka's words (its {@code validateOnlineUpgrade}),
     * or null if it may.
     */
    public static String upgradeRefusal(String groupId, ConsumerGroupMigrationPolicy policy, String protocolType,
                                 int members, int consumerMaxSize) {
        String cannot = "Cannot upgrade classic group " + groupId + " to consumer group because ";
        if (!policy.upgrades()) {
            return cannot + "online upgrade is disabled.";
        }
        if (!ConsumerProtocol.TYPE.equals(protocolType)) {
            return cannot + "the group does not use the consumer embedded protocol.";
        }
        if (members > consumerMaxSize) {
            return cannot + "the group size exceeds the consumer group maximum size.";
        }
        return null;
    }

    /**
     * The records of the consumer group a classic group becomes, Stable or rebalancing: each member a classic member
     * with the partitions its assignment gave it, everything at the classic generation. A classic group keeps only
     * the chosen protocol's metadata of each member, so that protocol is the one each keeps.
     *
     * @throws InvalidRequestException if a member's subscription or assignment is not a consumer's
     */
    public static List<ConsumerGroupRecord> upgraded(ClassicGroupSnapshot classic, TopicLookup topics) {
        String groupId = classic.groupId();
        int epoch = classic.generation();
        List<ConsumerGroupRecord> records = new ArrayList<>();
        records.add(new ConsumerGroupRecord.GroupEpoch(groupId, epoch));
        records.add(new ConsumerGroupRecord.AssignmentEpoch(groupId, epoch));
        for (ClassicGroupSnapshot.Member member : classic.members()) {
            ConsumerSubscription subscription = ConsumerSubscription.read(member.subscription());
            Map<TopicId, Set<Integer>> owned = ConsumerGroupClassicMembers.byId(ConsumerProtocol.CODEC.partitions(member.assignment()), topics);
            records.add(new ConsumerGroupRecord.Member(groupId, member.memberId(), member.groupInstanceId(),
                    subscription.rackId(), member.clientId(), member.clientHost(),
                    subscription.topics().stream().distinct().sorted().toList(), null,
                    member.rebalanceTimeoutMs(), null, new ClassicMemberMetadata(member.sessionTimeoutMs(),
                    List.of(new JoinGroupRequest.Protocol(classic.protocolName(), member.subscription())))));
            records.add(new ConsumerGroupRecord.Target(groupId, member.memberId(), owned));
            records.add(new ConsumerGroupRecord.Current(groupId, member.memberId(), new MemberAssignment(epoch, epoch,
                    MemberAssignment.State.STABLE, owned, Map.of())));
        }
        return records;
    }
    // end::upgrade[]

    // tag::downgrade[]
    /**
     * Whether a consumer group turns classic now (Kafka's {@code validateOnlineDowngradeWithFencedMembers}): it has
     * members, all classic, the policy allows it, and they fit in a classic group ({@code group.max.size}).
     */
    public static boolean downgrades(List<ConsumerGroupMember> members, ConsumerGroupMigrationPolicy policy,
                              int classicMaxSize) {
        return !members.isEmpty() && members.stream().allMatch(ConsumerGroupMember::usesClassicProtocol)
                && policy.downgrades() && members.size() <= classicMaxSize;
    }

    /**
     * The classic group a consumer group of classic members becomes, as the offsets topic would keep it: its group
     * epoch the generation, each member with the partitions it owns in its assignment. One more member, who is
     * gone, is named {@code leaver}: its leave is what starts the rebalance, as the consumer member's did in Kafka.
     */
    public static ClassicGroupSnapshot downgraded(String groupId, int groupEpoch, List<ConsumerGroupMember> members,
                                           TopicLookup topics, String leaver, Instant now) {
        String protocol = commonProtocol(members);
        List<ClassicGroupSnapshot.Member> classic = new ArrayList<>();
        for (ConsumerGroupMember member : members) {
            byte[] subscription = member.classic().supportedProtocols().stream()
                    .filter(each -> each.name().equals(protocol)).findFirst().orElseThrow().metadata();
            classic.add(new ClassicGroupSnapshot.Member(member.memberId(), member.instanceId(),
                    member.clientId() == null ? "" : member.clientId(),
                    member.clientHost() == null ? "" : member.clientHost(), member.rebalanceTimeoutMs(),
                    member.classic().sessionTimeoutMs(), subscription,
                    ConsumerProtocol.CODEC.assignment(ConsumerGroupClassicMembers.byName(member, topics))));
        }
        ClassicGroupSnapshot.Member first = classic.get(0);
        classic.add(new ClassicGroupSnapshot.Member(leaver, null, "", "", first.rebalanceTimeoutMs(),
                first.sessionTimeoutMs(), first.subscription(), new byte[0]));
        return new ClassicGroupSnapshot(groupId, ConsumerProtocol.TYPE, groupEpoch, protocol, first.memberId(),
                now.toEpochMilli(), classic);
    }
    // end::downgrade[]

    /** A member id no member has: the leaver of a downgrade. */
    public static String leaverId() {
        return "downgrade-" + UUID.randomUUID();
    }

    /** The first protocol of the first member that every member supports; a consumer group let only such in. */
    private static String commonProtocol(List<ConsumerGroupMember> members) {
        return members.get(0).classic().supportedProtocols().stream().map(JoinGroupRequest.Protocol::name)
                .filter(name -> members.stream().allMatch(member -> member.classic().supportedProtocols().stream()
                        .anyMatch(protocol -> protocol.name().equals(name))))
                .findFirst().orElse(members.get(0).classic().protocolName());
    }
}
