package toykafka.storage.producers;

import toykafka.common.TopicPartition;

/**
 * A producer as one partition knows it (Kafka's DescribeProducers): its epoch, the last sequence and
 * timestamp of its batches here, and where its open transaction began (-1 when none is open).
 */
public record ActiveProducer(long producerId, short epoch, int lastSequence, long lastTimestamp,
                             long transactionStartOffset) {

    /**
     * Refuses a marker for this producer under a transaction version whose coordinator bumps the epoch as it ends a
     * transaction (KIP-890's second part): the marker's epoch must be newer than the producer's here, or the same
     * one with no transaction open (a retried marker), or the last epoch there is; INVALID_PRODUCER_EPOCH otherwise,
     * in the words of Kafka's {@code ProducerAppendInfo.checkProducerEpoch}. An older epoch is refused under every
     * version, as the marker is written.
     */
    public void checkMarkerUnderEpochBumps(short markerEpoch, TopicPartition partition, int transactionVersion) {
        boolean retried = markerEpoch == epoch && (transactionStartOffset < 0 || markerEpoch == Short.MAX_VALUE);
        if (markerEpoch <= epoch && !retried) {
            throw ProducerStateException.fencedEpoch("Epoch of producer " + producerId + " in " + partition + " is "
                    + markerEpoch + ", which is <= the last seen epoch " + epoch + " (TV" + transactionVersion + ")");
        }
    }
}
