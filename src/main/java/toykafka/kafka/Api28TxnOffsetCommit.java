package toykafka.kafka;

import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.broker.txn.TransactionVersion;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicPartition;

// tag::txn-offset-commit[]
/**
 * TxnOffsetCommit (key 28), versions 0–6: {@code sendOffsetsToTransaction}'s second step, sent to the group's
 * coordinator. The offsets are written to {@code __consumer_offsets} under the producer's id and epoch, and come
 * into force only when its transaction commits; an abort drops them. From v3 the consumer's generation, member id
 * and instance id come too ({@code consumer.groupMetadata()}, KIP-447), and a member of an older generation is
 * fenced (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID) as an OffsetCommit is; generation -1 with no member skips that
 * check, as in Kafka; a member of a consumer group at an epoch it may not commit at is STALE_MEMBER_EPOCH from v6
 * and ILLEGAL_GENERATION before, as is a group the coordinator does not know (GROUP_ID_NOT_FOUND from v6), as
 * Kafka 4.4 answers them. The producer must have added the offsets with AddOffsetsToTxn first (INVALID_TXN_STATE if
 * not). Each partition gets the one answer; an unknown partition or metadata past
 * {@code offset.metadata.max.bytes} are refused as by OffsetCommit. The committed leader epoch (v2+) is kept
 * with the offset, as OffsetCommit keeps it. A static member's group_instance_id is checked as OffsetCommit checks it.
 * Version 4 is version 3 from a client that knows TRANSACTION_ABORTABLE. Version 5 comes from a producer of
 * transaction version 2, which sends no AddOffsetsToTxn: the offsets partition joins its transaction here, as
 * Kafka's group coordinator adds it (a fenced producer is then INVALID_PRODUCER_EPOCH for every partition, as the
 * leader's check answers). Version 6 names each topic by its id instead of its name (KIP-1319), and the answer by
 * the same id: an id no topic has is UNKNOWN_TOPIC_ID for each of its partitions, which are not committed, while
 * the other topics' offsets go on as above, as Kafka answers them (with none left, the coordinator is not asked).
 * With an authorizer, as Kafka asks: WRITE on the transactional id (else every partition is
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED), READ on the group (else GROUP_AUTHORIZATION_FAILED), and READ on each topic
 * (else its partitions are TOPIC_AUTHORIZATION_FAILED, and the others are committed).
 */
final class Api28TxnOffsetCommit extends BrokerApi {
    // end::txn-offset-commit[]

    /** The first version whose producer sends no AddOffsetsToTxn (transaction version 2). */
    private static final short FIRST_ADDING_VERSION = 5;
    /** The first version that names topics by id. */
    private static final short FIRST_TOPIC_ID_VERSION = 6;

    private final AuthHelper auth;

    Api28TxnOffsetCommit(Broker broker, AuthHelper auth) {
        super(broker, 28, "TxnOffsetCommit", 0, 6, 3);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        String transactionalId = in.string("transactional_id");
        String groupId = in.string("group_id");
        TransactionalProducerFields producer = TransactionalProducerFields.read(transactionalId, in, version, 0);
        GroupMemberFields caller = GroupMemberFields.read(groupId, in, version, 3);
        boolean byId = version >= FIRST_TOPIC_ID_VERSION;
        TopicIds ids = byId ? TopicIds.of(broker) : null;
        List<CommittedOffset.Topic> topics = CommittedOffset.readTopics(in, version, 2, ids, "TxnOffsetCommitRequest");
        List<CommittedOffset> all = CommittedOffset.partitions(topics);
        List<CommittedOffset> known = CommittedOffset.partitions(topics.stream().filter(topic -> !topic.unknownId())
                .toList());
        request.asked(producer + " commits for group " + groupId + " generation " + caller.generationId() + ": "
                + Summaries.list(all.stream().map(c -> c.topic() + "-" + c.index() + " at " + c.offset()).toList()));

        Errors unauthorized = unauthorized(request, transactionalId, groupId);
        Set<String> unreadable = unauthorized != null || !auth.enabled() ? Set.of() : auth.refusedOf(request,
                AclOperation.READ, ResourceType.TOPIC, known.stream().map(CommittedOffset::topic).toList());
        List<CommittedOffset> readable = known.stream().filter(c -> !unreadable.contains(c.topic())).toList();
        Errors answer = unauthorized != null ? unauthorized : refusal(readable);
        if (answer == Errors.NONE && version >= FIRST_ADDING_VERSION && !readable.isEmpty()) {
            answer = addOffsetsPartition(transactionalId, producer);
        }
        if (answer == Errors.NONE && !readable.isEmpty()) {
            TreeMap<TopicPartition, OffsetAndMetadata> committed = new TreeMap<>();
            readable.forEach(c -> committed.put(c.partition(), c.value()));
            answer = broker.groupCoordinator().commitTransactionalOffsets(transactionalId, producer.producerId(),
                    producer.epoch(), new OffsetCommitRequest(groupId, caller.generationId(), caller.memberId(),
                            committed, caller.groupInstanceId(), byId).from(request.header().clientId(),
                            request.clientHost()));
        }
        Errors each = answer;
        boolean anyUnknown = known.size() < all.size();
        request.answered(anyUnknown ? each + ", " + Errors.UNKNOWN_TOPIC_ID + " for " + Summaries.list(topics.stream()
                .filter(CommittedOffset.Topic::unknownId).map(topic -> topic.id().toString()).toList()) : each.toString());
        ProtocolWriter out = responseWithThrottleTime(request);
        out.topicsNamedBy(topics, (w, topic) -> topic.writeKey(w, byId), CommittedOffset.Topic::partitions,
                (partitionOut, topic, c) -> partitionOut.int32(c.index()).int16((topic.unknownId()
                        ? Errors.UNKNOWN_TOPIC_ID : unreadable.contains(c.topic()) ? Errors.TOPIC_AUTHORIZATION_FAILED
                        : each).code()));
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    /**
     * What Kafka asks before the coordinator, for every partition: WRITE on the transactional id, then READ on the
     * group; null when both are allowed. A topic the principal may not READ is then answered on its own.
     */
    private Errors unauthorized(Request request, String transactionalId, String groupId) {
        if (!auth.authorize(request, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, transactionalId)) {
            return Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        }
        return auth.authorize(request, AclOperation.READ, ResourceType.GROUP, groupId) ? null
                : Errors.GROUP_AUTHORIZATION_FAILED;
    }

    /** Transaction version 2: the offsets partition joins the producer's transaction, as AddOffsetsToTxn would add it. */
    private Errors addOffsetsPartition(String transactionalId, TransactionalProducerFields producer) {
        try {
            broker.transactionCoordinator().addPartitions(transactionalId, producer.producerId(), producer.epoch(),
                    List.of(new TopicPartition(Broker.OFFSETS_TOPIC, 0)), TransactionVersion.TV_2);
            return Errors.NONE;
        } catch (ApiException e) {
            return e.error() == Errors.PRODUCER_FENCED ? Errors.INVALID_PRODUCER_EPOCH : e.error();
        }
    }

    /** A refusal of the whole commit before the coordinator sees it, the first partition's refused, or NONE. */
    private Errors refusal(List<CommittedOffset> all) {
        int metadataMaxChars = broker.config().offsetMetadataMaxChars();
        for (CommittedOffset committing : all) {
            Errors refusal = committing.refusal(CommittedOffset.partitionCount(broker, committing.topic()),
                    metadataMaxChars);
            if (refusal != null) {
                return refusal;
            }
        }
        return Errors.NONE;
    }
}
