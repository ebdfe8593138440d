package toykafka.common;

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

    /** Forgets a topic and deletes every partition's data; its logs must be closed first. */
    void deleteTopic(TopicMetadata topic);

    /** Where the data is, for people: a directory, or "memory". */
    String location();

    @Override
    void close();
}
// end::storage[]
