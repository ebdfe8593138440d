package toykafka.common;

import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiFunction;

/** Topics in memory: each partition a {@link MemoryLog}, and nothing left when the process ends. */
public final class MemoryStorage implements LogStorage {

    private final BiFunction<TopicPartition, TopicConfig, RecordLog> logs;

    public MemoryStorage() {
        this((partition, config) -> new MemoryLog(config));
    }

    /** Topics in memory whose partitions' logs {@code logs} makes: a broker's keep batches (lesson 8). */
    public MemoryStorage(BiFunction<TopicPartition, TopicConfig, RecordLog> logs) {
        this.logs = Objects.requireNonNull(logs, "logs");
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
    public RecordLog openLog(TopicPartition partition, TopicConfig config) {
        return logs.apply(partition, config);
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
        return "MemoryStorage";
    }
}
