package toykafka.broker.group.streams;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What of a streams group the offsets topic holds, as a replay of what the group wrote: so that after a call the
 * group writes only the parts that differ from it (Kafka's coordinator writes the same records as each change
 * happens), and a heartbeat that changes nothing writes nothing. Writes through the {@link StreamsGroupWriter} the
 * group was made with. Guarded by its group's lock.
 */
final class KeptStreamsGroup {

    /** The order tombstones go in: each member's parts, from where it stands to who it is, then the group's own. */
    private static final List<StreamsGroupRecord.Part> REMOVAL_ORDER = List.of(StreamsGroupRecord.Part.CURRENT,
            StreamsGroupRecord.Part.TARGET, StreamsGroupRecord.Part.MEMBER, StreamsGroupRecord.Part.ASSIGNMENT_EPOCH,
            StreamsGroupRecord.Part.TOPOLOGY, StreamsGroupRecord.Part.GROUP_EPOCH);
    private static final Comparator<StreamsGroupRecord> BY_MEMBER = Comparator.comparing(
            StreamsGroupRecord::memberId, Comparator.nullsLast(Comparator.naturalOrder()));

    private final StreamsGroupWriter store;
    /** What the group wrote, as a replay would find it. */
    private final ReplayedStreamsGroup inTopic;

    KeptStreamsGroup(String groupId, StreamsGroupWriter store) {
        this.store = store;
        this.inTopic = new ReplayedStreamsGroup(groupId);
    }

    /** A group as a replay brought it back: all of it is in the topic already. */
    void restored(ReplayedStreamsGroup replayed) {
        replayed.records().forEach(inTopic::apply);
    }

    // tag::streams-unkept[]
    /**
     * The records that bring the topic up to the group's records {@code now}: tombstones for the parts it no longer
     * has (a member's from where it stands to who it is, the group epoch's last, which takes the group away), then
     * each part that changed, in Kafka's order: members' metadata, the topology, the group epoch, the targets, the
     * target's epoch, and where each member stands.
     */
    List<StreamsGroupRecord> unkept(List<StreamsGroupRecord> now) {
        Set<ReplayedStreamsGroup.Key> present = new HashSet<>();
        List<StreamsGroupRecord> changed = new ArrayList<>();
        for (StreamsGroupRecord record : now) {
            present.add(ReplayedStreamsGroup.Key.of(record));
            if (!record.equals(inTopic.part(record.part(), record.memberId()))) {
                changed.add(record);
            }
        }
        List<StreamsGroupRecord> records = new ArrayList<>(inTopic.records().stream()
                .filter(kept -> !present.contains(ReplayedStreamsGroup.Key.of(kept)))
                .map(kept -> (StreamsGroupRecord) new StreamsGroupRecord.Removed(kept.part(), inTopic.groupId(),
                        kept.memberId()))
                .sorted(Comparator.comparing((StreamsGroupRecord gone) -> !gone.part().ofMember())
                        .thenComparing(BY_MEMBER).thenComparing(gone -> REMOVAL_ORDER.indexOf(gone.part())))
                .toList());
        changed.sort(Comparator.comparing(StreamsGroupRecord::part).thenComparing(BY_MEMBER));
        records.addAll(changed);
        return records;
    }
    // end::streams-unkept[]

    /** The records are in the topic. */
    void kept(List<StreamsGroupRecord> records) {
        records.forEach(inTopic::apply);
    }

    /**
     * Writes what differs of the group's records {@code now}, then takes them as kept; a write that fails is told to
     * {@code events}, and what it held is written at the group's next call.
     */
    void keep(List<StreamsGroupRecord> now, Consumer<String> events) {
        List<StreamsGroupRecord> records = unkept(now);
        if (records.isEmpty()) {
            return;
        }
        try {
            store.writeStreamsGroup(records);
            kept(records);
        } catch (RuntimeException e) {
            events.accept("streams group " + inTopic.groupId() + " could not be kept in the offsets topic (" + e.getMessage()
                    + "); its members carry on, and it is tried again at the group's next call");
        }
    }

    /** Writes the tombstones of all the topic holds of the group, if it holds anything. */
    void forget() {
        List<StreamsGroupRecord> removal = unkept(List.of());
        if (!removal.isEmpty()) {
            store.writeStreamsGroup(removal);
            kept(removal);
        }
    }
}
