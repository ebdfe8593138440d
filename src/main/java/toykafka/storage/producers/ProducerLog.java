package toykafka.storage.producers;

import java.nio.ByteBuffer;
import toykafka.common.FetchedBatches;

/**
 * What a partition's producer state reads of its log: where the log starts and ends, and its batches, whose
 * headers a rebuild replays. Every {@code BatchLog} is one.
 */
public interface ProducerLog {

    /** The log start offset. */
    long earliest();

    /** The offset the next record will get. */
    long endOffset();

    /** Whole stored batches from the one holding {@code fromOffset} on, as many as fit in {@code into}. */
    FetchedBatches fetch(long fromOffset, ByteBuffer into);
}
