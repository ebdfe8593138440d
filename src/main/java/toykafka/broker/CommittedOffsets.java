package toykafka.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.broker.group.OffsetStore;
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
 * {@link OffsetsTable} to learn every group's offsets: this is the group coordinator's {@link OffsetStore}.
 * The topic fsyncs each commit before it is
 * acknowledged. The topic is compacted, as Kafka's is, so it does not grow for ever: the log cleaner
 * (lesson 11) keeps each key's latest commit and replaying what it kept gives the same table.
 */
final class CommittedOffsets implements OffsetStore {

    static final String TOPIC = "__consumer_offsets";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TopicRegistry topics;
    private final Clock clock;

    CommittedOffsets(TopicRegistry topics, Clock clock) {
        this.topics = topics;
        this.clock = clock;
    }

    /** Writes one group's commits as one batch, fsynced before this returns. */
    @Override
    public void write(String group, String member, int generation, Map<TopicPartition, Long> offsets) {
        write(group, member, generation, offsets, Map.of());
    }

    /** As {@link #write(String, String, int, Map)}, each offset with the string its client committed beside it. */
    @Override
    public void write(String group, String member, int generation, Map<TopicPartition, Long> offsets,
                      Map<TopicPartition, String> metadata) {
        List<Record> records = offsets.entrySet().stream().map(entry -> {
            Map<String, Object> value = new TreeMap<>(Map.of("offset", entry.getValue(), "member", member,
                    "generation", generation));
            String text = metadata.getOrDefault(entry.getKey(), "");
            if (!text.isEmpty()) {
                value.put("metadata", text);
            }
            return new Record(json(Map.of("group", group, "topic", entry.getKey().topic(),
                    "partition", entry.getKey().partition())), json(value), clock.instant(), List.of());
        }).toList();
        if (!records.isEmpty()) {
            topics.appendAll(TOPIC, 0, records);
        }
    }

    /** Writes tombstones for these partitions of the group: after a replay it has no offset for them. */
    @Override
    public void delete(String group, Collection<TopicPartition> partitions) {
        List<Record> tombstones = partitions.stream().map(partition -> new Record(
                json(Map.of("group", group, "topic", partition.topic(), "partition", partition.partition())),
                null, clock.instant(), List.of())).toList();
        if (!tombstones.isEmpty()) {
            topics.appendAll(TOPIC, 0, tombstones);
        }
    }

    // tag::replay[]
    /**
     * Every group's offsets, as a coordinator loads them when it takes its groups: the topic's records,
     * oldest first, replayed into a table where each key's latest commit wins and a tombstone removes it.
     */
    @Override
    public Map<String, SortedMap<TopicPartition, Long>> replay() {
        OffsetsTable table = new SortedOffsetsTable();
        table.replay(commits());
        Map<String, SortedMap<TopicPartition, Long>> offsets = new TreeMap<>();
        table.groups().forEach(group -> offsets.put(group, table.offsets(group)));
        return offsets;
    }
    // end::replay[]

    /** The strings committed beside the offsets, each key's latest, read from the same records as {@link #replay()}. */
    @Override
    public Map<String, Map<TopicPartition, String>> replayMetadata() {
        Map<String, Map<TopicPartition, String>> metadata = new TreeMap<>();
        forEachRecord((record, offset) -> {
            Commit commit = parse(record, offset);
            String text = commit.isTombstone() ? "" : metadataOf(record);
            Map<TopicPartition, String> group = metadata.computeIfAbsent(commit.group(), g -> new TreeMap<>());
            if (text.isEmpty()) {
                group.remove(commit.partition());
            } else {
                group.put(commit.partition(), text);
            }
        });
        metadata.values().removeIf(Map::isEmpty);
        return metadata;
    }

    private static String metadataOf(Record record) {
        try {
            JsonNode text = JSON.readTree(record.value()).get("metadata");
            return text == null ? "" : text.asText();
        } catch (IOException e) {
            return ""; // parse has already read this value, so it is JSON
        }
    }

    /** Every commit in the topic, oldest first: replaying them in order leaves each key's latest. */
    List<Commit> commits() {
        List<Commit> commits = new ArrayList<>();
        forEachRecord((record, offset) -> commits.add(parse(record, offset)));
        return commits;
    }

    private void forEachRecord(java.util.function.ObjLongConsumer<Record> each) {
        RecordLog log = topics.log(TOPIC, 0);
        long offset = log.earliest();
        while (offset < log.endOffset()) {
            for (OffsetRecord read : log.readBatchWithOffsets(offset, 1000)) {
                each.accept(read.record(), read.offset());
                offset = read.offset() + 1; // offsets, not a count: a compacted topic has gaps
            }
        }
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
            return JSON.writeValueAsBytes(new TreeMap<>(fields));
        } catch (IOException e) {
            throw new IllegalStateException("a map of strings and numbers always writes as JSON", e);
        }
    }
}
