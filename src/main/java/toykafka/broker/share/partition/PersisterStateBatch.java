package toykafka.broker.share.partition;

/**
 * A run of in-flight records sharing a state and a delivery count, as {@code __share_group_state} keeps them
 * (Kafka's {@code PersisterStateBatch}, the StateBatches of its ShareSnapshot and ShareUpdate records).
 *
 * @param deliveryState the state's id: {@link RecordState#id()}
 */
public record PersisterStateBatch(long firstOffset, long lastOffset, byte deliveryState, short deliveryCount) {

    public PersisterStateBatch(long firstOffset, long lastOffset, RecordState state, int deliveryCount) {
        this(firstOffset, lastOffset, state.id(), (short) deliveryCount);
    }

    public RecordState state() {
        return RecordState.forId(deliveryState);
    }
}
