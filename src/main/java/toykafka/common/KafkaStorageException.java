package toykafka.common;

/**
 * The disk under a log failed (a write, an fsync, a file that will not open), so the log is offline until
 * it is opened again. Kafka's broker answers KAFKA_STORAGE_ERROR and clients retry, perhaps elsewhere.
 */
public class KafkaStorageException extends ApiException {

    public KafkaStorageException(String message, Throwable cause) {
        super(Errors.KAFKA_STORAGE_ERROR, message, cause);
    }
}
