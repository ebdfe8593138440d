package toykafka.broker.share;

/**
 * A share partition's refusal (Kafka throws {@code InvalidRecordStateException}, {@code InvalidRequestException} or
 * {@code GroupNotEmptyException}): its Kafka error and a message naming the records and why.
 */
public final class SharePartitionException extends RuntimeException {

    private final ShareError error;

    public SharePartitionException(ShareError error, String message) {
        super(message);
        this.error = error;
    }

    public ShareError error() {
        return error;
    }
}
