package toykafka.broker.share.partition;

/**
 * How much one share fetch may acquire: ShareFetch's MaxRecords and BatchSize and the consumer's acquire mode.
 *
 * @param maxRecords the records wanted; a hard limit only under RECORD_LIMIT
 * @param batchSize  the size the acquired runs are cut at, where the log's batches allow
 */
public record ShareFetchLimits(ShareAcquireMode mode, int maxRecords, int batchSize) {

    public ShareFetchLimits {
        if (mode == null) {
            throw new IllegalArgumentException("The share acquire mode is batch_optimized or record_limit, not null");
        }
        if (maxRecords < 0) {
            throw new IllegalArgumentException("MaxRecords must be 0 or more, got " + maxRecords);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("BatchSize must be at least 1, got " + batchSize);
        }
    }

    /** Kafka's consumer defaults: 500 records, in runs of 500, whole batches. */
    public static ShareFetchLimits defaults() {
        return new ShareFetchLimits(ShareAcquireMode.BATCH_OPTIMIZED, 500, 500);
    }
}
