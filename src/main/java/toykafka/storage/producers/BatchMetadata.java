package toykafka.storage.producers;

import toykafka.common.RecordBatch;

/**
 * What the broker remembers of one batch an idempotent producer wrote to a partition: enough to know a
 * retry of it, and to answer that retry as the first append was answered. Kafka's {@code BatchMetadata}.
 *
 * @param firstSeq     the batch's base sequence
 * @param lastSeq      its last record's sequence
 * @param baseOffset   the offset its first record got
 * @param lastOffset   the offset of its last record
 * @param maxTimestamp its max timestamp as stored: with LogAppendTime, the time the log stamped on it
 */
public record BatchMetadata(int firstSeq, int lastSeq, long baseOffset, long lastOffset, long maxTimestamp) {

    /** The metadata of a batch as it lies in the log, offsets and stamp given. */
    static BatchMetadata of(RecordBatch stored) {
        return new BatchMetadata(stored.baseSequence(), stored.lastSequence(), stored.baseOffset(),
                stored.lastOffset(), stored.maxTimestamp());
    }

    /** Whether {@code batch} carries the same sequences: a retry of this one, if its epoch is the same too. */
    boolean sameSequences(RecordBatch batch) {
        return batch.baseSequence() == firstSeq && batch.lastSequence() == lastSeq;
    }
}
