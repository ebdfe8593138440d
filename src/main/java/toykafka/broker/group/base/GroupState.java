package toykafka.broker.group.base;

/**
 * Where a group is in its life, under the names Kafka's classic group coordinator gives the states
 * ({@code ClassicGroupState}). A group moves Empty → PreparingRebalance (waiting for its members to join)
 * → CompletingRebalance (waiting for the leader's assignment) → Stable, and back to PreparingRebalance
 * whenever a member joins, leaves or falls silent. Dead is a group that was deleted.
 */
public enum GroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String kafkaName;

    GroupState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** The name DescribeGroups and ListGroups send. */
    public String kafkaName() {
        return kafkaName;
    }

    @Override
    public String toString() {
        return kafkaName;
    }
}
