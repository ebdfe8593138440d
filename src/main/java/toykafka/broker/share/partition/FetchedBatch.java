package toykafka.broker.share.partition;

/**
 * One record batch a share fetch read from the log, described, not carried: the partition decides who gets which
 * records and never reads the log itself. {@code aborted} says the batch belongs to an aborted transaction, which
 * a read_committed group archives without delivering.
 */
public record FetchedBatch(long baseOffset, long lastOffset, boolean aborted) {

    public FetchedBatch {
        if (baseOffset < 0 || lastOffset < baseOffset) {
            throw new IllegalArgumentException("A fetched batch runs from a base offset of 0 or more to a last offset"
                    + " no less than it; got " + baseOffset + " to " + lastOffset);
        }
    }

    /** A batch of committed or non-transactional records. */
    public static FetchedBatch of(long baseOffset, long lastOffset) {
        return new FetchedBatch(baseOffset, lastOffset, false);
    }
}
