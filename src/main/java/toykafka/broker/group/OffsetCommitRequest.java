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
 * @param offsets each partition's committed offset: the next offset the group will read
 */
public record OffsetCommitRequest(String groupId, int generationId, String memberId,
                                  SortedMap<TopicPartition, Long> offsets) {

    public OffsetCommitRequest {
        memberId = memberId == null ? "" : memberId;
        offsets = new TreeMap<>(offsets);
    }

    /** A commit from outside any generation. */
    public static OffsetCommitRequest standalone(String groupId, Map<TopicPartition, Long> offsets) {
        return new OffsetCommitRequest(groupId, -1, "", new TreeMap<>(offsets));
    }
}
