package toykafka.storage;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import toykafka.common.MemoryStorage;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;

/**
 * The broker's storage when it keeps nothing ({@code storage=memory}): lesson 4's storage in memory, no topic
 * remembered and nothing written to disk, with every partition a {@link MemoryBatchLog}.
 */
public final class MemoryBatchLogStorage extends MemoryStorage implements BatchLogStorage {

    private final Clock clock;

    public MemoryBatchLogStorage(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
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
}
