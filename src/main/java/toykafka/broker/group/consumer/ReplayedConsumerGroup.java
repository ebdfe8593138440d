package toykafka.broker.group.consumer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import toykafka.broker.group.modern.ModernGroup;
import toykafka.common.TopicId;

/**
 * A consumer group as a replay of the offsets topic finds it: the latest record of each of its parts
 * ({@link ConsumerGroupRecord}), whatever order they came in. A group whose epoch record was taken away is gone, and
 * so is every part of it, as Kafka's replay deletes a group at its metadata tombstone. Not thread-safe: one replay
 * builds it.
 */
public final class ReplayedConsumerGroup {

    private record Key(ConsumerGroupRecord.Part part, String memberId) {
    }

    private final String groupId;
    private final Map<Key, ConsumerGroupRecord> parts = new LinkedHashMap<>();

    public ReplayedConsumerGroup(String groupId) {
        this.groupId = groupId;
    }

    /** Applies one record of this group, in the order the topic holds them. */
    public void apply(ConsumerGroupRecord record) {
        if (!record.groupId().equals(groupId)) {
            throw new IllegalArgumentException("a record of group " + record.groupId() + " replayed into " + groupId);
        }
        Key key = new Key(record.part(), record.memberId());
        if (record instanceof ConsumerGroupRecord.Removed) {
            parts.remove(key);
            if (record.part() == ConsumerGroupRecord.Part.GROUP_EPOCH) {
                parts.clear();
            }
        } else {
            parts.put(key, record);
        }
    }

    /** Whether a group is left: its epoch record stands. */
    public boolean exists() {
        return parts.containsKey(new Key(ConsumerGroupRecord.Part.GROUP_EPOCH, null));
    }

    public String groupId() {
        return groupId;
    }

    int groupEpoch() {
        return parts.get(new Key(ConsumerGroupRecord.Part.GROUP_EPOCH, null)) instanceof ConsumerGroupRecord.GroupEpoch
                epoch ? epoch.epoch() : ModernGroup.INITIAL_EPOCH;
    }

    int assignmentEpoch() {
        return parts.get(new Key(ConsumerGroupRecord.Part.ASSIGNMENT_EPOCH, null))
                instanceof ConsumerGroupRecord.AssignmentEpoch epoch ? epoch.epoch() : ModernGroup.INITIAL_EPOCH;
    }

    /** Each member's target, for the members that have metadata. */
    Map<String, Map<TopicId, Set<Integer>>> targets() {
        Map<String, Map<TopicId, Set<Integer>>> targets = new HashMap<>();
        parts.values().forEach(part -> {
            if (part instanceof ConsumerGroupRecord.Target target && hasMember(target.memberId())) {
                targets.put(target.memberId(), target.partitions());
            }
        });
        return targets;
    }

    /**
     * The members, heard {@code now}: a restart starts their sessions again, and one that was giving partitions up
     * gets its rebalance timeout again, as Kafka's coordinator schedules both when it loads a group. A member whose
     * current assignment was not found joins again at its next heartbeat.
     */
    public List<ConsumerGroupMember> members(Instant now) {
        List<ConsumerGroupMember> members = new ArrayList<>();
        parts.values().forEach(part -> {
            if (part instanceof ConsumerGroupRecord.Member member) {
                MemberAssignment assignment = parts.get(new Key(ConsumerGroupRecord.Part.CURRENT, member.memberId()))
                        instanceof ConsumerGroupRecord.Current current ? current.assignment() : MemberAssignment.JOINING;
                boolean revoking = assignment.state() == MemberAssignment.State.UNREVOKED_PARTITIONS;
                members.add(new ConsumerGroupMember(member.memberId(), member.instanceId(), member.rackId(),
                        member.clientId(), member.clientHost(), member.rebalanceTimeoutMs(),
                        member.subscribedTopicNames(), member.subscribedTopicRegex(), member.serverAssignor(),
                        List.of(), assignment, now, revoking ? now.plusMillis(member.rebalanceTimeoutMs()) : null,
                        member.classic()));
            }
        });
        return members;
    }

    /** The records that stand, for a group kept as it was replayed. */
    public List<ConsumerGroupRecord> records() {
        return List.copyOf(parts.values());
    }

    private boolean hasMember(String memberId) {
        return parts.containsKey(new Key(ConsumerGroupRecord.Part.MEMBER, memberId));
    }
}
