package toykafka.broker.coordinators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import toykafka.broker.group.classic.ClassicGroupSnapshot;
import toykafka.broker.group.base.Committer;
import toykafka.broker.group.consumer.ConsumerGroupRecord;
import toykafka.broker.group.OffsetStore;
import toykafka.broker.group.consumer.ReplayedConsumerGroup;
import toykafka.broker.group.share.ShareGroupParts;
import toykafka.broker.group.share.ShareGroupRecord;
import toykafka.broker.group.streams.ReplayedStreamsGroup;
import toykafka.broker.group.streams.StreamsGroupRecord;
import toykafka.broker.group.base.TransactionalCommit;
import toykafka.common.ControlRecord;
import toykafka.common.CorruptRecordException;
import toykafka.common.FetchedBatches;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.RecordBatchSize;
import toykafka.common.TopicPartition;
import toykafka.storage.BatchLog;

/**
 * Committed offsets kept in a topic of the broker's own, as Kafka keeps them in {@code __consumer_offsets}:
 * each commit is a record keyed by group, topic and partition, and the last record for a key wins; a record
 * with no value (a tombstone) removes the key. At start the broker replays the topic into an
 * {@link OffsetsTable} to learn every group's offsets: this is the group coordinator's {@link OffsetStore}.
 * The topic fsyncs each commit before it is
 * acknowledged. The topic is compacted, as Kafka's is, so it does not grow for ever: the log cleaner
 * (lesson 12) keeps each key's latest commit and replaying what it kept gives the same table.
 *
 * <p>Beside the commits the topic keeps each group's membership, so members outlive a restart: a classic group's
 * generation ({@link GroupMetadataRecords}), a consumer group's parts ({@link ConsumerGroupRecords}), a streams
 * group's ({@link StreamsGroupRecords}) and a share group's ({@link ShareGroupRecords}), each under keys of their own,
 * compacted and replayed the same way.
 */
public final class CommittedOffsets implements OffsetStore {

    static final String TOPIC = InternalTopics.OFFSETS;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How much of the topic one read of a replay takes at a time. */
    private static final int READ_BYTES = 1 << 20;

    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    private final Clock clock;
    private final Function<TopicPartition, BatchLog> logs;
    private final PartitionWriter writer;

    /** @param logs each partition's log, to replay the topic from */
    public CommittedOffsets(Clock clock, Function<TopicPartition, BatchLog> logs, PartitionWriter writer) {
        this.clock = clock;
        this.logs = logs;
        this.writer = writer;
    }

    /**
     * Writes one group's commits, fsynced before this returns: a record per partition, with its leader epoch and
     * metadata, in as few batches as the topic's {@code max.message.bytes} allows. Kafka writes one commit as one
     * batch and fails one that is larger; here a consumer of 10,000 partitions commits them all, and a crash
     * between two batches leaves the first partitions' commits, which stand alone. Each record says who committed
     * it, in a tagged field of our own.
     */
    @Override
    public void write(String group, String member, int generation, Map<TopicPartition, OffsetAndMetadata> committed,
                      Committer by) {
        Instant now = clock.instant();
        appendInBatches(committed.entrySet().stream().map(entry -> new Record(
                OffsetCommitRecords.key(group, entry.getKey()),
                OffsetCommitRecords.value(entry.getValue(), now, by),
                now, List.of())).toList());
    }

    /** A classic group's state as Kafka's GroupMetadata record, fsynced before this returns. */
    @Override
    public void writeGroup(ClassicGroupSnapshot group) {
        Instant now = clock.instant();
        writer.append(PARTITION, List.of(new Record(GroupMetadataRecords.key(group.groupId()),
                GroupMetadataRecords.value(group), now, List.of())));
    }

    /** A consumer group's changed parts, or their tombstones, as Kafka's records. */
    @Override
    public void writeConsumerGroup(List<ConsumerGroupRecord> records) {
        appendParts(records, ConsumerGroupRecords::key, ConsumerGroupRecords::value);
    }

    /** A streams group's changed parts, or their tombstones, as Kafka's records. */
    @Override
    public void writeStreamsGroup(List<StreamsGroupRecord> records) {
        appendParts(records, StreamsGroupRecords::key, StreamsGroupRecords::value);
    }

    /** A share group's changed parts, or their tombstones, as Kafka's records. */
    @Override
    public void writeShareGroup(List<ShareGroupRecord> records) {
        appendParts(records, ShareGroupRecords::key, ShareGroupRecords::value);
    }

    /** A group's parts as their codec lays them out, in one batch, fsynced before this returns. */
    private <R> void appendParts(List<R> parts, Function<R, byte[]> key, Function<R, byte[]> value) {
        Instant now = clock.instant();
        writer.append(PARTITION, parts.stream().map(part -> new Record(key.apply(part), value.apply(part), now,
                List.of())).toList());
    }

    /** The group's tombstone: a replay brings back none of its members. */
    @Override
    public void deleteGroup(String groupId) {
        writer.append(PARTITION, List.of(new Record(GroupMetadataRecords.key(groupId), null, clock.instant(),
                List.of())));
    }

    /** Writes tombstones for these partitions of the group: after a replay it has no offset for them. */
    @Override
    public void delete(String group, Collection<TopicPartition> partitions) {
        Instant now = clock.instant();
        appendInBatches(partitions.stream().map(partition -> new Record(OffsetCommitRecords.key(group, partition),
                null, now, List.of())).toList());
    }

    private void appendInBatches(List<Record> records) {
        int limit = logs.apply(PARTITION).config().maxMessageBytes();
        List<Record> batch = new ArrayList<>();
        long size = RecordBatchSize.BATCH_OVERHEAD;
        for (Record record : records) {
            // a record's size in a batch of one, and room for its offset delta to grow to three bytes
            long recordSize = RecordBatchSize.of(List.of(record)) - RecordBatchSize.BATCH_OVERHEAD + 2;
            if (!batch.isEmpty() && size + recordSize > limit) {
                writer.append(PARTITION, batch);
                batch = new ArrayList<>();
                size = RecordBatchSize.BATCH_OVERHEAD;
            }
            batch.add(record);
            size += recordSize;
        }
        if (!batch.isEmpty()) {
            writer.append(PARTITION, batch);
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
    public Map<String, SortedMap<TopicPartition, OffsetAndMetadata>> replay() {
        return replayAll().offsets();
    }
    // end::replay[]

    // tag::replay-transactions[]
    /**
     * One pass over the topic, batch by batch. A producer's transactional batch is held aside until its marker:
     * a COMMIT applies it there, as if committed at that point, and an ABORT drops it. What is still held at the
     * end belongs to transactions not yet ended, which the transaction coordinator will end.
     */
    @Override
    public Replayed replayAll() {
        OffsetsTable table = new SortedOffsetsTable();
        Map<String, Map<TopicPartition, OffsetCommitRecords.Decoded>> latest = new TreeMap<>();
        Map<Long, List<OffsetCommitRecords.Decoded>> held = new LinkedHashMap<>();
        Map<String, ClassicGroupSnapshot> groups = new TreeMap<>();
        Map<String, ReplayedConsumerGroup> consumerGroups = new TreeMap<>();
        Map<String, ReplayedStreamsGroup> streamsGroups = new TreeMap<>();
        Map<String, ShareGroupParts> shareGroups = new TreeMap<>();
        forEachBatch(batch -> {
            if (batch.isControl()) {
                List<OffsetCommitRecords.Decoded> ended = held.remove(batch.producerId());
                if (ended != null && ControlRecord.of(batch).commit()) {
                    ended.forEach(commit -> apply(commit, table, latest));
                }
                return;
            }
            for (OffsetRecord read : batch.offsetRecords()) {
                if (GroupMetadataRecords.isGroupKey(read.record().key())) {
                    replayGroup(read.record(), read.offset(), groups);
                    continue;
                }
                if (ConsumerGroupRecords.isConsumerGroupKey(read.record().key())) {
                    ConsumerGroupRecord part = decoded(read, ConsumerGroupRecords::decode);
                    consumerGroups.computeIfAbsent(part.groupId(), ReplayedConsumerGroup::new).apply(part);
                    continue;
                }
                if (StreamsGroupRecords.isStreamsGroupKey(read.record().key())) {
                    StreamsGroupRecord part = decoded(read, StreamsGroupRecords::decode);
                    streamsGroups.computeIfAbsent(part.groupId(), ReplayedStreamsGroup::new).apply(part);
                    continue;
                }
                if (ShareGroupRecords.isShareGroupKey(read.record().key())) {
                    ShareGroupRecord part = decoded(read, ShareGroupRecords::decode);
                    shareGroups.computeIfAbsent(part.groupId(), ShareGroupParts::new).apply(part);
                    continue;
                }
                OffsetCommitRecords.Decoded commit = decode(read.record(), read.offset());
                if (commit.value() != null && commit.value().offset() < 0) {
                    throw corrupt(read.offset(), new IllegalArgumentException("a committed offset is 0 or more; "
                            + commit.group() + " committed " + commit.value().offset() + " for " + commit.partition()));
                }
                if (batch.isTransactional()) {
                    held.computeIfAbsent(batch.producerId(), id -> new ArrayList<>()).add(commit);
                } else {
                    apply(commit, table, latest);
                }
            }
        });
        Map<String, SortedMap<TopicPartition, OffsetAndMetadata>> offsets = new TreeMap<>();
        Map<String, Map<TopicPartition, Committer>> committers = new TreeMap<>();
        table.groups().forEach(group -> {
            SortedMap<TopicPartition, OffsetAndMetadata> values = new TreeMap<>();
            table.offsets(group).keySet().forEach(partition -> {
                OffsetCommitRecords.Decoded commit = latest.get(group).get(partition);
                values.put(partition, commit.value());
                if (commit.committer() != null) {
                    committers.computeIfAbsent(group, g -> new TreeMap<>()).put(partition, commit.committer());
                }
            });
            offsets.put(group, values);
        });
        Map<Long, List<TransactionalCommit>> pending = new LinkedHashMap<>();
        held.forEach((producerId, commits) -> pending.put(producerId, pendingCommits(commits)));
        consumerGroups.values().removeIf(group -> !group.exists());
        streamsGroups.values().removeIf(group -> !group.exists());
        shareGroups.values().removeIf(group -> !group.exists());
        return new Replayed(offsets, pending, groups, consumerGroups, committers, streamsGroups, shareGroups);
    }
    // end::replay-transactions[]

    /** A group's record: its latest state replaces the one before, and a tombstone removes it. */
    private static void replayGroup(Record record, long offset, Map<String, ClassicGroupSnapshot> groups) {
        try {
            String group = GroupMetadataRecords.group(record.key());
            if (record.value() == null) {
                groups.remove(group);
            } else {
                groups.put(group, GroupMetadataRecords.decode(group, record.value()));
            }
        } catch (RuntimeException e) {
            throw corrupt(offset, e);
        }
    }

    /**
     * A group's part read by its codec from the record's key and value; the replay applies it to its group, where the
     * latest record of a part replaces the one before and a tombstone removes it.
     */
    private static <T> T decoded(OffsetRecord read, BiFunction<byte[], byte[], T> codec) {
        try {
            return codec.apply(read.record().key(), read.record().value());
        } catch (RuntimeException e) {
            throw corrupt(read.offset(), e);
        }
    }

    /**
     * The table decides which offsets are in force; {@code latest} keeps each key's last commit, epoch, metadata
     * and committer.
     */
    private static void apply(OffsetCommitRecords.Decoded commit, OffsetsTable table,
                              Map<String, Map<TopicPartition, OffsetCommitRecords.Decoded>> latest) {
        Map<TopicPartition, OffsetCommitRecords.Decoded> group = latest.computeIfAbsent(commit.group(),
                g -> new TreeMap<>());
        if (commit.value() == null) {
            table.apply(Commit.tombstone(commit.group(), commit.partition()));
            group.remove(commit.partition());
        } else {
            table.apply(Commit.of(commit.group(), commit.partition(), commit.value().offset()));
            group.put(commit.partition(), commit);
        }
    }

    /** A producer's held commits, by group. */
    private static List<TransactionalCommit> pendingCommits(List<OffsetCommitRecords.Decoded> commits) {
        Map<String, SortedMap<TopicPartition, OffsetAndMetadata>> committed = new TreeMap<>();
        for (OffsetCommitRecords.Decoded commit : commits) {
            if (commit.value() != null) {
                committed.computeIfAbsent(commit.group(), g -> new TreeMap<>()).put(commit.partition(), commit.value());
            }
        }
        List<TransactionalCommit> pending = new ArrayList<>();
        committed.forEach((group, values) -> pending.add(new TransactionalCommit(group, values)));
        return pending;
    }

    /** Every batch of the topic, oldest first. */
    private void forEachBatch(Consumer<RecordBatch> each) {
        BatchLog log = logs.apply(PARTITION);
        ByteBuffer into = ByteBuffer.allocate(READ_BYTES);
        long offset = log.earliest();
        while (offset < log.endOffset()) {
            FetchedBatches read = log.fetch(offset, into);
            read.batches().forEach(each);
            if (read.nextOffset() <= offset) {
                break; // nothing more: a gap the cleaner left at the end
            }
            offset = read.nextOffset();
        }
    }

    // tag::write-transactional[]
    /**
     * Offsets committed inside a transaction: one transactional batch under the producer's id and epoch, no
     * sequence, which the data path refuses unless the producer's transaction includes this topic.
     */
    @Override
    public void writeTransactional(long producerId, short epoch, TransactionalCommit commit, Committer by) {
        Instant now = clock.instant();
        List<Record> records = commit.committed().entrySet().stream().map(entry -> new Record(
                OffsetCommitRecords.key(commit.groupId(), entry.getKey()),
                OffsetCommitRecords.value(entry.getValue(), now, by),
                now, List.of())).toList();
        writer.appendTransactional(PARTITION, producerId, epoch, records);
    }
    // end::write-transactional[]

    @Override
    public void writeTransactional(long producerId, short epoch, TransactionalCommit commit) {
        writeTransactional(producerId, epoch, commit, null);
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
            return new OffsetCommitRecords.Decoded(key.get("group").asText(), partition, null);
        }
        JsonNode value = JSON.readTree(record.value());
        JsonNode metadata = value.get("metadata");
        return new OffsetCommitRecords.Decoded(key.get("group").asText(), partition, new OffsetAndMetadata(
                value.get("offset").asLong(), OffsetAndMetadata.NO_LEADER_EPOCH, metadata == null ? "" : metadata.asText()));
    }

    private static CorruptRecordException corrupt(long offset, Exception e) {
        return new CorruptRecordException("record " + offset + " of " + TOPIC + " is not a commit this broker"
                + " wrote (" + e.getMessage() + "); the committed offsets cannot be trusted until it is removed");
    }
}
