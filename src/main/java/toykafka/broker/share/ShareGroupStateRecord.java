package toykafka.broker.share;

/**
 * One record of {@code __share_group_state} (Kafka's share coordinator writes a ShareSnapshot or a ShareUpdate record
 * per share partition): the partition and its value; a null value is a tombstone, the state of a deleted share group
 * or topic, which Kafka keys as a snapshot.
 */
public record ShareGroupStateRecord(SharePartitionKey key, ShareStateValue value) {

    public ShareGroupStateRecord {
        if (key == null) {
            throw new IllegalArgumentException("A record of __share_group_state needs its share partition key");
        }
    }

    public static ShareGroupStateRecord tombstone(SharePartitionKey key) {
        return new ShareGroupStateRecord(key, null);
    }

    public boolean isTombstone() {
        return value == null;
    }
}
