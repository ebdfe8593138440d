package toykafka.broker.group.streams;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One part of a streams group as the offsets topic keeps it, in Kafka's own split of a KIP-1071 group: the group
 * epoch, its topology, each member's metadata, the target's epoch, each member's target tasks, and where each member
 * stands (Kafka's StreamsGroupMetadata, StreamsGroupTopology, StreamsGroupMemberMetadata,
 * StreamsGroupTargetAssignmentMetadata, StreamsGroupTargetAssignmentMember and StreamsGroupCurrentMemberAssignment
 * records). A later record of the same part replaces the one before, and {@link Removed} takes it away; the group
 * epoch's removal takes the whole group away. Replayed at start ({@link ReplayedStreamsGroup}), the parts bring the
 * group back, so its members heartbeat on at the epochs they had.
 */
public sealed interface StreamsGroupRecord {

    /**
     * Which part of the group a record keeps, in the order a change writes them: a member's metadata first, the
     * topology, the group epoch, the targets, the target's epoch, then where each member stands.
     */
    enum Part {
        MEMBER, TOPOLOGY, GROUP_EPOCH, TARGET, ASSIGNMENT_EPOCH, CURRENT;

        /** Whether the part is one member's, keyed by its member id too. */
        public boolean ofMember() {
            return this == MEMBER || this == TARGET || this == CURRENT;
        }
    }

    String groupId();

    /** Which part the record keeps: its type says, but for an {@link Epoch} or a {@link Removed}, which name it. */
    default Part part() {
        return this instanceof Member ? Part.MEMBER : this instanceof Topology ? Part.TOPOLOGY
                : this instanceof Target ? Part.TARGET : Part.CURRENT;
    }

    /** The member the part is about, or null for the group's own parts. */
    default String memberId() {
        return null;
    }

    /**
     * The group epoch (of its membership and topology), or the assignment epoch (the group epoch the members' targets
     * were computed at).
     */
    record Epoch(String groupId, Part part, int epoch) implements StreamsGroupRecord {
        public Epoch {
            if (part != Part.GROUP_EPOCH && part != Part.ASSIGNMENT_EPOCH) {
                throw new IllegalArgumentException(part + " is not one of the group's epochs");
            }
        }
    }

    /** The topology the group's first member sent, which every member runs. */
    record Topology(String groupId, StreamsTopology topology) implements StreamsGroupRecord {
    }

    /** Who a member is: what the assignor looks at, and where it answers queries. A client id or host not heard is "". */
    record Member(String groupId, String memberId, String instanceId, String rackId, String clientId,
                  String clientHost, int rebalanceTimeoutMs, int topologyEpoch, String processId,
                  StreamsGroupHeartbeat.Endpoint userEndpoint, Map<String, String> clientTags)
            implements StreamsGroupRecord {
        public Member {
            clientId = Objects.requireNonNullElse(clientId, "");
            clientHost = Objects.requireNonNullElse(clientHost, "");
            processId = Objects.requireNonNullElse(processId, "");
            clientTags = new TreeMap<>(clientTags);
        }

        /** The member's own record, as it is now. */
        static Member of(String groupId, StreamsGroupMember member) {
            return new Member(groupId, member.memberId(), member.instanceId(), member.rackId(), member.clientId(),
                    member.clientHost(), member.rebalanceTimeoutMs(), member.topologyEpoch(), member.processId(),
                    member.userEndpoint(), member.clientTags());
        }
    }

    /** A member's target: the tasks the assignor gave it. */
    record Target(String groupId, String memberId, StreamsTasks tasks) implements StreamsGroupRecord {
    }

    /** Where a member stands on the way to its target. */
    record Current(String groupId, String memberId, StreamsMemberAssignment assignment)
            implements StreamsGroupRecord {
    }

    /** A part taken away: a member gone, or the whole group deleted. */
    record Removed(Part part, String groupId, String memberId) implements StreamsGroupRecord {
    }
}
