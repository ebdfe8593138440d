package toykafka.broker.group.classic;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import toykafka.broker.group.base.CoordinatorMemory;
import toykafka.broker.group.base.Group;
import toykafka.broker.group.base.GroupConfig;
import toykafka.broker.group.base.GroupOffsets;
import toykafka.broker.group.base.GroupState;

/**
 * What of a classic group the offsets topic holds, Kafka's GroupMetadata record (a {@link ClassicGroupSnapshot}):
 * the generation last written, so that a call writes the group only when it changed, and the way back from a
 * snapshot to a group at start. It writes through the {@link ClassicGroupWriter} the group was made with. Guarded
 * by its group's lock.
 */
public final class KeptClassicGroup {

    private final String groupId;
    private final ClassicGroupWriter store;
    /** The generation the topic last kept: 0 if none yet, -1 to keep the group again. */
    private int generation;

    KeptClassicGroup(String groupId, ClassicGroupWriter store) {
        this.groupId = groupId;
        this.store = store;
    }

    /**
     * A group as the offsets topic kept it (Kafka's {@code ClassicGroup.fromRecord}): Stable with its members, whose
     * sessions start again now, or Empty since it became so. Members that lived in the broker's process died with
     * it and are removed, and the rest rebalance without them.
     */
    public static ClassicGroup restored(ClassicGroupSnapshot kept, GroupConfig config, CoordinatorMemory memory,
                                        ClassicGroupWriter store, Runnable rebalanceStarted, Instant now,
                                        GroupOffsets offsets) {
        ClassicGroup group = new ClassicGroup(kept.groupId(), config, memory, store, rebalanceStarted,
                kept.stateTimestampMs() < 0 ? now : Instant.ofEpochMilli(kept.stateTimestampMs()), offsets);
        String protocolType = kept.protocolType().isEmpty() ? null : kept.protocolType();
        group.resume(kept.generation(), protocolType, kept.protocolName(), kept.leaderId(), kept.members().stream()
                .map(member -> new GroupMember(member, protocolType, kept.protocolName(), now)).toList());
        group.leave(kept.members().stream()
                .filter(member -> member.clientHost().equals(Group.IN_PROCESS_HOST))
                .map(member -> new LeavingMember(member.memberId(), member.groupInstanceId())).toList(),
                now, new ArrayList<>()); // nobody waits on a member the restart took
        return group;
    }

    /** A replay brought this generation back: the topic holds it already. */
    void restored(int keptGeneration) {
        generation = keptGeneration;
    }

    /** The group the topic holds names an id no member has any more (a static member came back): keep it again. */
    void changed() {
        generation = -1;
    }

    /** Whether the topic ever kept a generation of the group, which its removal must then take away. */
    boolean everKept() {
        return generation != 0;
    }

    /** The group as it stands if Stable or Empty, members and assignments; none while it rebalances. */
    Optional<ClassicGroupSnapshot> settled(GroupState state, String protocolType, int nowGeneration,
                                           String protocolName, ClassicMembers members, Instant now) {
        return state != GroupState.STABLE && state != GroupState.EMPTY ? Optional.empty()
                : Optional.of(new ClassicGroupSnapshot(groupId, protocolType == null ? "" : protocolType,
                nowGeneration, protocolName, members.leaderId(), now.toEpochMilli(), members.kept(protocolName)));
    }

    /**
     * Writes the group as it stands if its generation changed since last kept: as Kafka writes a GroupMetadata record
     * when a generation becomes Stable with the leader's assignment or the group Empty, and when a static member
     * comes back under a new id; nothing while it rebalances. A write that fails is told to {@code events}, and tried
     * again at the group's next change.
     */
    void keep(int nowGeneration, Supplier<Optional<ClassicGroupSnapshot>> settled, Consumer<String> events) {
        if (nowGeneration == generation) {
            return;
        }
        settled.get().ifPresent(snapshot -> {
            try {
                store.writeGroup(snapshot);
                generation = snapshot.generation();
            } catch (RuntimeException e) {
                events.accept("group " + groupId + "'s generation " + snapshot.generation()
                        + " could not be kept in the offsets topic (" + e.getMessage() + "); its members carry"
                        + " on, and it is tried again at the group's next change");
            }
        });
    }

    /** Writes the group's tombstone, if the topic ever kept it, so a replay brings none of its members back. */
    void forget() {
        if (everKept()) {
            store.deleteGroup(groupId);
        }
    }
}
