package toykafka.common;

/**
 * A record the topic does not take whatever its size: one that carries nothing, or one without a key on a
 * compacted topic. Kafka's broker answers INVALID_RECORD.
 */
public class InvalidRecordException extends ApiException {

    public InvalidRecordException(String message) {
        super(Errors.INVALID_RECORD, message);
    }
}
