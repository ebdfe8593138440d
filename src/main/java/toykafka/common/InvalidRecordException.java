package toykafka.common;

import java.util.List;

/**
 * A record the topic does not take whatever its size: one that carries nothing, or one without a key on a
 * compacted topic. Kafka's broker answers INVALID_RECORD.
 */
public class InvalidRecordException extends ApiException {

    private final List<RecordError> recordErrors;

    public InvalidRecordException(String message) {
        this(message, List.of());
    }

    /** A batch refused for these of its records ({@link RecordErrors}). */
    public InvalidRecordException(String message, List<RecordError> recordErrors) {
        super(Errors.INVALID_RECORD, message);
        this.recordErrors = List.copyOf(recordErrors);
    }

    /** The records of the batch this refusal is about, by their place in it; empty when it names none. */
    public List<RecordError> recordErrors() {
        return recordErrors;
    }
}
