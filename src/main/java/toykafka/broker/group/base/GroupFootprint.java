package toykafka.broker.group.base;

/**
 * What one group is counted for in the coordinator's memory: the group itself, its members and the ids it
 * handed out, charged to whoever made it grow. Its committed offsets count themselves ({@link GroupOffsets}).
 * Guarded by its group's lock.
 */
final class GroupFootprint {

    private final Charges charges;
    private final long groupBytes;

    GroupFootprint(CoordinatorMemory memory, String groupId) {
        this.charges = new Charges(memory);
        this.groupBytes = CoordinatorMemory.GROUP_BYTES + groupId.length();
    }

    /** What the group itself would add: nothing, unless a call is making it now. */
    long ifMade() {
        return charges.total() == 0 ? groupBytes : 0;
    }

    /** Tells the coordinator's memory what the group takes now, with members taking {@code memberBytes}. */
    void settle(long memberBytes, Owners causedBy) {
        charges.settle(groupBytes + memberBytes, causedBy);
    }

    /** The group is gone: it takes nothing. */
    void release() {
        charges.releaseAll();
    }
}
