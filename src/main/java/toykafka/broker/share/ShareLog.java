package toykafka.broker.share;

import java.time.Duration;
import java.util.List;
import toykafka.common.Errors;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;

/**
 * The partitions' logs as share groups use them: where a log starts and ends, a read of one partition now, a wait for
 * the next append, and the dead letters' appends. The broker's data path is behind it, as Kafka's share partitions
 * read and its dead-letter queue writes through the {@code ReplicaManager}, so what they do is counted and wakes the
 * reads parked on a partition like any fetch or produce.
 */
public interface ShareLog {

    /** ListOffsets' timestamp for the log start offset. */
    long EARLIEST = -2;
    /** ListOffsets' timestamp for the end offset. */
    long LATEST = -1;

    /** ListOffsets' answer for one partition: an offset (-1 for none), or why the partition has none. */
    record Offset(Errors error, String message, long offset) {
    }

    /**
     * One partition's read: an error, or whole stored batches from the offset asked for on, with the high watermark,
     * the last stable offset and, for a {@code read_committed} read, which of the batches hold aborted transactions'
     * records (the very instances of {@code batches}).
     */
    record Read(Errors error, String message, List<RecordBatch> batches, long highWatermark, long lastStableOffset,
                List<RecordBatch> aborted) {
    }

    /** What became of an append: written ({@code NONE}), or refused and why. */
    record Appended(Errors error, String message) {
    }

    /**
     * ListOffsets for one partition: {@link #EARLIEST}, {@link #LATEST}, or a time in milliseconds for the first offset
     * stamped at or after it.
     */
    Offset listOffsets(TopicPartition partition, long timestamp);

    /** Reads up to {@code maxBytes} of the partition from {@code offset} now, without waiting. */
    Read read(TopicPartition partition, long offset, int maxBytes, boolean readCommitted);

    /**
     * Runs {@code onAppend} once, when an append lands on any of the partitions or {@code maxWait} has passed. Returns
     * a handle that runs it at once and stops the wait.
     */
    Runnable awaitAppend(List<TopicPartition> watched, Duration maxWait, Runnable onAppend);

    /**
     * Runs {@code action}, the waking of parked share fetches, once the request being handled on this thread has been
     * answered, or at once outside one: Kafka's {@code ReplicaManager.addToActionQueue}.
     */
    void addToActionQueue(Runnable action);

    /**
     * Appends the records to the partition as one batch with no producer, as a client's produce would.
     *
     * @throws toykafka.common.ApiException when the topic may not be written at all
     */
    Appended append(TopicPartition partition, List<Record> records);
}
