package toykafka.broker;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import toykafka.common.Errors;
import toykafka.common.InvalidRequestException;
import toykafka.common.OffsetRecord;
import toykafka.storage.BatchLog;

/** ListOffsets' lookups in one log, up to the end a reader may see. */
final class PartitionOffsets {

    /** ListOffsets' timestamp for the log start offset. */
    static final long EARLIEST = -2;
    /** ListOffsets' timestamp for the end. */
    static final long LATEST = -1;
    /** ListOffsets' timestamp for the record with the largest timestamp (Kafka's MAX_TIMESTAMP). */
    static final long MAX_TIMESTAMP = -3;

    private PartitionOffsets() {
    }

    // tag::list-offsets[]
    /**
     * The offset {@code timestamp} asks for (see {@link Partitions#listOffsets}), with {@code end} as the
     * log's end: the end offset, or the last stable offset for a {@code read_committed} reader, to whom a
     * record at or past it does not exist yet.
     */
    static OffsetAnswer list(BatchLog log, long timestamp, long end) {
        if (timestamp == EARLIEST) {
            return new OffsetAnswer(Errors.NONE, null, log.earliest(), -1);
        }
        if (timestamp == LATEST) {
            return new OffsetAnswer(Errors.NONE, null, end, -1);
        }
        if (timestamp == MAX_TIMESTAMP) {
            return log.recordWithMaxTimestamp()
                    .filter(found -> found.offset() < end)
                    .map(found -> new OffsetAnswer(Errors.NONE, null, found.offset(),
                            found.record().timestamp().toEpochMilli()))
                    .orElse(none());
        }
        if (timestamp < 0) {
            throw new InvalidRequestException("a ListOffsets timestamp is -3 (max timestamp), -2 (earliest),"
                    + " -1 (latest) or a time in milliseconds since 1970, 0 or more; was " + timestamp);
        }
        OptionalLong offset = log.offsetForTime(Instant.ofEpochMilli(timestamp));
        if (offset.isEmpty() || offset.getAsLong() >= end) {
            return none();
        }
        List<OffsetRecord> found = log.readBatchWithOffsets(offset.getAsLong(), 1);
        long stamped = found.isEmpty() ? -1 : found.get(0).record().timestamp().toEpochMilli();
        return new OffsetAnswer(Errors.NONE, null, offset.getAsLong(), stamped);
    }
    // end::list-offsets[]

    private static OffsetAnswer none() {
        return new OffsetAnswer(Errors.NONE, null, -1, -1);
    }
}
