package toykafka.broker.group.consumer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import toykafka.common.TopicId;
import toykafka.broker.group.classic.JoinGroupRequest;

/**
 * One part of a consumer group as the offsets topic keeps it, in Kafka's own split of a KIP-848 group: the group
 * epoch, each member's metadata, the target's epoch, each member's target, and where each member stands (Kafka's
 * ConsumerGroupMetadata, ConsumerGroupMemberMetadata, ConsumerGroupTargetAssignmentMetadata,
 * ConsumerGroupTargetAssignmentMember and ConsumerGroupCurrentMemberAssignment records). A part is written when it
 * changes; a later record of the same part replaces the one before, and {@link Removed} takes it away. Replayed at
 * start, the parts bring the group back, epochs, members, targets and all, so its members carry on with no rebalance.
 */
public sealed interface ConsumerGroupRecord {

    /** Which part of the group a record keeps. */
    enum Part { GROUP_EPOCH, MEMBER, ASSIGNMENT_EPOCH, TARGET, CURRENT }

    String groupId();

    Part part();

    /** The member the part is about, or null for the group's own parts. */
    default String memberId() {
        return null;
    }

    /** The epoch of the group's membership and subscriptions. */
    record GroupEpoch(String groupId, int epoch) implements ConsumerGroupRecord {
        @Override
        public Part part() {
            return Part.GROUP_EPOCH;
        }
    }

    /**
     * Who a member is and what it asks for. A client id or host not yet heard is "", as Kafka writes it.
     *
     * @param classic a classic member's session timeout and protocols; null for a member of the consumer protocol
     */
    record Member(String groupId, String memberId, String instanceId, String rackId, String clientId,
                  String clientHost, List<String> subscribedTopicNames, String subscribedTopicRegex,
                  int rebalanceTimeoutMs, String serverAssignor, ClassicMemberMetadata classic)
            implements ConsumerGroupRecord {
        public Member {
            clientId = Objects.requireNonNullElse(clientId, "");
            clientHost = Objects.requireNonNullElse(clientHost, "");
            subscribedTopicNames = List.copyOf(subscribedTopicNames);
        }

        /** A member of the consumer protocol. */
        public Member(String groupId, String memberId, String instanceId, String rackId, String clientId,
                      String clientHost, List<String> subscribedTopicNames, String subscribedTopicRegex,
                      int rebalanceTimeoutMs, String serverAssignor) {
            this(groupId, memberId, instanceId, rackId, clientId, clientHost, subscribedTopicNames,
                    subscribedTopicRegex, rebalanceTimeoutMs, serverAssignor, null);
        }

        /** A classic member's session timeout, or -1 for a member of the consumer protocol. */
        public int classicSessionTimeoutMs() {
            return classic == null ? -1 : classic.sessionTimeoutMs();
        }

        /** A classic member's protocols by name, each with its metadata, in its order; none for the others. */
        public List<Map.Entry<String, byte[]>> classicProtocols() {
            return classic == null ? List.of() : classic.supportedProtocols().stream()
                    .map(protocol -> Map.entry(protocol.name(), protocol.metadata())).toList();
        }

        /** The same member as a classic one, as a replay reads it back. */
        public Member withClassic(int sessionTimeoutMs, List<Map.Entry<String, byte[]>> protocols) {
            return new Member(groupId, memberId, instanceId, rackId, clientId, clientHost, subscribedTopicNames,
                    subscribedTopicRegex, rebalanceTimeoutMs, serverAssignor, new ClassicMemberMetadata(
                    sessionTimeoutMs, protocols.stream().map(protocol -> new JoinGroupRequest.Protocol(
                            protocol.getKey(), protocol.getValue())).toList()));
        }

        @Override
        public Part part() {
            return Part.MEMBER;
        }
    }

    /** The group epoch the members' targets were computed at. */
    record AssignmentEpoch(String groupId, int epoch) implements ConsumerGroupRecord {
        @Override
        public Part part() {
            return Part.ASSIGNMENT_EPOCH;
        }
    }

    /** A member's target: the partitions the assignor gave it. */
    record Target(String groupId, String memberId, Map<TopicId, Set<Integer>> partitions)
            implements ConsumerGroupRecord {
        public Target {
            Map<TopicId, Set<Integer>> copy = new HashMap<>();
            MemberAssignment.copy(partitions).forEach((topic, owned) -> copy.put(topic, Set.copyOf(owned)));
            partitions = Map.copyOf(copy);
        }

        @Override
        public Part part() {
            return Part.TARGET;
        }
    }

    /** Where a member stands on the way to its target. */
    record Current(String groupId, String memberId, MemberAssignment assignment) implements ConsumerGroupRecord {
        @Override
        public Part part() {
            return Part.CURRENT;
        }
    }

    /** A part taken away: a member gone, or the whole group deleted. */
    record Removed(Part part, String groupId, String memberId) implements ConsumerGroupRecord {
    }
}
