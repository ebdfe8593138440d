package toykafka.common;

/**
 * A call the group cannot take while it rebalances: its members are rejoining, or waiting for the leader's
 * assignment. The member rejoins, then tries again in the new generation. Kafka's coordinator answers
 * with an error of this name.
 */
public class RebalanceInProgressException extends ApiException {

    public RebalanceInProgressException(String message) {
        super(Errors.REBALANCE_IN_PROGRESS, message);
    }

    public static RebalanceInProgressException of(String groupId, String memberId) {
        return new RebalanceInProgressException("group '" + groupId + "' is rebalancing, so member '" + memberId
                + "' cannot commit now: rejoin, then commit in the new generation");
    }
}
