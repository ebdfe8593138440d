package toykafka.broker.group.share;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import toykafka.common.TopicId;

/**
 * One part of a share group as the offsets topic keeps it, in Kafka's own split (its ShareGroupMetadata,
 * ShareGroupMemberMetadata, ShareGroupTargetAssignmentMetadata, ShareGroupTargetAssignmentMember and
 * ShareGroupCurrentMemberAssignment records): the group epoch, each member's metadata, the target's epoch, each
 * member's target and what each member was given at its epoch. A later record of the same part replaces the one
 * before, and {@link Removed} takes it away.
 */
public sealed interface ShareGroupRecord {

    /** Which part of the group a record keeps, in the order Kafka writes the parts of one change. */
    enum Part { MEMBER, GROUP_EPOCH, TARGET, ASSIGNMENT_EPOCH, CURRENT }

    Part part();

    String groupId();

    /** The member the part is about, or null for the group's own parts. */
    String memberId();

    /** The group epoch (GROUP_EPOCH) or the epoch the targets were worked out at (ASSIGNMENT_EPOCH). */
    record Epoch(Part part, String groupId, int epoch) implements ShareGroupRecord {
        @Override
        public String memberId() {
            return null;
        }
    }

    /** Who a member is and what it reads. A client id or host not heard is "", as Kafka writes it. */
    record Member(String groupId, String memberId, String rackId, String clientId, String clientHost,
                  List<String> subscribedTopicNames) implements ShareGroupRecord {
        public Member {
            clientId = Objects.requireNonNullElse(clientId, "");
            clientHost = Objects.requireNonNullElse(clientHost, "");
            subscribedTopicNames = List.copyOf(subscribedTopicNames);
        }

        @Override
        public Part part() {
            return Part.MEMBER;
        }
    }

    /**
     * A member's partitions: its target (TARGET), or what it was given at {@code memberEpoch} (CURRENT, whose epochs
     * a target leaves at 0). A share member takes its target at once, so Kafka's state of a current assignment is
     * always 0, stable.
     */
    record Assigned(Part part, String groupId, String memberId, int memberEpoch, int previousEpoch,
                    Map<TopicId, SortedSet<Integer>> partitions) implements ShareGroupRecord {
        public Assigned {
            SortedMap<TopicId, SortedSet<Integer>> copy = new TreeMap<>(SimpleAssignor.TOPIC_ORDER);
            partitions.forEach((topic, numbers) -> {
                if (!numbers.isEmpty()) { // a topic with none is no part of the assignment, as Kafka writes it
                    copy.put(topic, Collections.unmodifiableSortedSet(new TreeSet<>(numbers)));
                }
            });
            partitions = Collections.unmodifiableSortedMap(copy);
        }

        /** A member's target. */
        public static Assigned target(String groupId, String memberId,
                                      Map<TopicId, SortedSet<Integer>> partitions) {
            return new Assigned(Part.TARGET, groupId, memberId, 0, 0, partitions);
        }
    }

    /** A part taken away: a member gone, or the whole group deleted. */
    record Removed(Part part, String groupId, String memberId) implements ShareGroupRecord {
    }
}
