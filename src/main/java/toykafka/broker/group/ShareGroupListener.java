package toykafka.broker.group;

/**
 * What the share partitions hear from the group coordinator (Kafka's {@code ShareGroupListener}): a member gone, whose
 * acquired records go back to the others, and a group deleted, whose share state goes with it.
 */
public interface ShareGroupListener {

    /** Hears nothing: the coordinator's own until the broker listens. */
    ShareGroupListener NONE = new ShareGroupListener() {
        @Override
        public void onMemberLeave(String groupId, String memberId) {
        }

        @Override
        public void onGroupDeleted(String groupId) {
        }
    };

    /** The member left its group, or was fenced when its session ran out. */
    void onMemberLeave(String groupId, String memberId);

    /** The group was deleted, with all it had read. */
    void onGroupDeleted(String groupId);
}
