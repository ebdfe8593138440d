package toykafka.common;

import java.util.List;

/**
 * A record the topic does not take whatever its size: one that carries nothing, or one without a key on a
 * compacted topic. Kafka's broker answers INVALID_RECORD.
 */
public class InvalidRecordException extends RefusedBatchException {

    public InvalidRecordException(String message) {
        this(message, List.of());
    }

    /** A batch refused for these of its records ({@link RecordErrors}). */
    public InvalidRecordException(String message, List<RecordError> recordErrors) {
        super(Errors.INVALID_RECORD, message, recordErrors);
    }
}
