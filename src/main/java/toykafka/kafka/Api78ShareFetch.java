package toykafka.kafka;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.broker.share.SharePartitions;
import toykafka.broker.share.ShareSessions;
import toykafka.broker.share.partition.AcquiredRecords;
import toykafka.broker.share.partition.ShareAcquireMode;
import toykafka.broker.share.partition.ShareFetchLimits;
import toykafka.broker.share.partition.SharePartitionException;
import toykafka.common.Errors;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;
import toykafka.kafka.ShareAcknowledgements.Named;

// tag::share-fetch[]
/**
 * ShareFetch (key 78), versions 1–2, flexible: how a share consumer reads (KIP-932). Kafka's {@code
 * KafkaApis.handleShareFetchRequest}. The request goes through the member's share session ({@link ShareSessions}):
 * epoch 0 opens it with the partitions named, later epochs add and forget partitions, -1 closes it, and so does
 * closing the connection that opened it. Acknowledgements
 * of records fetched before ride along and are applied first, each partition answering in AcknowledgeErrorCode; then
 * every partition of the session is read, and the answer carries the stored batches holding the records acquired for
 * this member, with each acquired run's first and last offset and delivery count, and how long the locks last
 * (AcquisitionLockTimeoutMs, the group's {@code share.record.lock.duration.ms}). When nothing could be acquired, the
 * answer waits up to MaxWaitMs for records to be appended. Partitions the group never fetched from are started one by
 * one, after the others were read, and the answer goes with the first that has records, as Kafka's does while each
 * share partition loads its state: a group's first fetch from several partitions answers from one of them.
 *
 * <p>Version 2 adds ShareAcquireMode ({@code record_limit} keeps to MaxRecords exactly) and IsRenewAck (the request
 * only renews locks: nothing is fetched, so it must ask for no bytes, records or wait). A closing request (-1) is not
 * fetched for; it gives back what the member still holds. Acknowledgement batches are checked as in {@link
 * ShareAcknowledgements#invalid}, a partition at a time.
 *
 * <p>A MaxBytes of 0 or less fails each partition that has records to acquire with UNKNOWN_SERVER_ERROR, as
 * Kafka's does: it has no bytes to share out over them.
 *
 * <p>With an authorizer, as Kafka's handler checks: the group needs READ, else GROUP_AUTHORIZATION_FAILED for the
 * whole request before the session is touched; each topic needs READ, else its partitions are
 * TOPIC_AUTHORIZATION_FAILED, neither read nor acknowledged.
 *
 * <p>Under a {@code consumer_byte_rate} quota, as Kafka 4.4 counts share fetches: MaxBytes is held to one quota
 * window's worth, and an answer that takes the client over its quota is sent empty with the throttle time ({@link
 * FetchQuota}).
 *
 * <p>Ignored: MinBytes (an answer goes as soon as any record is acquired; a renewing request must send 0); MaxBytes
 * bounds each partition's read, not the whole answer; NodeEndpoints is empty and CurrentLeader always this broker,
 * which leads every partition.
 */
final class Api78ShareFetch extends BrokerApi {
    // end::share-fetch[]

    private final AuthHelper auth;

    Api78ShareFetch(Broker broker, AuthHelper auth) {
        super(broker, 78, "ShareFetch", 1, 2, 0);
        this.auth = auth;
    }

    /** A partition the request names, with the acknowledgements it carries for it. */
    private record Wanted(Named partition, List<ShareAcknowledgements.WireBatch> acks) {
    }

    private record ShareFetchRequest(String groupId, String memberId, int epoch, int maxWaitMs, int minBytes,
                                     int maxBytes, int maxRecords, int batchSize, ShareAcquireMode mode,
                                     boolean renewOnly, List<Wanted> wanted, List<Named> forgotten) {
    }

    /** One partition's answer. */
    private record Answer(Errors error, String message, SharePartitions.Acknowledged acknowledged, ByteBuffer records,
                          List<AcquiredRecords> acquired) {
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        TopicIds topics = TopicIds.of(broker);
        ShareFetchRequest fetch = read(request.body(), request.version(), topics);
        request.asked(() -> "share group " + fetch.groupId() + " member " + fetch.memberId() + " session epoch "
                + fetch.epoch() + ", " + fetch.wanted().size() + " partitions named, up to " + fetch.maxRecords()
                + " records, wait " + fetch.maxWaitMs() + " ms");
        if (fetch.groupId() != null
                && !auth.authorize(request, AclOperation.READ, ResourceType.GROUP, fetch.groupId())) {
            return CompletableFuture.completedFuture(refused(Errors.GROUP_AUTHORIZATION_FAILED, null, request));
        }
        String invalid = invalid(fetch);
        if (invalid != null) {
            return CompletableFuture.completedFuture(refused(Errors.INVALID_REQUEST, invalid, request));
        }
        List<TopicPartition> added = fetch.wanted().stream().map(w -> w.partition().topicPartition())
                .filter(tp -> tp != null).distinct().toList();
        List<TopicPartition> forgotten = fetch.forgotten().stream().map(Named::topicPartition)
                .filter(tp -> tp != null).toList();
        List<ShareAcknowledgements.Acks> acks = fetch.wanted().stream().filter(w -> !w.acks().isEmpty())
                .map(w -> ShareAcknowledgements.Acks.of(w.partition(), w.acks(), request.version(), fetch.renewOnly()))
                .toList();
        SharePartitions shares = broker.sharePartitions();
        List<TopicPartition> session;
        try {
            session = shares.sessions().fetch(fetch.groupId(), fetch.memberId(), fetch.epoch(), added, forgotten,
                    !acks.isEmpty(), request.connectionId());
        } catch (SharePartitionException e) {
            return CompletableFuture.completedFuture(refused(e.error(), e.getMessage(), request));
        }
        List<Named> named = new ArrayList<>(fetch.wanted().stream().map(Wanted::partition).toList());
        session.forEach(partition -> named.add(new Named(null, partition.partition(), partition)));
        Set<String> refusedTopics = auth.refusedOf(request, AclOperation.READ, ResourceType.TOPIC, topicsOf(named));
        Map<Named, SharePartitions.Acknowledged> acknowledged = ShareAcknowledgements.apply(broker, fetch.groupId(),
                fetch.memberId(), acks, refusedTopics);
        int lockMs = shares.settings(fetch.groupId()).recordLockDurationMs();
        if (fetch.epoch() == ShareSessions.FINAL) {
            shares.release(fetch.groupId(), fetch.memberId());
        }
        if (fetch.epoch() == ShareSessions.FINAL || fetch.renewOnly()) {
            return CompletableFuture.completedFuture(answer(fetch, Map.of(), acknowledged, topics, lockMs, request));
        }
        // a partition of a topic the principal may not READ is answered so, and not read
        Map<TopicPartition, SharePartitions.Fetched> refusedPartitions = new LinkedHashMap<>();
        session.stream().filter(partition -> refusedTopics.contains(partition.topic())).forEach(partition ->
                refusedPartitions.put(partition, new SharePartitions.Fetched(Errors.TOPIC_AUTHORIZATION_FAILED, null,
                        null, List.of())));
        List<TopicPartition> readable = session.stream().filter(p -> !refusedPartitions.containsKey(p)).toList();
        if (readable.isEmpty() && !refusedPartitions.isEmpty()) {
            return CompletableFuture.completedFuture(answer(fetch, refusedPartitions, acknowledged, topics, lockMs,
                    request));
        }
        ShareFetchLimits limits = new ShareFetchLimits(fetch.mode(), fetch.maxRecords(), fetch.batchSize());
        return shares.fetch(fetch.groupId(), fetch.memberId(), readable, limits,
                        FetchQuota.maxBytes(broker, request, fetch.maxBytes()),
                        Duration.ofMillis(Math.max(0, fetch.maxWaitMs())))
                .thenApply(read -> {
                    Map<TopicPartition, SharePartitions.Fetched> all = new LinkedHashMap<>(refusedPartitions);
                    all.putAll(read);
                    // over the quota the answer goes empty, as Kafka's throttled one; what it acquired stays
                    // acquired until its lock runs out, then goes to the next member, as in Kafka
                    return FetchQuota.withinQuota(broker, request, answer(fetch, all, acknowledged, topics, lockMs,
                            request), () -> responseWithThrottleTime(request).int16(Errors.NONE.code())
                            .nullableString(null).int32(0).arrayLength(0).arrayLength(0).taggedFields());
                });
    }

    /**
     * Kafka's checks before the session is touched: a group id, a member id of 1 to 36 characters, and for a renewing
     * request no wait, bytes or records asked for. Beyond Kafka, a fetch must ask for at least one record.
     */
    private static String invalid(ShareFetchRequest fetch) {
        if (fetch.groupId() == null) {
            return "Invalid group id in the request.";
        }
        if (!validMemberId(fetch.memberId())) {
            return "Invalid member id in the request.";
        }
        if (fetch.renewOnly()) {
            String zeros = (fetch.maxBytes() != 0 ? "maxBytes must be set to 0, " : "")
                    + (fetch.minBytes() != 0 ? "minBytes must be set to 0, " : "")
                    + (fetch.maxRecords() != 0 ? "maxRecords must be set to 0, " : "")
                    + (fetch.maxWaitMs() != 0 ? "maxWaitMs must be set to 0, " : "");
            return zeros.isEmpty() ? null : zeros + "if isRenewAck is true.";
        }
        if (fetch.maxRecords() < 1 || fetch.batchSize() < 1) {
            return "MaxRecords and BatchSize must be at least 1, were " + fetch.maxRecords() + " and "
                    + fetch.batchSize();
        }
        return null;
    }

    /** The names of the topics of {@code partitions} the broker knows. */
    static List<String> topicsOf(List<Named> partitions) {
        return partitions.stream().map(Named::topicPartition).filter(tp -> tp != null).map(TopicPartition::topic)
                .toList();
    }

    /** Kafka's rule for the member id of ShareFetch and ShareAcknowledge: 1 to 36 characters (a Uuid's string). */
    static boolean validMemberId(String memberId) {
        return memberId != null && !memberId.isEmpty() && memberId.length() <= 36;
    }

    private static ShareFetchRequest read(ProtocolReader in, short version, TopicIds topics) {
        String groupId = in.nullableString("group_id");
        String memberId = in.nullableString("member_id");
        int epoch = in.int32("share_session_epoch");
        int maxWaitMs = in.int32("max_wait_ms");
        int minBytes = in.int32("min_bytes");
        int maxBytes = in.int32("max_bytes");
        int maxRecords = in.int32("max_records");
        int batchSize = in.int32("batch_size");
        ShareAcquireMode mode = version >= 2 ? ShareAcquireMode.forId(in.int8("share_acquire_mode"))
                : ShareAcquireMode.BATCH_OPTIMIZED;
        boolean renewOnly = version >= 2 && in.bool("is_renew_ack");
        List<Wanted> wanted = new ArrayList<>();
        ShareAcknowledgements.readTopics(in, topics, "Fetch",
                (partition, acks) -> wanted.add(new Wanted(partition, acks)));
        List<Named> forgotten = new ArrayList<>();
        in.array("forgotten_topics_data", topic -> {
            TopicId id = topic.topicId("topic_id");
            topic.array("partitions", p -> forgotten.add(ShareAcknowledgements.named(topics, id,
                    p.int32("partition"))));
            topic.taggedFields("ForgottenTopic");
            return id;
        });
        in.taggedFields("ShareFetchRequest");
        return new ShareFetchRequest(groupId, memberId, epoch, maxWaitMs, minBytes, maxBytes, maxRecords, batchSize,
                mode, renewOnly, wanted, forgotten);
    }

    // tag::share-fetch-answer[]
    /**
     * The answer: every partition read, every partition named whose topic id the broker does not know
     * (UNKNOWN_TOPIC_ID), and every partition acknowledged, grouped by topic id.
     */
    private ProtocolWriter answer(ShareFetchRequest fetch, Map<TopicPartition, SharePartitions.Fetched> read,
                                  Map<Named, SharePartitions.Acknowledged> acknowledged, TopicIds topics, int lockMs,
                                  Request request) {
        Map<Named, Answer> answers = new LinkedHashMap<>();
        read.forEach((partition, fetched) -> answers.put(
                new Named(topics.id(partition.topic()), partition.partition(), partition),
                new Answer(fetched.error(), fetched.message(), null, fetched.records(), fetched.acquired())));
        for (Wanted wanted : fetch.wanted()) {
            if (wanted.partition().topicPartition() == null) {
                answers.putIfAbsent(wanted.partition(), new Answer(Errors.UNKNOWN_TOPIC_ID,
                        "This server does not host this topic ID.", null, null, List.of()));
            }
        }
        acknowledged.forEach((partition, ack) -> {
            Answer was = answers.get(partition);
            answers.put(partition, was == null ? new Answer(Errors.NONE, null, ack, null, List.of())
                    : new Answer(was.error(), was.message(), ack, was.records(), was.acquired()));
        });
        request.answered(() -> summary(answers));
        ProtocolWriter out = responseWithThrottleTime(request);
        out.int16(Errors.NONE.code()).nullableString(null).int32(lockMs);
        Map<TopicId, List<Map.Entry<Named, Answer>>> byTopic = new LinkedHashMap<>();
        answers.entrySet().forEach(e -> byTopic.computeIfAbsent(e.getKey().id(), id -> new ArrayList<>()).add(e));
        out.array(List.copyOf(byTopic.entrySet()), (w, topic) -> {
            w.topicId(topic.getKey());
            w.array(topic.getValue(), (p, entry) -> writePartition(p, entry.getKey().partition(), entry.getValue()));
            w.taggedFields();
        });
        out.arrayLength(0); // node_endpoints: no partition moved
        return out.taggedFields();
    }
    // end::share-fetch-answer[]

    private void writePartition(ProtocolWriter out, int partition, Answer answer) {
        SharePartitions.Acknowledged ack = answer.acknowledged();
        out.int32(partition).int16(answer.error().code()).nullableString(answer.message())
                .int16(ack == null ? Errors.NONE.code() : ack.error().code())
                .nullableString(ack == null ? null : ack.message());
        ShareAcknowledgements.writeLeader(out, broker);
        out.nullableBytes(answer.records() == null ? ByteBuffer.allocate(0) : answer.records());
        out.array(answer.acquired(), (a, run) -> a.int64(run.firstOffset()).int64(run.lastOffset())
                .int16((short) run.deliveryCount()).taggedFields());
        out.taggedFields();
    }

    private ProtocolWriter refused(Errors error, String message, Request request) {
        request.answered(() -> error + ": " + message);
        return responseWithThrottleTime(request).int16(error.code()).nullableString(message).int32(0)
                .arrayLength(0).arrayLength(0).taggedFields();
    }

    private static String summary(Map<Named, Answer> answers) {
        TraceList list = new TraceList();
        answers.forEach((named, answer) -> list.add((named.topicPartition() == null ? named.id() + "-"
                + named.partition() : named.topicPartition().toString()) + " " + (answer.error() != Errors.NONE
                ? answer.error().toString() : answer.acquired().isEmpty() ? "nothing acquired" : "acquired "
                + answer.acquired())
                + (answer.acknowledged() == null ? "" : ", acknowledged " + answer.acknowledged().error())));
        return list.toString();
    }
}
