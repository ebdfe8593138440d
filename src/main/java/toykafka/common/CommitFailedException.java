package toykafka.common;


/**
 * A commit the group will not take, because the committer does not own the partition (any more). After
 * a rebalance, only the new owner may say how far the group has read. Kafka's consumer throws this name.
 */
public class CommitFailedException extends ApiException {

    public CommitFailedException(String message) {
        super(Errors.ILLEGAL_GENERATION, message);
    }

    /** @param owner the member that owns the partition now, or null if no member does */
    public static CommitFailedException notOwner(String groupId, String memberId, TopicPartition partition,
                                                 String owner, int generation) {
        return new CommitFailedException("member '" + memberId + "' of group '" + groupId + "' cannot commit "
                + partition + ": in generation " + generation + " it belongs to "
                + (owner == null ? "no member" : "'" + owner + "'") + ", and only a partition's owner may commit it");
    }

    public static CommitFailedException rebalanced(String groupId, String memberId, int polledIn, int now) {
        return new CommitFailedException("member '" + memberId + "' of group '" + groupId + "' cannot commit: the"
                + " group rebalanced (generation " + polledIn + " to " + now + ") since it last polled; poll again,"
                + " and what it read but did not commit will be read again");
    }
}
