package toykafka.broker.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.common.KafkaStorageException;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicPartition;
import toykafka.broker.group.base.Committer;
import toykafka.broker.group.base.TransactionalCommit;
import toykafka.broker.group.classic.ClassicGroupSnapshot;
import toykafka.broker.group.consumer.ConsumerGroupRecord;
import toykafka.broker.group.consumer.ReplayedConsumerGroup;
import toykafka.broker.group.share.ShareGroupParts;
import toykafka.broker.group.share.ShareGroupRecord;
import toykafka.broker.group.streams.ReplayedStreamsGroup;
import toykafka.broker.group.streams.StreamsGroupRecord;

/** An offset store in memory that outlives the coordinators built on it, and can be made to refuse writes. */
final class MemoryOffsetStore implements OffsetStore {

    private final List<Map.Entry<String, Map<TopicPartition, OffsetAndMetadata>>> writes = new ArrayList<>();
    private final Map<String, SortedMap<TopicPartition, OffsetAndMetadata>> stored = new TreeMap<>();
    /** Who committed each offset stored, where the commit said. */
    private final Map<String, Map<TopicPartition, Committer>> committers = new TreeMap<>();
    /** Commits inside transactions, by producer id: this store sees no markers, so a replay gives them back held. */
    private final Map<Long, List<TransactionalCommit>> held = new TreeMap<>();
    /** Each classic group's last written state. */
    private final Map<String, ClassicGroupSnapshot> groups = new TreeMap<>();
    /** Each consumer group's records, in the order written, as the offsets topic would hold them. */
    private final Map<String, List<ConsumerGroupRecord>> consumerGroups = new TreeMap<>();
    /** Each streams group as its records, in the order written, leave it. */
    private final Map<String, ReplayedStreamsGroup> streamsGroups = new TreeMap<>();
    private int streamsGroupRecords;
    boolean failing;

    @Override
    public synchronized void writeStreamsGroup(List<StreamsGroupRecord> records) {
        refuseIfFailing();
        records.forEach(record -> streamsGroups.computeIfAbsent(record.groupId(), ReplayedStreamsGroup::new)
                .apply(record));
        streamsGroupRecords += records.size();
    }

    /** How many streams group records were written, tombstones among them. */
    synchronized int streamsGroupRecordsWritten() {
        return streamsGroupRecords;
    }

    /** Every share group's records, in the order written. */
    private final List<ShareGroupRecord> shareGroupRecords = new ArrayList<>();

    @Override
    public synchronized void writeShareGroup(List<ShareGroupRecord> records) {
        refuseIfFailing();
        shareGroupRecords.addAll(records);
    }

    private void refuseIfFailing() {
        if (failing) {
            throw new KafkaStorageException("the disk under the offsets store is failing", null);
        }
    }

    /** The share groups' records written so far, in order. */
    synchronized List<ShareGroupRecord> shareGroupRecords() {
        return List.copyOf(shareGroupRecords);
    }

    /** Each share group its records leave, replayed afresh: a restarted coordinator shares nothing with this store. */
    private Map<String, ShareGroupParts> replayedShareGroups() {
        Map<String, ShareGroupParts> replayed = new TreeMap<>();
        shareGroupRecords.forEach(record -> replayed.computeIfAbsent(record.groupId(), ShareGroupParts::new)
                .apply(record));
        replayed.values().removeIf(group -> !group.exists());
        return replayed;
    }

    @Override
    public synchronized void writeConsumerGroup(List<ConsumerGroupRecord> records) {
        refuseIfFailing();
        records.forEach(record -> consumerGroups.computeIfAbsent(record.groupId(), id -> new ArrayList<>())
                .add(record));
    }

    @Override
    public synchronized void writeGroup(ClassicGroupSnapshot group) {
        refuseIfFailing();
        groups.put(group.groupId(), group);
    }

    @Override
    public synchronized void deleteGroup(String groupId) {
        groups.remove(groupId);
    }

    @Override
    public synchronized void writeTransactional(long producerId, short epoch, TransactionalCommit commit) {
        refuseIfFailing();
        held.computeIfAbsent(producerId, id -> new ArrayList<>()).add(commit);
    }

    @Override
    public synchronized Replayed replayAll() {
        Map<Long, List<TransactionalCommit>> pending = new TreeMap<>();
        held.forEach((producerId, commits) -> pending.put(producerId, List.copyOf(commits)));
        Map<String, ReplayedConsumerGroup> replayed = new TreeMap<>();
        consumerGroups.forEach((groupId, records) -> {
            ReplayedConsumerGroup group = new ReplayedConsumerGroup(groupId);
            records.forEach(group::apply);
            if (group.exists()) {
                replayed.put(groupId, group);
            }
        });
        Map<String, Map<TopicPartition, Committer>> by = new TreeMap<>();
        committers.forEach((group, committed) -> by.put(group, new TreeMap<>(committed)));
        Map<String, ReplayedStreamsGroup> streams = new TreeMap<>();
        streamsGroups.forEach((groupId, group) -> {
            if (group.exists()) {
                ReplayedStreamsGroup copy = new ReplayedStreamsGroup(groupId);
                group.records().forEach(copy::apply);
                streams.put(groupId, copy);
            }
        });
        return new Replayed(replay(), pending, new TreeMap<>(groups), replayed, by, streams, replayedShareGroups());
    }

    @Override
    public synchronized void write(String groupId, String memberId, int generation,
                                   Map<TopicPartition, OffsetAndMetadata> committed, Committer by) {
        refuseIfFailing();
        writes.add(Map.entry(groupId, Map.copyOf(committed)));
        stored.computeIfAbsent(groupId, id -> new TreeMap<>()).putAll(committed);
        Map<TopicPartition, Committer> committedBy = committers.computeIfAbsent(groupId, id -> new TreeMap<>());
        committed.keySet().forEach(partition -> {
            if (by == null) {
                committedBy.remove(partition);
            } else {
                committedBy.put(partition, by);
            }
        });
    }

    @Override
    public synchronized void delete(String groupId, Collection<TopicPartition> partitions) {
        SortedMap<TopicPartition, OffsetAndMetadata> committed = stored.get(groupId);
        if (committed != null) {
            partitions.forEach(committed::remove);
        }
        committers.getOrDefault(groupId, new TreeMap<>()).keySet().removeAll(partitions);
    }

    @Override
    public synchronized Map<String, SortedMap<TopicPartition, OffsetAndMetadata>> replay() {
        Map<String, SortedMap<TopicPartition, OffsetAndMetadata>> copy = new TreeMap<>();
        stored.forEach((group, committed) -> copy.put(group, new TreeMap<>(committed)));
        return copy;
    }

    /** The parts of a consumer group its records still hold, replayed. */
    synchronized List<ConsumerGroupRecord> consumerGroupRecordsLeft(String groupId) {
        ReplayedConsumerGroup group = new ReplayedConsumerGroup(groupId);
        consumerGroups.getOrDefault(groupId, List.of()).forEach(group::apply);
        return group.records();
    }

    synchronized int writes() {
        return writes.size();
    }
}
