package toykafka.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

// tag::storage[]
/**
 * Where a broker keeps its topics: the partitions' logs and what it must remember to find them again
 * (each topic's partition count and config). Lesson 4's topics take one of these; in memory by default,
 * on disk (lesson 8) when given a data directory. Kafka's broker splits the same work between its
 * {@code LogManager} and its metadata log.
 */
public interface LogStorage extends AutoCloseable {

    /** The topics already stored, by name: none in memory, every topic a data directory holds on disk. */
    SortedMap<String, TopicMetadata> storedTopics();

    /** Remembers a new or changed topic, durably before it returns. */
    void saveTopic(TopicMetadata topic);

    /** Opens (creating if need be) one partition's log. */
    RecordLog openLog(TopicPartition partition, TopicConfig config);

    /**
     * Opens many partitions' logs, each with its topic's config from {@code configs}, and returns them in the
     * same order; if one fails, those opened are closed and the failure is thrown. A store on disk opens them
     * several at a time (Kafka's {@code num.recovery.threads.per.data.dir}); this one opens them in turn.
     */
    default List<RecordLog> openLogs(List<TopicPartition> partitions, Map<String, TopicConfig> configs) {
        List<RecordLog> logs = new ArrayList<>();
        try {
            for (TopicPartition partition : partitions) {
                logs.add(openLog(partition, configs.get(partition.topic())));
            }
        } catch (RuntimeException e) {
            try {
                closeLogs(logs);
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        return logs;
    }

    /** Closes the logs, every one even if some fail, and throws the first failure; a store on disk, in parallel. */
    default void closeLogs(List<RecordLog> logs) {
        RuntimeException failed = Failures.closeAll(logs, null);
        if (failed != null) {
            throw failed;
        }
    }

    /** Forgets a topic and deletes every partition's data; its logs must be closed first. */
    void deleteTopic(TopicMetadata topic);

    /** Where the data is, for people: a directory, or "memory". */
    String location();

    @Override
    void close();
}
// end::storage[]
