package toykafka.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import toykafka.common.LogStorage;
import toykafka.common.RecordLog;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;

/**
 * Lesson 4's storage as the broker needs it: every log it opens is a {@link BatchLog}, said by the types, so the
 * broker never has to ask what kind of log it was given. Kafka's {@code LogManager} hands out {@code UnifiedLog}s.
 */
public interface BatchLogStorage extends LogStorage {

    @Override
    BatchLog openLog(TopicPartition partition, TopicConfig config);

    /** Opens the logs of {@code partitions}, in their order; a failure closes those already open. */
    List<BatchLog> openBatchLogs(List<TopicPartition> partitions, Map<String, TopicConfig> configs);

    @Override
    default List<RecordLog> openLogs(List<TopicPartition> partitions, Map<String, TopicConfig> configs) {
        return new ArrayList<>(openBatchLogs(partitions, configs));
    }
}
