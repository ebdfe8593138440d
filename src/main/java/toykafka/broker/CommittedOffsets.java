package toykafka.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
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
import toykafka.common.RecordBatchSize;
import toykafka.common.RecordLog;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;
import toykafka.lesson04.TopicRegistry;

/**
 * Committed offsets kept in a topic of the broker's own, as Kafka keeps them in {@code __consumer_offsets}:
 * each commit is a record keyed by group, topic and partition, and the last record for a key wins; a record
 * with no value (a tombstone) removes the key. At start the broker replays the topic into an
 * {@link OffsetsTable} to learn every group's offsets: this is the group coordinator's {@link OffsetStore}.
 * The topic fsyncs each commit before it is
 * acknowledged. The topic is compacted, as Kafka's is, so it does not grow for ever: the log cleaner
 * (lesson 12) keeps each key's latest commit and replaying what it kept gives the same table.
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

    /** Writes one group's commits, fsynced before this returns. */
    @Override
    public void write(String group, String member, int generation, Map<TopicPartition, Long> offsets) {
        write(group, member, generation, offsets, Map.of());
    }

    /**
     * As {@link #write(String, String, int, Map)}, each offset with the string its client committed beside it: a
     * record per partition, in as few batches as the topic's {@code max.message.bytes} allows. Kafka writes one
     * commit as one batch and fails one that is larger; here a consumer of 10,000 partitions commits them all, and
     * a crash between two batches leaves the first partitions' commits, which stand alone.
     */
    @Override
    public void write(String group, String member, int generation, Map<TopicPartition, Long> offsets,
                      Map<TopicPartition, String> metadata) {
        Instant now = clock.instant();
        appendInBatches(offsets.entrySet().stream().map(entry -> new Record(
                OffsetCommitRecords.key(group, entry.getKey()),
                OffsetCommitRecords.value(entry.getValue(), metadata.getOrDefault(entry.getKey(), ""), now),
                now, List.of())).toList());
    }

    /** Writes tombstones for these partitions of the group: after a replay it has no offset for them. */
    @Override
    public void delete(String group, Collection<TopicPartition> partitions) {
        Instant now = clock.instant();
        appendInBatches(partitions.stream().map(partition -> new Record(OffsetCommitRecords.key(group, partition),
                null, now, List.of())).toList());
    }

    private void appendInBatches(List<Record> records) {
        int limit = Integer.parseInt(topics.describeTopic(TOPIC).config().get(TopicConfig.MAX_MESSAGE_BYTES));
        List<Record> batch = new ArrayList<>();
        long size = RecordBatchSize.BATCH_OVERHEAD;
        for (Record record : records) {
            // a record's size in a batch of one, and room for its offset delta to grow to three bytes
            long recordSize = RecordBatchSize.of(List.of(record)) - RecordBatchSize.BATCH_OVERHEAD + 2;
            if (!batch.isEmpty() && size + recordSize > limit) {
                topics.appendAll(TOPIC, 0, batch);
                batch = new ArrayList<>();
                size = RecordBatchSize.BATCH_OVERHEAD;
            }
            batch.add(record);
            size += recordSize;
        }
        if (!batch.isEmpty()) {
            topics.appendAll(TOPIC, 0, batch);
        }
    }

    // tag::replay[]
    /**
     * Every group's offsets, as a coordinator loads them when it takes its groups: the topic's records,
     * oldest first, applied one by one to a table where each key's latest commit wins and a tombstone
     * removes it. Only the table is kept, never the records: a topic of many commits that overwrite each
     * other replays in the memory of what they add up to.
     */
    @Override
    public Map<String, SortedMap<TopicPartition, Long>> replay() {
        OffsetsTable table = new SortedOffsetsTable();
        forEachRecord((record, offset) -> table.apply(parse(record, offset)));
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
            OffsetCommitRecords.Decoded commit = decode(record, offset);
            Map<TopicPartition, String> group = metadata.computeIfAbsent(commit.group(), g -> new TreeMap<>());
            if (commit.metadata().isEmpty()) {
                group.remove(commit.partition());
            } else {
                group.put(commit.partition(), commit.metadata());
            }
        });
        metadata.values().removeIf(Map::isEmpty);
        return metadata;
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
        OffsetCommitRecords.Decoded decoded = decode(record, offset);
        if (decoded.offset() == null) {
            return Commit.tombstone(decoded.group(), decoded.partition());
        }
        try {
            return Commit.of(decoded.group(), decoded.partition(), decoded.offset());
        } catch (IllegalArgumentException e) {
            throw corrupt(offset, e);
        }
    }

    /** Kafka's layout, or the JSON this broker wrote before it used Kafka's (a key that starts with a brace). */
    private static OffsetCommitRecords.Decoded decode(Record record, long offset) {
        try {
            byte[] key = record.key();
            if (key != null && key.length > 0 && key[0] == '{') {
                return legacyJson(record);
            }
            return OffsetCommitRecords.decode(key, record.value());
        } catch (IOException | RuntimeException e) {
            throw corrupt(offset, e);
        }
    }

    private static OffsetCommitRecords.Decoded legacyJson(Record record) throws IOException {
        JsonNode key = JSON.readTree(record.key());
        TopicPartition partition = new TopicPartition(key.get("topic").asText(), key.get("partition").asInt());
        if (record.value() == null) {
            return new OffsetCommitRecords.Decoded(key.get("group").asText(), partition, null, "");
        }
        JsonNode value = JSON.readTree(record.value());
        JsonNode metadata = value.get("metadata");
        return new OffsetCommitRecords.Decoded(key.get("group").asText(), partition, value.get("offset").asLong(),
                metadata == null ? "" : metadata.asText());
    }

    private static CorruptRecordException corrupt(long offset, Exception e) {
        return new CorruptRecordException("record " + offset + " of " + TOPIC + " is not a commit this broker"
                + " wrote (" + e.getMessage() + "); the committed offsets cannot be trusted until it is removed");
    }
}
