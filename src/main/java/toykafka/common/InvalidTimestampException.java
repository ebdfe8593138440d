package toykafka.common;

import java.time.Instant;
import java.util.List;

/** A timestamp Kafka's records cannot carry. Kafka's broker answers INVALID_TIMESTAMP. */
public class InvalidTimestampException extends RefusedBatchException {

    /** The earliest timestamp a record can carry: Kafka's timestamps are milliseconds since 1970, never negative. */
    public static final Instant EARLIEST = Instant.EPOCH;
    /** The latest: the largest number of milliseconds a 64-bit field holds. */
    public static final Instant LATEST = Instant.ofEpochMilli(Long.MAX_VALUE);

    public InvalidTimestampException(String message) {
        this(message, List.of());
    }

    /** A batch refused for these of its records, a timestamp among the reasons ({@link RecordErrors}). */
    public InvalidTimestampException(String message, List<RecordError> recordErrors) {
        super(Errors.INVALID_TIMESTAMP, message, recordErrors);
    }

    /**
     * Returns the timestamp if a record can carry it, or refuses it naming the range. {@link Record#NO_TIMESTAMP}
     * passes: it is how a record says it has no time, as Kafka's -1 does.
     */
    public static Instant requireValid(Instant timestamp) {
        if ((timestamp.isBefore(EARLIEST) || timestamp.isAfter(LATEST)) && !timestamp.equals(Record.NO_TIMESTAMP)) {
            throw new InvalidTimestampException("the timestamp " + timestamp + " cannot be stored: a record's"
                    + " timestamp is milliseconds since 1970 in 64 bits, from " + EARLIEST + " to " + LATEST
                    + ", or -1 ms for none");
        }
        return timestamp;
    }
}
