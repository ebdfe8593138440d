package toykafka.broker.group;

/**
 * What one group is counted for in the coordinator's memory: the group itself, its members and the ids it
 * handed out. Its committed offsets count themselves ({@link GroupOffsets}). Guarded by its group's lock.
 */
final class GroupFootprint {

    private final CoordinatorMemory memory;
    private final long groupBytes;
    /** What the group took when the coordinator's memory was last told; 0 before the first time. */
    private long accounted;

    GroupFootprint(CoordinatorMemory memory, String groupId) {
        this.memory = memory;
        this.groupBytes = CoordinatorMemory.GROUP_BYTES + groupId.length();
    }

    /** What the group itself would add: nothing, unless a call is making it now. */
    long ifMade() {
        return accounted == 0 ? groupBytes : 0;
    }

    /** Tells the coordinator's memory what the group takes now, with members taking {@code memberBytes}. */
    void settle(long memberBytes) {
        long now = groupBytes + memberBytes;
        memory.add(now - accounted);
        accounted = now;
    }

    /** The group is gone: it takes nothing. */
    void release() {
        memory.add(-accounted);
        accounted = 0;
    }
}
