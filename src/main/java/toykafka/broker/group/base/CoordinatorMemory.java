package toykafka.broker.group.base;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap the coordinator's state takes, estimated, against {@code group.coordinator.memory.max.bytes}: the
 * groups, their committed offsets with their metadata, the ids they handed out, and their members with the
 * protocols they offered and the assignments they were given. Kafka bounds none of it: a flood of commits to new groups, each with 4 KiB of metadata per
 * partition, fills its heap, and a broker whose offsets no longer fit in its heap cannot load them again at
 * start. Here a commit or a join that would grow the state past the bound is refused, so what the offsets
 * topic holds always fits in the heap it was written from; a commit that only moves offsets already kept, and
 * a member joining again as it was, are always taken.
 *
 * <p>Each byte of growth is charged to the owners that caused it ({@link Owners}), none of which may hold more
 * than its share ({@link OwnerShares}), and credited back to them when it is given back. Nothing is ever deleted
 * to make room: committed offsets go only as Kafka lets them go (retention, DeleteGroups, OffsetDelete). What is
 * loaded at start is charged to the client each offset's record names ({@link Committer}), so an owner at its
 * share stays at it across restarts; only records that name nobody, written before they did, and the groups'
 * members are charged to the total alone. Thread-safe.
 */
public final class CoordinatorMemory {

    /**
     * What one committed partition costs beyond its strings: the entries of the group's maps, the partition,
     * the offset and the time it was committed. Measured on a 64-bit JVM by the heap after GC: 133 bytes a
     * partition with no metadata, 320 with 100 characters of it; these round both up, with 40 more for the entry
     * that says whom the offset was charged to.
     */
    static final int OFFSET_BYTES = 190;
    /** What a metadata string and its map entry cost beyond its characters. */
    static final int METADATA_BYTES = 100;
    /** What a member costs beyond its ids and protocols: the member, its map entry, the futures it waits on. */
    public static final int MEMBER_BYTES = 400;
    /** What each protocol a member offers costs beyond its name and metadata. */
    public static final int PROTOCOL_BYTES = 60;
    /** What each partition a consumer group's member owns, gives up or is aimed at costs: a boxed int in a set. */
    public static final int PARTITION_BYTES = 40;
    /** What a group costs with no member and no offset: the group, its maps, its entry in the coordinator's. */
    public static final int GROUP_BYTES = 500;
    /** What an id handed out and not yet used to join costs: its entry, the id, when it lapses. */
    public static final int PENDING_ID_BYTES = 150;

    private final long max;
    private final AtomicLong used = new AtomicLong();
    private final OwnerShares shares;

    public CoordinatorMemory(long max) {
        this.max = max;
        this.shares = new OwnerShares(max);
    }

    /** The estimated bytes of one partition's committed offset, with its topic name and metadata string. */
    public static long offsetBytes(String topic, String metadata) {
        return OFFSET_BYTES + topic.length() + (metadata.isEmpty() ? 0 : METADATA_BYTES + metadata.length());
    }

    /** The length of a string that may be absent. */
    public static int length(String text) {
        return text == null ? 0 : text.length();
    }

    /**
     * Why the state may not grow by {@code bytes} for {@code owners}, or null if it may: an owner would pass its
     * share ({@link OwnerShares}), or the state the bound. Two groups committing at once may both be admitted, so
     * the bound and the shares may be passed by what commits under way add.
     */
    public String refusal(long bytes, Owners owners) {
        if (bytes <= 0) {
            return null;
        }
        String over = shares.overShare(bytes, owners);
        if (over != null) {
            return over;
        }
        return used.get() + bytes <= max ? null : fullMessage(bytes);
    }

    /** The state grew by {@code bytes}, caused by {@code owners}: taken even past the bound, as a replay must be. */
    void charge(long bytes, Owners owners) {
        used.addAndGet(bytes);
        shares.add(bytes, owners);
    }

    /** The state shrank by {@code bytes}, each owner named credited back what it was charged of them. */
    void credit(long bytes, Map<Owner, Long> credited) {
        used.addAndGet(-bytes);
        shares.credit(credited);
    }

    /** The state shrank by {@code bytes} that were charged to {@code owners}. */
    void credit(long bytes, Owners owners) {
        used.addAndGet(-bytes);
        shares.add(-bytes, owners);
    }

    /** What each owner holds, and which are at their share. */
    public OwnerShares shares() {
        return shares;
    }

    private String fullMessage(long growth) {
        return "the coordinator's groups take about " + used() + " bytes, and " + growth + " more would pass "
                + GroupConfig.MEMORY_MAX_BYTES + "=" + max + "; offsets already kept still move, and members"
                + " already in still join again";
    }

    public long used() {
        return used.get();
    }

    long max() {
        return max;
    }
}
