package toykafka.broker.group.base;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicPartition;

/**
 * A member's commit (Kafka's OffsetCommit), fenced by its generation and member id: only a member of the
 * group's current generation may commit. Generation -1 with an empty member id is a commit from outside
 * any generation (a consumer that assigns itself partitions, an admin tool), taken only while the group
 * has no members.
 *
 * @param committed each partition's committed value: the next offset the group will read, the leader epoch the
 *                  client gives with it, and the string it keeps beside it (Kafka's {@code OffsetAndMetadata})
 * @param groupInstanceId a static member's {@code group.instance.id}, or null
 * @param knowsMemberEpochs whether the committer knows that a consumer group's generation is its member's epoch
 *                          (OffsetCommit v9 and later): a member of a Kafka 4 consumer group must commit so; of a
 *                          transactional commit, whether it knows STALE_MEMBER_EPOCH and GROUP_ID_NOT_FOUND
 *                          (TxnOffsetCommit v6 and later)
 * @param clientId the committer's client id, and {@code clientHost} the address of its connection: with the group
 *                 they are charged for what the commit adds to the coordinator's memory, each within its share
 */
public record OffsetCommitRequest(String groupId, int generationId, String memberId,
                                  SortedMap<TopicPartition, OffsetAndMetadata> committed,
                                  String groupInstanceId, boolean knowsMemberEpochs, String clientId,
                                  String clientHost) {

    public OffsetCommitRequest {
        memberId = memberId == null ? "" : memberId;
        committed = new TreeMap<>(committed);
        clientId = clientId == null ? "" : clientId;
        clientHost = clientHost == null ? "" : clientHost;
    }

    /** A commit from a caller in the broker's own process, with no client id. */
    public OffsetCommitRequest(String groupId, int generationId, String memberId,
                               SortedMap<TopicPartition, OffsetAndMetadata> committed, String groupInstanceId,
                               boolean knowsMemberEpochs) {
        this(groupId, generationId, memberId, committed, groupInstanceId, knowsMemberEpochs, "",
                Group.IN_PROCESS_HOST);
    }

    /** This commit, sent by client {@code clientId} from {@code clientHost}. */
    public OffsetCommitRequest from(String clientId, String clientHost) {
        return new OffsetCommitRequest(groupId, generationId, memberId, committed, groupInstanceId, knowsMemberEpochs,
                clientId, clientHost);
    }

    /** This commit, from a committer that knows member epochs. */
    public OffsetCommitRequest knowingMemberEpochs() {
        return knowsMemberEpochs ? this : new OffsetCommitRequest(groupId, generationId, memberId, committed,
                groupInstanceId, true, clientId, clientHost);
    }

    /** Who sent it, as the offsets topic keeps it beside each offset. */
    public Committer committer() {
        return new Committer(clientId, clientHost);
    }

    /** Whom what the commit adds is charged to. */
    public Owners owners() {
        return committer().owners(groupId);
    }

    /** Generation -1 with no member id: a commit from outside any generation. */
    public boolean outsideAnyGeneration() {
        return generationId < 0 && memberId.isEmpty();
    }

    /** The offsets alone. */
    public SortedMap<TopicPartition, Long> offsets() {
        return OffsetAndMetadata.offsets(committed);
    }

    /** A commit by a committer that knows member epochs. */
    public OffsetCommitRequest(String groupId, int generationId, String memberId,
                               SortedMap<TopicPartition, OffsetAndMetadata> committed, String groupInstanceId) {
        this(groupId, generationId, memberId, committed, groupInstanceId, true);
    }

    /** A dynamic member's commit of offsets alone, with no epochs and no metadata. */
    public OffsetCommitRequest(String groupId, int generationId, String memberId,
                               SortedMap<TopicPartition, Long> offsets) {
        this(groupId, generationId, memberId, OffsetAndMetadata.of(offsets), null);
    }

    /** A commit of offsets alone from outside any generation. */
    public static OffsetCommitRequest standalone(String groupId, Map<TopicPartition, Long> offsets) {
        return new OffsetCommitRequest(groupId, -1, "", new TreeMap<>(offsets));
    }
}
