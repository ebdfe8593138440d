package toykafka.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentSkipListMap;
import toykafka.common.LogStorage;
import toykafka.common.RecordLog;
import toykafka.common.TopicConfig;
import toykafka.common.TopicMetadata;
import toykafka.common.TopicPartition;
import toykafka.storage.BatchLog;
import toykafka.storage.BatchLogStorage;

/**
 * The broker's storage (lesson 8's files, or batch logs in memory), remembering each log it opens, so the
 * data path ({@link Partitions}: batches in, stored batches out) and the background jobs (retention, the
 * cleaner, statistics) reach every partition's log while lesson 4's registry owns and closes them. Kafka's {@code LogManager} keeps its logs by
 * partition the same way.
 */
final class OpenLogs implements LogStorage {

    private final BatchLogStorage files;
    private final Map<TopicPartition, BatchLog> open = new ConcurrentSkipListMap<>();

    OpenLogs(BatchLogStorage files) {
        this.files = files;
    }

    @Override
    public SortedMap<String, TopicMetadata> storedTopics() {
        return files.storedTopics();
    }

    @Override
    public void saveTopic(TopicMetadata topic) {
        files.saveTopic(topic);
    }

    @Override
    public RecordLog openLog(TopicPartition partition, TopicConfig config) {
        BatchLog log = files.openLog(partition, config);
        open.put(partition, log);
        return log;
    }

    @Override
    public List<RecordLog> openLogs(List<TopicPartition> partitions, Map<String, TopicConfig> configs) {
        List<BatchLog> logs = files.openBatchLogs(partitions, configs); // in parallel, when the files are on disk
        for (int i = 0; i < logs.size(); i++) {
            open.put(partitions.get(i), logs.get(i));
        }
        return new ArrayList<>(logs);
    }

    @Override
    public void closeLogs(List<RecordLog> logs) {
        files.closeLogs(logs);
    }

    @Override
    public void deleteTopic(TopicMetadata topic) {
        open.keySet().removeIf(partition -> partition.topic().equals(topic.name()));
        files.deleteTopic(topic);
    }

    /** The log of one partition, if it is open. */
    BatchLog log(TopicPartition partition) {
        return open.get(partition);
    }

    /** The logs open now, in topic and partition order. */
    List<Map.Entry<TopicPartition, BatchLog>> logs() {
        return List.copyOf(open.entrySet());
    }

    @Override
    public String location() {
        return files.location();
    }

    @Override
    public void close() {
        open.clear();
        files.close();
    }
}
