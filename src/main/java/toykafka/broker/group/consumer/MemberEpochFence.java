package toykafka.broker.group.consumer;

import java.util.Map;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.base.TopicLookup;

/**
 * How a consumer group's member epochs fence its offsets, as Kafka 4.4's {@code ConsumerGroup.validateOffsetCommit}
 * and {@code validateOffsetFetch} do: a member's commit and fetch carry its epoch where a classic member's carry its
 * generation.
 */
final class MemberEpochFence {

    private MemberEpochFence() {
    }

    // tag::commit-fence[]
    /**
     * A commit from outside the group (member epoch -1, no member id) is taken while the group has no members, as a
     * classic group's is. A member's commit must come by a request that knows member epochs (OffsetCommit v9 or
     * later), unless it comes inside a transaction or from a classic member, and carry the epoch the member has now,
     * or an older one for partitions it has held since that epoch ({@link AssignmentEpochs}, Kafka 4.3 on): a commit
     * sent just before a heartbeat moved the member on still counts. A newer epoch, or an older one for a partition
     * the member lost or got only later, is STALE_MEMBER_EPOCH, or ILLEGAL_GENERATION for a classic member, whose
     * generation is its epoch.
     *
     * @param topics the broker's topics, which give a committed topic's id
     */
    static Errors commit(Map<String, ConsumerGroupMember> members, OffsetCommitRequest request, TopicLookup topics) {
        if (request.generationId() < 0 && members.isEmpty()) {
            return Errors.NONE;
        }
        ConsumerGroupMember member = members.get(request.memberId());
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (!request.knowsMemberEpochs() && !member.usesClassicProtocol()) {
            return Errors.UNSUPPORTED_VERSION; // a classic member's generation is its epoch, by any version
        }
        int epoch = request.generationId();
        if (epoch == member.memberEpoch()) {
            return Errors.NONE;
        }
        Errors stale = member.usesClassicProtocol() ? Errors.ILLEGAL_GENERATION : Errors.STALE_MEMBER_EPOCH;
        if (epoch > member.memberEpoch()) {
            return stale;
        }
        for (TopicPartition partition : request.committed().keySet()) {
            TopicLookup.Topic topic = topics.topic(partition.topic());
            if (!member.assignment().epochs().admitsOlder(epoch, topic == null ? null : topic.id(),
                    partition.partition())) {
                return stale; // the whole commit, as Kafka refuses it at its first such partition
            }
        }
        return Errors.NONE;
    }
    // end::commit-fence[]

    /** Anyone who does not say who they are may fetch; a member who does must be one, at its epoch. */
    static Errors fetch(Map<String, ConsumerGroupMember> members, String memberId, int memberEpoch) {
        if (memberId == null && memberEpoch < 0) {
            return Errors.NONE;
        }
        ConsumerGroupMember member = members.get(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return memberEpoch == member.memberEpoch() ? Errors.NONE
                : member.usesClassicProtocol() ? Errors.ILLEGAL_GENERATION : Errors.STALE_MEMBER_EPOCH;
    }
}
