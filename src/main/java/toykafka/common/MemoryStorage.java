package toykafka.common;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Topics in memory: each partition a {@link MemoryLog}, and nothing left when the process ends. The broker's
 * storage in memory is this with logs of its own kind, so it overrides {@link #openLog} and nothing else.
 */
public class MemoryStorage implements LogStorage {

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
        return new MemoryLog(config);
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
        return getClass().getSimpleName();
    }
}
