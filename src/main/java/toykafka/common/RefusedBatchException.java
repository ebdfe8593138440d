package toykafka.common;

import java.util.List;

/**
 * A batch a topic's rules refuse, naming the records they refused by their place in it, as Kafka's produce
 * answer does for INVALID_RECORD and INVALID_TIMESTAMP alike: the two errors differ in name and code only.
 */
public abstract class RefusedBatchException extends ApiException {

    private final List<RecordError> recordErrors;

    protected RefusedBatchException(Errors error, String message, List<RecordError> recordErrors) {
        super(error, message);
        this.recordErrors = List.copyOf(recordErrors);
    }

    /** The records of the batch this refusal is about, by their place in it; empty when it names none. */
    public List<RecordError> recordErrors() {
        return recordErrors;
    }
}
