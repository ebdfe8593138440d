package toykafka.broker.group.consumer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import toykafka.common.TopicId;

/**
 * What of a consumer group the offsets topic holds, and which members changed since: so that after a call the group
 * writes only the parts that changed (Kafka's coordinator writes the same records as each change happens), and a
 * heartbeat that changes nothing writes nothing. It keeps the group's own immutable members and targets, not copies,
 * and writes through the {@link ConsumerGroupWriter} the group was made with. Guarded by its group's lock.
 */
final class KeptConsumerGroup {

    private final String groupId;
    private final ConsumerGroupWriter store;
    /** The epochs last written; -1 before the first write. */
    private int groupEpoch = -1;
    private int assignmentEpoch = -1;
    private final Map<String, ConsumerGroupMember> members = new HashMap<>();
    private final Map<String, Map<TopicId, Set<Integer>>> targets = new HashMap<>();
    /** Members whose metadata, target or assignment may have changed since the last write. */
    private final Set<String> touched = new HashSet<>();

    KeptConsumerGroup(String groupId, ConsumerGroupWriter store) {
        this.groupId = groupId;
        this.store = store;
    }

    /** A group as a replay brought it back: all of it is in the topic already. */
    void restored(int groupEpoch, int assignmentEpoch, List<ConsumerGroupMember> members,
                  Map<String, Map<TopicId, Set<Integer>>> targets) {
        this.groupEpoch = groupEpoch;
        this.assignmentEpoch = assignmentEpoch;
        members.forEach(member -> this.members.put(member.memberId(), member));
        this.targets.putAll(targets);
        touched.clear();
    }

    void touch(String memberId) {
        touched.add(memberId);
    }

    /** Whether anything of the group was ever written, so its removal has something to take away. */
    boolean everKept() {
        return groupEpoch >= 0;
    }

    /**
     * Writes what changed of the group, then takes it as kept; a write that fails is told to {@code events}, and what
     * it held is written at the group's next call.
     */
    void keep(int nowGroupEpoch, int nowAssignmentEpoch, Map<String, ConsumerGroupMember> nowMembers,
              Map<String, Map<TopicId, Set<Integer>>> nowTargets, Consumer<String> events) {
        List<ConsumerGroupRecord> records = unkept(nowGroupEpoch, nowAssignmentEpoch, nowMembers, nowTargets);
        if (records.isEmpty()) {
            // what was touched is as the topic holds it: forgotten, or every heartbeat of a large group would look
            // at every member a heartbeat ever touched; a group never written stays unwritten
            if (everKept()) {
                kept(nowGroupEpoch, nowAssignmentEpoch, nowMembers, nowTargets);
            }
            touched.clear();
            return;
        }
        try {
            store.writeConsumerGroup(records);
            kept(nowGroupEpoch, nowAssignmentEpoch, nowMembers, nowTargets);
        } catch (RuntimeException e) {
            events.accept("consumer group " + groupId + "'s epoch " + nowGroupEpoch
                    + " could not be kept in the offsets topic (" + e.getMessage() + "); its members carry"
                    + " on, and it is tried again at the group's next call");
        }
    }

    // tag::unkept[]
    /**
     * The records that bring the topic up to the group as it is now, in the order Kafka writes them: what goes first
     * (each member's assignment, target, then metadata), then members' metadata, the group epoch, the targets, the
     * target's epoch, and where each member stands.
     */
    List<ConsumerGroupRecord> unkept(int nowGroupEpoch, int nowAssignmentEpoch,
                                     Map<String, ConsumerGroupMember> nowMembers,
                                     Map<String, Map<TopicId, Set<Integer>>> nowTargets) {
        if (!everKept() && nowMembers.isEmpty()) {
            return List.of(); // no member has joined it yet: Kafka writes nothing of such a group
        }
        List<ConsumerGroupRecord> gone = new ArrayList<>();
        List<ConsumerGroupRecord> metadata = new ArrayList<>();
        List<ConsumerGroupRecord> aimed = new ArrayList<>();
        List<ConsumerGroupRecord> standing = new ArrayList<>();
        for (String memberId : touched.stream().sorted().toList()) {
            ConsumerGroupMember was = members.get(memberId);
            ConsumerGroupMember now = nowMembers.get(memberId);
            if (now == null) {
                if (was != null) {
                    gone.addAll(removal(memberId));
                }
                continue;
            }
            if (was == null || !sameMetadata(was, now)) {
                metadata.add(metadata(now));
            }
            Map<TopicId, Set<Integer>> target = nowTargets.getOrDefault(memberId, Map.of());
            if (was == null || !target.equals(targets.getOrDefault(memberId, Map.of()))) {
                aimed.add(new ConsumerGroupRecord.Target(groupId, memberId, target));
            }
            if (was == null || !was.assignment().equals(now.assignment())) {
                standing.add(new ConsumerGroupRecord.Current(groupId, memberId, now.assignment()));
            }
        }
        List<ConsumerGroupRecord> records = new ArrayList<>(gone);
        records.addAll(metadata);
        if (nowGroupEpoch != groupEpoch) {
            records.add(new ConsumerGroupRecord.GroupEpoch(groupId, nowGroupEpoch));
        }
        records.addAll(aimed);
        if (nowAssignmentEpoch != assignmentEpoch) {
            records.add(new ConsumerGroupRecord.AssignmentEpoch(groupId, nowAssignmentEpoch));
        }
        records.addAll(standing);
        return records;
    }
    // end::unkept[]

    /** The records are in the topic: the group as it is now is what the topic holds. */
    void kept(int nowGroupEpoch, int nowAssignmentEpoch, Map<String, ConsumerGroupMember> nowMembers,
              Map<String, Map<TopicId, Set<Integer>>> nowTargets) {
        groupEpoch = nowGroupEpoch;
        assignmentEpoch = nowAssignmentEpoch;
        for (String memberId : touched) {
            ConsumerGroupMember now = nowMembers.get(memberId);
            if (now == null) {
                members.remove(memberId);
                targets.remove(memberId);
            } else {
                members.put(memberId, now);
                targets.put(memberId, nowTargets.getOrDefault(memberId, Map.of()));
            }
        }
        touched.clear();
    }

    /** Tombstones for all the topic holds of the group, members first: it was deleted, or given to a classic group. */
    List<ConsumerGroupRecord> removal() {
        List<ConsumerGroupRecord> records = new ArrayList<>();
        members.keySet().stream().sorted().forEach(memberId -> records.addAll(removal(memberId)));
        if (everKept()) {
            records.add(new ConsumerGroupRecord.Removed(ConsumerGroupRecord.Part.ASSIGNMENT_EPOCH, groupId, null));
            records.add(new ConsumerGroupRecord.Removed(ConsumerGroupRecord.Part.GROUP_EPOCH, groupId, null));
        }
        return records;
    }

    /** The removal is in the topic. */
    void removed() {
        members.clear();
        targets.clear();
        groupEpoch = -1;
        assignmentEpoch = -1;
    }

    /** Writes the tombstones of all the topic holds of the group, if it holds anything. */
    void forget() {
        List<ConsumerGroupRecord> removal = removal();
        if (!removal.isEmpty()) {
            store.writeConsumerGroup(removal);
            removed();
        }
    }

    private List<ConsumerGroupRecord> removal(String memberId) {
        return List.of(new ConsumerGroupRecord.Removed(ConsumerGroupRecord.Part.CURRENT, groupId, memberId),
                new ConsumerGroupRecord.Removed(ConsumerGroupRecord.Part.TARGET, groupId, memberId),
                new ConsumerGroupRecord.Removed(ConsumerGroupRecord.Part.MEMBER, groupId, memberId));
    }

    private ConsumerGroupRecord.Member metadata(ConsumerGroupMember member) {
        return new ConsumerGroupRecord.Member(groupId, member.memberId(), member.instanceId(), member.rackId(),
                member.clientId(), member.clientHost(), member.subscribedTopics(), member.subscribedRegex(),
                member.rebalanceTimeoutMs(), member.serverAssignor(), member.classic());
    }

    /** Whether two members' records of who they are and what they ask for would be the same. */
    private static boolean sameMetadata(ConsumerGroupMember a, ConsumerGroupMember b) {
        return a.subscribesAs(b) && Objects.equals(a.instanceId(), b.instanceId())
                && Objects.equals(a.rackId(), b.rackId())
                && Objects.equals(Objects.requireNonNullElse(a.clientId(), ""),
                        Objects.requireNonNullElse(b.clientId(), ""))
                && Objects.equals(Objects.requireNonNullElse(a.clientHost(), ""),
                        Objects.requireNonNullElse(b.clientHost(), ""))
                && a.rebalanceTimeoutMs() == b.rebalanceTimeoutMs()
                && (a.classic() == null ? b.classic() == null : a.classic().sameAs(b.classic()));
    }
}
