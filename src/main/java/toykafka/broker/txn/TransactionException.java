package toykafka.broker.txn;

import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/** A transaction request the coordinator refuses, under Kafka's code for it, with what went wrong. */
public class TransactionException extends ApiException {

    TransactionException(Errors error, String message) {
        super(error, message);
    }

    /** Partitions a producer added to its transaction that the broker does not have: none of them is added. */
    public static final class UnknownPartitions extends TransactionException {

        private final SortedSet<TopicPartition> unknown;

        UnknownPartitions(Set<TopicPartition> unknown) {
            super(Errors.UNKNOWN_TOPIC_OR_PARTITION, "the broker has no partition " + new TreeSet<>(unknown)
                    + ": nothing was added to the transaction");
            this.unknown = new TreeSet<>(unknown);
        }

        /** The partitions that do not exist; the others were not attempted. */
        public SortedSet<TopicPartition> unknown() {
            return unknown;
        }
    }
}
