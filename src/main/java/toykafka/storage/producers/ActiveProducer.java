package toykafka.storage.producers;

/**
 * A producer as one partition knows it (Kafka's DescribeProducers): its epoch, the last sequence and
 * timestamp of its batches here, and where its open transaction began (-1 when none is open).
 */
public record ActiveProducer(long producerId, short epoch, int lastSequence, long lastTimestamp,
                             long transactionStartOffset) {
}
