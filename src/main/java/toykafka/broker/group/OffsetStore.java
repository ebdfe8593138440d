package toykafka.broker.group;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import toykafka.broker.group.base.Committer;
import toykafka.broker.group.base.TransactionalCommit;
import toykafka.broker.group.classic.ClassicGroupSnapshot;
import toykafka.broker.group.classic.ClassicGroupWriter;
import toykafka.broker.group.consumer.ConsumerGroupRecord;
import toykafka.broker.group.consumer.ConsumerGroupWriter;
import toykafka.broker.group.consumer.ReplayedConsumerGroup;
import toykafka.broker.group.share.ShareGroupParts;
import toykafka.broker.group.share.ShareGroupRecord;
import toykafka.broker.group.share.ShareGroupWriter;
import toykafka.broker.group.streams.ReplayedStreamsGroup;
import toykafka.broker.group.streams.StreamsGroupRecord;
import toykafka.broker.group.streams.StreamsGroupWriter;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicPartition;

/**
 * Where the coordinator keeps committed offsets so they outlive the broker: in Kafka, the topic
 * {@code __consumer_offsets}, which the coordinator replays when it takes a group. Classic, consumer, streams and
 * share groups write what they are there too, each through the writer its room declares.
 */
public interface OffsetStore extends ClassicGroupWriter, ConsumerGroupWriter, StreamsGroupWriter, ShareGroupWriter {

    /**
     * Stores a group's commit, each offset with its leader epoch and metadata, and who committed it ({@code by},
     * null if nobody is known); it is durable when this returns, and throws if it cannot be stored.
     */
    void write(String groupId, String memberId, int generation, Map<TopicPartition, OffsetAndMetadata> committed,
               Committer by);

    /** Stores a group's commit by nobody known. */
    default void write(String groupId, String memberId, int generation,
                       Map<TopicPartition, OffsetAndMetadata> committed) {
        write(groupId, memberId, generation, committed, null);
    }

    /** A store that keeps only offsets keeps no classic group. */
    @Override
    default void writeGroup(ClassicGroupSnapshot group) {
    }

    /** A store that keeps only offsets keeps no consumer group. */
    @Override
    default void writeConsumerGroup(List<ConsumerGroupRecord> records) {
    }

    /** A store that keeps only offsets keeps no streams group. */
    @Override
    default void writeStreamsGroup(List<StreamsGroupRecord> records) {
    }

    /** A store that keeps only offsets keeps no share group. */
    @Override
    default void writeShareGroup(List<ShareGroupRecord> records) {
    }

    @Override
    default void deleteGroup(String groupId) {
    }

    /** Removes the group's offsets for these partitions, durably. */
    void delete(String groupId, Collection<TopicPartition> partitions);

    /** Every group's committed offsets, epochs and metadata, as the stored commits and deletions leave them. */
    Map<String, SortedMap<TopicPartition, OffsetAndMetadata>> replay();

    /**
     * Writes offsets committed inside a transaction, for the producer's id and epoch: durable when this returns,
     * and in force only once the transaction's COMMIT marker follows them. Throws the refusal if the producer may
     * not write them (its transaction does not include the offsets topic, or it is fenced).
     */
    void writeTransactional(long producerId, short epoch, TransactionalCommit commit);

    /**
     * As {@link #writeTransactional(long, short, TransactionalCommit)}, saying who committed; a store may not keep
     * it.
     */
    default void writeTransactional(long producerId, short epoch, TransactionalCommit commit, Committer by) {
        writeTransactional(producerId, epoch, commit);
    }

    /**
     * What a replay finds: every group's offsets in force, by producer id the commits of transactions the store saw
     * begin but not end, each classic group's last written state, each consumer group's parts, who committed
     * each offset in force, where the store says, and each streams and share group's parts.
     */
    record Replayed(Map<String, SortedMap<TopicPartition, OffsetAndMetadata>> offsets,
                    Map<Long, List<TransactionalCommit>> pending,
                    Map<String, ClassicGroupSnapshot> groups,
                    Map<String, ReplayedConsumerGroup> consumerGroups,
                    Map<String, Map<TopicPartition, Committer>> committers,
                    Map<String, ReplayedStreamsGroup> streamsGroups,
                    Map<String, ShareGroupParts> shareGroups) {

        public Replayed(Map<String, SortedMap<TopicPartition, OffsetAndMetadata>> offsets,
                        Map<Long, List<TransactionalCommit>> pending, Map<String, ClassicGroupSnapshot> groups,
                        Map<String, ReplayedConsumerGroup> consumerGroups,
                        Map<String, Map<TopicPartition, Committer>> committers) {
            this(offsets, pending, groups, consumerGroups, committers, Map.of(), Map.of());
        }

        public Replayed(Map<String, SortedMap<TopicPartition, OffsetAndMetadata>> offsets,
                        Map<Long, List<TransactionalCommit>> pending, Map<String, ClassicGroupSnapshot> groups,
                        Map<String, ReplayedConsumerGroup> consumerGroups) {
            this(offsets, pending, groups, consumerGroups, Map.of());
        }

        public Replayed(Map<String, SortedMap<TopicPartition, OffsetAndMetadata>> offsets,
                        Map<Long, List<TransactionalCommit>> pending, Map<String, ClassicGroupSnapshot> groups) {
            this(offsets, pending, groups, Map.of());
        }
    }

    /** All a replay finds, in one pass where the store can. */
    default Replayed replayAll() {
        return new Replayed(replay(), Map.of(), Map.of());
    }
}
