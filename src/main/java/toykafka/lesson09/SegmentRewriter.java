package toykafka.lesson09;

import toykafka.common.RecordBatch;

/**
 * What the log cleaner does to each batch of the segments {@link SegmentSwap#rewrite} rewrites: in Kafka, the
 * decision {@code Cleaner.cleanInto} makes record by record.
 */
public interface SegmentRewriter {

    /** The batch as it stays: itself, or a copy holding fewer records; it must cover the same offsets. */
    RecordBatch rewrite(RecordBatch batch);

    /** Called when the new segment is written and forced, before it is swapped in: the last moment to refuse. */
    default void beforeSwap() {
    }
}
