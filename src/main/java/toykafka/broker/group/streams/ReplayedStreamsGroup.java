package toykafka.broker.group.streams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import toykafka.broker.group.modern.ModernGroup;

/**
 * A streams group as the offsets topic holds it: the latest record of each of its parts
 * ({@link StreamsGroupRecord}), whatever order they came in. A group whose epoch record was taken away is gone, and
 * so is every part of it, as Kafka's replay deletes a group at its metadata tombstone. A replay at start builds one
 * from the topic; the group keeps one of what it wrote ({@link KeptStreamsGroup}). Not thread-safe.
 */
public final class ReplayedStreamsGroup {

    /** What a record is the latest of: a part of the group, or of one member. */
    record Key(StreamsGroupRecord.Part part, String memberId) {
        static Key of(StreamsGroupRecord record) {
            return new Key(record.part(), record.memberId());
        }
    }

    private final String groupId;
    private final Map<Key, StreamsGroupRecord> parts = new LinkedHashMap<>();

    public ReplayedStreamsGroup(String groupId) {
        this.groupId = groupId;
    }

    /**
     * Applies one record of this group, in the order the topic holds them: it replaces the part's record before it,
     * or, a tombstone, takes the part away, and the group epoch's tombstone the whole group.
     */
    public void apply(StreamsGroupRecord record) {
        if (!groupId.equals(record.groupId())) {
            throw new IllegalArgumentException("a record of group " + record.groupId() + " replayed into " + groupId);
        }
        boolean removed = record instanceof StreamsGroupRecord.Removed;
        if (removed && record.part() == StreamsGroupRecord.Part.GROUP_EPOCH) {
            parts.clear();
        } else if (removed) {
            parts.remove(Key.of(record));
        } else {
            parts.put(Key.of(record), record);
        }
    }

    /** Whether a group is left: its epoch record stands. */
    public boolean exists() {
        return part(StreamsGroupRecord.Part.GROUP_EPOCH, null) != null;
    }

    public String groupId() {
        return groupId;
    }

    /** The record that stands for a part, or null. */
    StreamsGroupRecord part(StreamsGroupRecord.Part part, String memberId) {
        return parts.get(new Key(part, memberId));
    }

    /** The records that stand, in the order they were first written. */
    public List<StreamsGroupRecord> records() {
        return List.copyOf(parts.values());
    }

    /** The group epoch, or the assignment epoch: a new group's if it was not kept, as Kafka's replay leaves it. */
    int epoch(StreamsGroupRecord.Part which) {
        return part(which, null) instanceof StreamsGroupRecord.Epoch epoch ? epoch.epoch()
                : ModernGroup.INITIAL_EPOCH;
    }

    /** The group's topology, or null if none was kept. */
    StreamsTopology topology() {
        return part(StreamsGroupRecord.Part.TOPOLOGY, null) instanceof StreamsGroupRecord.Topology topology
                ? topology.topology() : null;
    }

    /** Each member's target, for the members that have metadata. */
    Map<String, StreamsTasks> targets() {
        Map<String, StreamsTasks> targets = new HashMap<>();
        parts.values().forEach(part -> {
            if (part instanceof StreamsGroupRecord.Target target
                    && part(StreamsGroupRecord.Part.MEMBER, target.memberId()) != null) {
                targets.put(target.memberId(), target.tasks());
            }
        });
        return targets;
    }

    /**
     * The members, heard {@code now}: a restart starts their sessions again, and one that was giving tasks up gets
     * its rebalance timeout again, as Kafka's coordinator schedules both when it loads a group. A member whose current
     * assignment was not found stands as one that just joined.
     */
    List<StreamsGroupMember> members(Instant now) {
        List<StreamsGroupMember> members = new ArrayList<>();
        parts.values().forEach(part -> {
            if (part instanceof StreamsGroupRecord.Member member) {
                StreamsMemberAssignment assignment = part(StreamsGroupRecord.Part.CURRENT, member.memberId())
                        instanceof StreamsGroupRecord.Current current ? current.assignment()
                        : StreamsMemberAssignment.JOINING;
                boolean revoking = assignment.state() == StreamsMemberAssignment.State.UNREVOKED_TASKS;
                members.add(new StreamsGroupMember(member.memberId(), member.instanceId(), member.rackId(),
                        member.processId(), member.userEndpoint(), member.clientTags(), member.topologyEpoch(),
                        member.rebalanceTimeoutMs(), member.clientId(), member.clientHost(), assignment, now,
                        revoking ? now.plusMillis(Math.max(member.rebalanceTimeoutMs(), 0)) : null));
            }
        });
        return members;
    }
}
