package toykafka.broker;

import java.util.List;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.RecordError;

/**
 * One partition's answer to an append (Kafka's {@code PartitionResponse}): an error, or the offset the
 * first record got, the time the log stamped on it (-1 unless the topic uses LogAppendTime), and the
 * log start offset. A batch refused for its records names each of them ({@code recordErrors}).
 */
public record AppendResult(Errors error, String message, long baseOffset, long logAppendTime, long logStartOffset,
                           List<RecordError> recordErrors) {

    public AppendResult {
        recordErrors = List.copyOf(recordErrors);
    }

    public AppendResult(Errors error, String message, long baseOffset, long logAppendTime, long logStartOffset) {
        this(error, message, baseOffset, logAppendTime, logStartOffset, List.of());
    }

    public boolean written() {
        return error == Errors.NONE;
    }

    static AppendResult refused(ApiException e) {
        return new AppendResult(e.error(), e.getMessage(), -1, -1, -1);
    }

    /** A batch the log refused for some of its records: each named, with the log start offset, as Kafka answers. */
    static AppendResult refusedRecords(ApiException e, List<RecordError> recordErrors, long logStartOffset) {
        return new AppendResult(e.error(), e.getMessage(), -1, -1, logStartOffset, recordErrors);
    }
}
