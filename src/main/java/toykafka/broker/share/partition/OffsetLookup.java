package toykafka.broker.share.partition;

/**
 * The partition's log, asked where share.auto.offset.reset starts a new share partition: Kafka asks the same three
 * questions of ListOffsets (earliest, latest, and by timestamp).
 */
public interface OffsetLookup {

    /** The log start offset. */
    long earliestOffset();

    /** The offset the next record will take (the high watermark). */
    long latestOffset();

    /** The first offset whose record has a timestamp at or after this one, or the latest offset if none has. */
    long offsetForTimestamp(long timestampMs);
}
