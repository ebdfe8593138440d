package toykafka.broker.group;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.common.TopicPartition;

/**
 * A member's commit (Kafka's OffsetCommit), fenced by its generation and member id: only a member of the
 * group's current generation may commit. Generation -1 with an empty member id is a commit from outside
 * any generation (a consumer that assigns itself partitions, an admin tool), taken only while the group
 * has no members.
 *
 * @param offsets  each partition's committed offset: the next offset the group will read
 * @param metadata a string the client stores beside a partition's offset and gets back with it (Kafka's
 *                 {@code OffsetAndMetadata.metadata()}); a partition left out has "" as Kafka gives it
 * @param groupInstanceId a static member's {@code group.instance.id}, or null
 * @param knowsMemberEpochs whether the committer knows that a consumer group's generation is its member's epoch
 *                          (OffsetCommit v9 and later): a member of a Kafka 4 consumer group must commit so
 */
public record OffsetCommitRequest(String groupId, int generationId, String memberId,
                                  SortedMap<TopicPartition, Long> offsets, Map<TopicPartition, String> metadata,
                                  String groupInstanceId, boolean knowsMemberEpochs) {

    public OffsetCommitRequest {
        memberId = memberId == null ? "" : memberId;
        offsets = new TreeMap<>(offsets);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** Generation -1 with no member id: a commit from outside any generation. */
    public boolean outsideAnyGeneration() {
        return generationId < 0 && memberId.isEmpty();
    }

    /** A commit by a committer that knows member epochs. */
    public OffsetCommitRequest(String groupId, int generationId, String memberId,
                               SortedMap<TopicPartition, Long> offsets, Map<TopicPartition, String> metadata,
                               String groupInstanceId) {
        this(groupId, generationId, memberId, offsets, metadata, groupInstanceId, true);
    }

    /** A dynamic member's commit, or one from outside any generation. */
    public OffsetCommitRequest(String groupId, int generationId, String memberId,
                               SortedMap<TopicPartition, Long> offsets, Map<TopicPartition, String> metadata) {
        this(groupId, generationId, memberId, offsets, metadata, null);
    }

    /** A commit with no metadata. */
    public OffsetCommitRequest(String groupId, int generationId, String memberId,
                               SortedMap<TopicPartition, Long> offsets) {
        this(groupId, generationId, memberId, offsets, Map.of());
    }

    /** A commit from outside any generation. */
    public static OffsetCommitRequest standalone(String groupId, Map<TopicPartition, Long> offsets) {
        return new OffsetCommitRequest(groupId, -1, "", new TreeMap<>(offsets));
    }
}
