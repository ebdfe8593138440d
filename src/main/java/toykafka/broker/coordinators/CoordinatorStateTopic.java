package toykafka.broker.coordinators;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import toykafka.common.CorruptRecordException;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordLog;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;
import toykafka.lesson04.TopicRegistry;

/**
 * The one partition of a compacted topic of the broker's own that a coordinator keeps its state in, as the
 * transaction and share coordinators' stores do: made at the first write, written a record at a time through the
 * coordinators' one {@link PartitionWriter}, fsynced before the write returns, and read back from its start when
 * the coordinator loads (Kafka's {@code CoordinatorLoader}).
 */
final class CoordinatorStateTopic {

    private final String topic;
    private final String recordName;
    private final TopicPartition partition;
    private final TopicRegistry topics;
    private final PartitionWriter writer;
    private final Clock clock;
    private final int segmentBytes;

    /** @param recordName what one record holds, for the error a record this broker could not have written raises */
    CoordinatorStateTopic(String topic, String recordName, TopicRegistry topics, PartitionWriter writer, Clock clock,
                          int segmentBytes) {
        this.topic = topic;
        this.recordName = recordName;
        this.partition = new TopicPartition(topic, 0);
        this.topics = topics;
        this.writer = writer;
        this.clock = clock;
        this.segmentBytes = segmentBytes;
    }

    /** Appends one record stamped now, the topic made first if it is not there; a null value is a tombstone. */
    void append(byte[] key, byte[] value) {
        ensureTopic();
        writer.append(partition, List.of(new Record(key, value, Instant.ofEpochMilli(clock.millis()), List.of())));
    }

    private synchronized void ensureTopic() {
        InternalTopics.ensure(topics, topic, TopicConfig.of(InternalTopics.coordinatorLog(segmentBytes)));
    }

    /**
     * Hands every record from the topic's start to {@code replay}, in offset order; none if the topic was never made.
     * A record {@code replay} cannot decode stops the load with a {@link CorruptRecordException} naming its offset.
     */
    void replay(Consumer<Record> replay) {
        if (!topics.listTopics().contains(topic)) {
            return;
        }
        RecordLog log = topics.log(topic, 0);
        long offset = log.earliest();
        while (offset < log.endOffset()) {
            List<OffsetRecord> batch = log.readBatchWithOffsets(offset, 1000);
            if (batch.isEmpty()) {
                break;
            }
            for (OffsetRecord read : batch) {
                try {
                    replay.accept(read.record());
                } catch (IllegalArgumentException | CorruptRecordException e) {
                    throw new CorruptRecordException("record " + read.offset() + " of " + topic + " is not a "
                            + recordName + " this broker wrote (" + e.getMessage() + ")");
                }
                offset = read.offset() + 1;
            }
        }
    }
}
