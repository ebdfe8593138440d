package toykafka.storage;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.common.TopicConfig;
import toykafka.common.TopicMetadata;
import toykafka.common.TopicPartition;

/**
 * The broker's storage when it keeps nothing ({@code storage=memory}): every partition a {@link MemoryBatchLog},
 * no topic remembered, nothing written to disk.
 */
public final class MemoryBatchLogStorage implements BatchLogStorage {

    private final Clock clock;

    public MemoryBatchLogStorage(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public SortedMap<String, TopicMetadata> storedTopics() {
        return new TreeMap<>();
    }

    @Override
    public void saveTopic(TopicMetadata topic) {
        // nothing outlives the process, so there is nothing to remember
    }

    @Override
    public BatchLog openLog(TopicPartition partition, TopicConfig config) {
        return new MemoryBatchLog(config, clock);
    }

    @Override
    public List<BatchLog> openBatchLogs(List<TopicPartition> partitions, Map<String, TopicConfig> configs) {
        List<BatchLog> logs = new ArrayList<>(partitions.size());
        for (TopicPartition partition : partitions) { // opening memory cannot fail part-way
            logs.add(openLog(partition, configs.get(partition.topic())));
        }
        return logs;
    }

    @Override
    public void deleteTopic(TopicMetadata topic) {
        // the logs were the only copy, and the registry has dropped them
    }

    @Override
    public String location() {
        return "memory";
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "MemoryBatchLogStorage";
    }
}
