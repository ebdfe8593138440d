package toykafka.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import toykafka.common.CorruptRecordException;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordLog;
import toykafka.common.TopicPartition;
import toykafka.lesson04.TopicRegistry;

/**
 * Committed offsets kept in a topic of the broker's own, as Kafka keeps them in {@code __consumer_offsets}:
 * each commit is a record keyed by group, topic and partition, and the last record for a key wins; a record
 * with no value (a tombstone) removes the key. At start the broker replays the topic into an
 * {@link OffsetsTable} to learn every group's offsets. The topic fsyncs each commit before it is
 * acknowledged. The topic is compacted, as Kafka's is, so it does not grow for ever: the log cleaner
 * (lesson 11) keeps each key's latest commit and replaying what it kept gives the same table.
 */
final class CommittedOffsets {

    static final String TOPIC = "__consumer_offsets";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TopicRegistry topics;

    CommittedOffsets(TopicRegistry topics) {
        this.topics = topics;
    }

    /** Writes one group's commits as one batch, fsynced before this returns. */
    void write(String group, String member, int generation, Map<TopicPartition, Long> offsets, Instant now) {
        List<Record> records = offsets.entrySet().stream().map(entry -> new Record(
                json(Map.of("group", group, "topic", entry.getKey().topic(), "partition", entry.getKey().partition())),
                json(Map.of("offset", entry.getValue(), "member", member, "generation", generation)),
                now, List.of())).toList();
        if (!records.isEmpty()) {
            topics.appendAll(TOPIC, 0, records);
        }
    }

    /** Writes tombstones for these partitions of the group: after a replay it has no offset for them. */
    void delete(String group, List<TopicPartition> partitions, Instant now) {
        List<Record> tombstones = partitions.stream().map(partition -> new Record(
                json(Map.of("group", group, "topic", partition.topic(), "partition", partition.partition())),
                null, now, List.of())).toList();
        if (!tombstones.isEmpty()) {
            topics.appendAll(TOPIC, 0, tombstones);
        }
    }

    /** Every commit in the topic, oldest first: replaying them in order leaves each key's latest. */
    List<Commit> replay() {
        RecordLog log = topics.log(TOPIC, 0);
        List<Commit> commits = new java.util.ArrayList<>();
        long offset = log.earliest();
        while (offset < log.endOffset()) {
            for (OffsetRecord read : log.readBatchWithOffsets(offset, 1000)) {
                commits.add(parse(read.record(), read.offset()));
                offset = read.offset() + 1; // offsets, not a count: a compacted topic has gaps
            }
        }
        return commits;
    }

    private static Commit parse(Record record, long offset) {
        try {
            JsonNode key = JSON.readTree(record.key());
            String group = key.get("group").asText();
            TopicPartition partition = new TopicPartition(key.get("topic").asText(), key.get("partition").asInt());
            if (record.value() == null) {
                return Commit.tombstone(group, partition);
            }
            return Commit.of(group, partition, JSON.readTree(record.value()).get("offset").asLong());
        } catch (IOException | RuntimeException e) {
            throw new CorruptRecordException("record " + offset + " of " + TOPIC + " is not a commit this broker"
                    + " wrote (" + e.getMessage() + "); the committed offsets cannot be trusted until it is removed");
        }
    }

    private static byte[] json(Map<String, Object> fields) {
        try {
            return JSON.writeValueAsBytes(new java.util.TreeMap<>(fields));
        } catch (IOException e) {
            throw new IllegalStateException("a map of strings and numbers always writes as JSON", e);
        }
    }
}
