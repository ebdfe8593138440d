package toykafka.broker.share.partition;

import toykafka.common.Errors;

/**
 * A share partition's refusal (Kafka throws {@code InvalidRecordStateException}, {@code InvalidRequestException} or
 * {@code GroupNotEmptyException}): its Kafka error and a message naming the records and why.
 */
public final class SharePartitionException extends RuntimeException {

    private final Errors error;

    public SharePartitionException(Errors error, String message) {
        super(message);
        this.error = error;
    }

    public Errors error() {
        return error;
    }
}
