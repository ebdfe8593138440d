package toykafka.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicPartition;

// tag::commit[]
/**
 * OffsetCommit (key 8), versions 2–10: a group's next offset to read in each partition, with a string the client
 * keeps beside it ({@code OffsetAndMetadata.metadata()}), stored in {@code __consumer_offsets}. Kafka's
 * {@code KafkaApis.handleOffsetCommitRequest}. The coordinator fences the commit: a member of the current
 * generation may commit, a member that missed a rebalance (ILLEGAL_GENERATION) or was removed
 * (UNKNOWN_MEMBER_ID) may not, nor anyone while the leader's assignment is on its way
 * (REBALANCE_IN_PROGRESS). Generation -1 with no member id is a commit from outside any generation (an
 * {@code assign()} consumer, {@code kafka-consumer-groups --reset-offsets}), taken while the group has no
 * members.
 *
 * <p>Each partition is answered on its own, as in Kafka: a topic or partition that does not exist is
 * UNKNOWN_TOPIC_OR_PARTITION, metadata longer than {@code offset.metadata.max.bytes} (4096 by default; characters, as
 * Kafka counts them, whatever the name says) is OFFSET_METADATA_TOO_LARGE; the rest are committed together, and
 * share the coordinator's answer, whatever their number. A commit of no partitions is answered at once.
 *
 * <p>A negative offset is refused here, OFFSET_OUT_OF_RANGE, and the partition keeps what it had. Kafka 4.1's
 * broker stores one: {@code KafkaApis} checks that the partition exists, and the coordinator
 * ({@code OffsetMetadataManager.commitOffset}) the committer's generation and the metadata's size, nothing more,
 * and OffsetFetch gives the number back. Only Kafka's Java client refuses it, before sending
 * ({@code new OffsetAndMetadata(-1)} throws), so only a hand-made request meets the difference. This broker keeps
 * the refusal because everything in it that reads a committed offset takes it to be the next offset to read, 0 or
 * more: the REST consumer instances start reading there, the lag figures subtract it, and the replay of
 * {@code __consumer_offsets} refuses a negative one as a corrupt record ({@link toykafka.broker.coordinators.Commit}), so a
 * stored one would stop the broker from starting again until it was removed.
 *
 * <p>Versions 0 and 1 are gone from Kafka 4 and not served, though librdkafka probes for 1: it takes 2. The committed
 * leader epoch (v6+) is kept with the offset and OffsetFetch answers it back, as Kafka does. Ignored:
 * {@code retention_time_ms} (v2–v4; {@code offsets.retention.minutes} decides). v7's
 * {@code group_instance_id} is checked: a static member replaced by a newer instance of itself is
 * FENCED_INSTANCE_ID. v8 is the first flexible version. v9 is the first a member of a Kafka 4 consumer group may
 * commit with (an older one is UNSUPPORTED_VERSION): for such a group the generation is the member's epoch, and a
 * commit at another epoch is STALE_MEMBER_EPOCH; for a classic group it is the generation still. Version 10 names
 * each topic by its id instead of its name (KIP-848), and the answer names it by the same id; an id no topic has is
 * UNKNOWN_TOPIC_ID for each of its partitions, and nothing of it is committed, as Kafka answers it. With an
 * authorizer, the group needs READ (else every partition is GROUP_AUTHORIZATION_FAILED) and each topic READ (else
 * its partitions are TOPIC_AUTHORIZATION_FAILED, and the rest are committed), as Kafka asks.
 */
final class Api08OffsetCommit extends BrokerApi {
    // end::commit[]

    /** The first version that names topics by id. */
    private static final short FIRST_TOPIC_ID_VERSION = 10;

    private final AuthHelper auth;

    Api08OffsetCommit(Broker broker, AuthHelper auth) {
        super(broker, 8, "OffsetCommit", 2, 10, 8);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        GroupMemberFields caller = GroupMemberFields.read(in, version, 7);
        if (version <= 4) {
            in.int64("retention_time_ms"); // where v7 has group_instance_id: no version has both
        }
        String groupId = caller.groupId();
        int generation = caller.generationId();
        String memberId = caller.memberId();
        boolean byId = version >= FIRST_TOPIC_ID_VERSION;
        TopicIds ids = byId ? TopicIds.of(broker) : null;
        List<CommittedOffset.Topic> topics = CommittedOffset.readTopics(in, version, 6, ids, "OffsetCommitRequest");
        List<CommittedOffset> all = CommittedOffset.partitions(topics);
        request.asked(() -> "group " + groupId + " generation " + generation
                + (memberId.isEmpty() ? "" : " from " + memberId) + ": "
                + Summaries.list(all.stream().map(c -> c + " at " + c.offset()).toList()));

        TreeMap<TopicPartition, OffsetAndMetadata> committed = new TreeMap<>();
        Map<String, Integer> partitionCounts = new HashMap<>();
        int metadataMaxChars = broker.config().offsetMetadataMaxChars();
        Map<CommittedOffset, Errors> answers = new HashMap<>(); // a partition named twice alike is answered alike
        for (CommittedOffset.Topic unknown : topics.stream().filter(CommittedOffset.Topic::unknownId).toList()) {
            unknown.partitions().forEach(c -> answers.put(c, Errors.UNKNOWN_TOPIC_ID));
        }
        refuseUnauthorized(request, groupId, all, answers);
        for (CommittedOffset committing : all) {
            if (answers.containsKey(committing)) {
                continue;
            }
            Errors refusal = committing.refusal(partitionCounts.computeIfAbsent(committing.topic(),
                    topic -> CommittedOffset.partitionCount(broker, topic)), metadataMaxChars);
            if (refusal != null) {
                answers.put(committing, refusal);
            } else {
                committed.put(committing.partition(), committing.value());
            }
        }
        if (!committed.isEmpty()) {
            Errors answer = broker.groupCoordinator().commitOffsets(new OffsetCommitRequest(groupId, generation,
                    memberId, committed, caller.groupInstanceId(), version >= 9)
                    .from(request.header().clientId(), request.clientHost()));
            all.forEach(c -> answers.putIfAbsent(c, answer));
        }
        request.answered(() -> Summaries.list(all.stream().map(c -> c + " " + answers.get(c)).toList()));

        ProtocolWriter out = responseWithThrottleTime(request, 3);
        out.topicsNamedBy(topics, (w, topic) -> topic.writeKey(w, byId), CommittedOffset.Topic::partitions,
                (p, topic, c) -> p.int32(c.index()).int16(answers.get(c).code()));
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    /**
     * What Kafka asks before it commits: READ on the group (else every partition is GROUP_AUTHORIZATION_FAILED), then
     * READ on each topic (else its partitions are TOPIC_AUTHORIZATION_FAILED, and the rest are committed).
     */
    private void refuseUnauthorized(Request request, String groupId, List<CommittedOffset> all,
                                    Map<CommittedOffset, Errors> answers) {
        if (!auth.authorize(request, AclOperation.READ, ResourceType.GROUP, groupId)) {
            all.forEach(c -> answers.put(c, Errors.GROUP_AUTHORIZATION_FAILED));
            return;
        }
        Set<String> unreadable = auth.refusedOf(request, AclOperation.READ, ResourceType.TOPIC,
                all.stream().filter(c -> !answers.containsKey(c)).map(CommittedOffset::topic).toList());
        all.stream().filter(c -> !answers.containsKey(c) && unreadable.contains(c.topic()))
                .forEach(c -> answers.put(c, Errors.TOPIC_AUTHORIZATION_FAILED));
    }
}
