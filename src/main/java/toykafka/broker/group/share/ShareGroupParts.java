package toykafka.broker.group.share;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the offsets topic holds of one share group: the latest record of each of its parts. A replay builds it from
 * the topic, whatever order the records came in; the group then keeps it up to date, so that a call writes only the
 * parts it changed, and a heartbeat that changes nothing writes nothing. A tombstone of the group epoch takes the
 * whole group away, as Kafka's replay deletes a group at its metadata tombstone. Guarded by its group's lock.
 */
public final class ShareGroupParts {

    /** A part's place: its kind, and its member for a member's parts. */
    private record Key(ShareGroupRecord.Part part, String memberId) {
    }

    /** Tombstones go members first, each member's parts in the reverse of the order they are written in. */
    private static final Comparator<ShareGroupRecord> TOMBSTONE_ORDER = Comparator
            .comparing((ShareGroupRecord record) -> record.memberId() == null)
            .thenComparing(ShareGroupRecord::memberId, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(ShareGroupRecord::part, Comparator.reverseOrder());
    /** The parts of a change go in Kafka's order: members' metadata, group epoch, targets, their epoch, current. */
    private static final Comparator<ShareGroupRecord> WRITE_ORDER = Comparator.comparing(ShareGroupRecord::part)
            .thenComparing(ShareGroupRecord::memberId, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final String groupId;
    private final Map<Key, ShareGroupRecord> parts = new LinkedHashMap<>();

    public ShareGroupParts(String groupId) {
        this.groupId = groupId;
    }

    public String groupId() {
        return groupId;
    }

    /** Applies one record of this group: replayed from the topic, or just written to it. */
    public void apply(ShareGroupRecord record) {
        if (!record.groupId().equals(groupId)) {
            throw new IllegalArgumentException("a record of share group " + record.groupId() + " applied to "
                    + groupId);
        }
        Key key = new Key(record.part(), record.memberId());
        if (!(record instanceof ShareGroupRecord.Removed)) {
            parts.put(key, record);
        } else if (record.part() == ShareGroupRecord.Part.GROUP_EPOCH) {
            parts.clear();
        } else {
            parts.remove(key);
        }
    }

    /** Whether a group is left: its epoch record stands. */
    public boolean exists() {
        return parts.containsKey(new Key(ShareGroupRecord.Part.GROUP_EPOCH, null));
    }

    /** The records that stand, in the order they were applied. */
    public List<ShareGroupRecord> records() {
        return List.copyOf(parts.values());
    }

    /**
     * The records that bring the topic from what it holds to {@code now}, all of the group's parts as it is: the
     * tombstones of parts gone, then the parts that changed, each in Kafka's order.
     */
    List<ShareGroupRecord> changesTo(List<ShareGroupRecord> now) {
        Map<Key, ShareGroupRecord> wanted = new LinkedHashMap<>();
        now.forEach(record -> wanted.put(new Key(record.part(), record.memberId()), record));
        List<ShareGroupRecord> gone = new ArrayList<>();
        parts.keySet().stream().filter(key -> !wanted.containsKey(key))
                .forEach(key -> gone.add(new ShareGroupRecord.Removed(key.part(), groupId, key.memberId())));
        gone.sort(TOMBSTONE_ORDER);
        List<ShareGroupRecord> changed = new ArrayList<>(wanted.values().stream()
                .filter(record -> !record.equals(parts.get(new Key(record.part(), record.memberId())))).toList());
        changed.sort(WRITE_ORDER);
        gone.addAll(changed);
        return gone;
    }

    /** Tombstones for all the topic holds of the group: it is deleted. */
    List<ShareGroupRecord> removal() {
        return changesTo(List.of());
    }
}
