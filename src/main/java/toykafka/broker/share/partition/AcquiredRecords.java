package toykafka.broker.share.partition;

/**
 * A run of records handed to one member by a share fetch, and how many times they have now been delivered
 * (Kafka's {@code AcquiredRecords} of the ShareFetch response).
 */
public record AcquiredRecords(long firstOffset, long lastOffset, int deliveryCount) {

    public long count() {
        return lastOffset - firstOffset + 1;
    }
}
