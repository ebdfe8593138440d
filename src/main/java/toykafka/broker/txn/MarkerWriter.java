package toykafka.broker.txn;

import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/** Writes one transaction marker to one partition: the broker's data path, for the coordinator. */
@FunctionalInterface
public interface MarkerWriter {

    /** What became of a marker: written ({@code NONE}), or refused and why. */
    record Written(Errors error, String message) {
    }

    /** Appends a COMMIT or ABORT marker for the producer's transaction to {@code partition}. */
    Written write(TopicPartition partition, long producerId, short epoch, boolean commit);
}
