package toykafka.broker.group.share;

/**
 * What the share partitions hear from the group coordinator: a group deleted, whose share state goes with it. Not a
 * member's leaving: in Kafka the share partitions never hear of membership, and a member's records go back when its
 * share session ends, which the share partitions see for themselves.
 */
public interface ShareGroupListener {

    /** Hears nothing: the coordinator's own until the broker listens. */
    ShareGroupListener NONE = groupId -> {
    };

    /** The group was deleted, with all it had read. */
    void onGroupDeleted(String groupId);
}
