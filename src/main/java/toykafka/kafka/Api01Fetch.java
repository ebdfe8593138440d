package toykafka.kafka;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.AbortedTransaction;
import toykafka.broker.Broker;
import toykafka.common.EpochEndOffset;
import toykafka.broker.Partitions;
import toykafka.broker.FetchParams;
import toykafka.broker.FetchPartition;
import toykafka.broker.PartitionData;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;
import toykafka.common.InvalidRequestException;
import toykafka.common.RecordBatch;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;
import toykafka.common.FetchedBatches;

// tag::fetch[]
/**
 * Fetch (key 1), versions 4–18: what a consumer reads records with. Kafka's {@code FetchRequest} and
 * {@code KafkaApis.handleFetchRequest}. Each partition asked for is read by
 * {@link Partitions#readFileSlices}: stored batches go back as their bytes lie in the log, never read
 * into memory nor decoded, but sent from the segment files to the socket by {@code sendfile}, as
 * Kafka's {@code FileRecords} are; the first of them may start before the offset asked for (the
 * consumer skips what it did not ask for). When fewer than min_bytes are there, the answer waits in
 * the broker's purgatory, holding no thread, until an append brings them or max_wait_ms passes.
 *
 * <p>Versions 0–3 are gone from Kafka 4 (librdkafka needs 4 for message format v2). v12 is flexible and adds
 * each partition's last_fetched_epoch, checked against the partition's one leader epoch, 0, as Kafka's
 * {@code Partition.readRecords} checks it: an epoch this log never had is OFFSET_OUT_OF_RANGE, and an offset past
 * the end of epoch 0, the log's end, is answered with no records and that epoch's end in diverging_epoch. v13
 * names each topic by its id, in the request, its forgotten topics and the answer (KIP-516): an id no topic has,
 * the zero id or a deleted topic's among them, is UNKNOWN_TOPIC_ID for each of its partitions. v14 may answer
 * OFFSET_MOVED_TO_TIERED_STORAGE, which never happens here, with no tiered storage. v15 moves replica_id into the
 * tagged replica_state, v16 adds the leader hints of KIP-951 (a partition's current_leader and the top-level
 * node_endpoints, sent with NOT_LEADER_OR_FOLLOWER), v17 a follower's replica_directory_id and v18 its
 * high_watermark, both tagged and read only by a leader with followers. Each partition is answered on its own:
 * an unknown partition or an offset outside the log is that partition's error, and an error anywhere answers the
 * whole fetch at once, the other partitions with what they have, as Kafka does.
 *
 * <p>Ignored, or answered as fixed values:
 * <ul>
 * <li>replica_id (replica_state's from v15): only consumers (-1) are served. This broker has no followers, so a
 *     replica's fetch gets NOT_LEADER_OR_FOLLOWER for every partition of a known topic, from v16 with this broker
 *     named as the leader, at epoch 0, as Kafka names the leader it has. The replica's epoch is read and dropped.</li>
 * <li>isolation_level: READ_COMMITTED reads each partition up to its last stable offset and lists the
 *     aborted transactions in what it read; READ_UNCOMMITTED, and a partition whose log was not read (an error,
 *     a diverging epoch), get null for them, as Kafka sends it. Its last_stable_offset is the high watermark until the partition's producer
 *     state has been read from the log (after a start, by the first idempotent append or READ_COMMITTED read):
 *     such a consumer does not look at it.</li>
 * <li>session_id / session_epoch (v7+): no fetch sessions are kept, as in a Kafka whose session cache has no
 *     room. Every answer has session_id 0, which tells a Java client (its {@code FetchSessionHandler}) to send
 *     full fetches from then on; an incremental fetch (epoch above 0) gets FETCH_SESSION_ID_NOT_FOUND, and the
 *     client starts again with a full one. forgotten_topics_data, by name or from v13 by id, is only meaningful
 *     in a session, so it is read and dropped.</li>
 * <li>current_leader_epoch (v9+) above 0, the one epoch every partition here has had, is UNKNOWN_LEADER_EPOCH
 *     for that partition, as Kafka answers a reader that has heard of a newer leader.</li>
 * <li>The follower's log_start_offset (v5+), rack_id (v11), cluster_id (v12), replica_directory_id (v17) and
 *     high_watermark (v18) are read and dropped; preferred_read_replica (v11) is always -1: read from this
 *     broker.</li>
 * <li>Throttled as Kafka throttles a consumer (KIP-219): max_bytes is held to what the client's {@code
 *     consumer_byte_rate} allows in the windows measured, and the answer's size counts against it; over it, the
 *     answer is sent empty with {@code throttle_time_ms} (its size not counted), and the connection reads nothing
 *     more until that passes.</li>
 * </ul>
 *
 * <p>With an authorizer ({@code authorizer.class.name}), a consumer needs READ on each topic, as Kafka's
 * {@code handleFetchRequest} asks; a topic it may not read is TOPIC_AUTHORIZATION_FAILED for each of its partitions,
 * and the rest are read.
 */
final class Api01Fetch extends BrokerApi {
    // end::fetch[]

    /** The replica id a consumer sends; a follower sends its broker id. */
    private static final int CONSUMER = -1;
    private static final byte READ_UNCOMMITTED = 0;
    private static final byte READ_COMMITTED = 1;
    /** The first flexible version, which also brings last_fetched_epoch and diverging_epoch. */
    private static final short FIRST_FLEXIBLE_VERSION = 12;
    /** The first version that names each topic by its id alone. */
    private static final short FIRST_TOPIC_ID_VERSION = 13;
    /** The first version whose replica id is in the tagged replica_state. */
    private static final short FIRST_REPLICA_STATE_VERSION = 15;
    /** The first version that names the current leader beside NOT_LEADER_OR_FOLLOWER. */
    private static final short FIRST_LEADER_HINT_VERSION = 16;
    /** The request's tagged field that holds replica_state, from v15. */
    private static final int REPLICA_STATE_TAG = 1;

    private final AuthHelper auth;

    Api01Fetch(Broker broker, AuthHelper auth) {
        super(broker, 1, "Fetch", 4, 18, FIRST_FLEXIBLE_VERSION);
        this.auth = auth;
    }

    /** One partition asked for: where to start, the most bytes to take from it, and the reader's epochs. */
    private record Wanted(int partition, long offset, int maxBytes, int currentLeaderEpoch, int lastFetchedEpoch) {
    }

    /**
     * One topic of the request, with its partitions in the order asked, and its id (zero below v13). From v13 it
     * is named by id, and its name is null when no topic has that id.
     */
    private record WantedTopic(String topic, TopicId id, List<Wanted> partitions) {

        /** Its name, or its id when no topic has it: for the trace. */
        String traced() {
            return topic != null ? topic : "topic id " + id;
        }
    }

    /** The request's fields this broker acts on. */
    private record FetchRequest(int replicaId, int maxWaitMs, int minBytes, int maxBytes, boolean readCommitted,
                                int sessionId, int sessionEpoch, List<WantedTopic> topics) {
    }

    // tag::handle[]
    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        FetchRequest fetch = read(request.body(), request.version());
        request.asked(() -> asked(fetch));
        if (fetch.sessionEpoch() != 0 && fetch.sessionEpoch() != -1) { // 0 asks for a session, -1 for none
            return CompletableFuture.completedFuture(answerSessionNotFound(fetch, request));
        }
        if (fetch.replicaId() != CONSUMER) {
            String why = "replica " + fetch.replicaId() + " cannot follow this broker: it has no followers,"
                    + " and consumers send replica_id -1";
            return CompletableFuture.completedFuture(answer(fetch, Map.of(), why, Set.of(), request));
        }
        Set<String> unreadable = !auth.enabled() ? Set.of() : auth.refusedOf(request, AclOperation.READ,
                ResourceType.TOPIC, fetch.topics().stream().map(WantedTopic::topic).filter(Objects::nonNull).toList());
        List<FetchPartition> toRead = new ArrayList<>();
        for (WantedTopic topic : fetch.topics()) {
            for (Wanted wanted : topic.partitions()) {
                if (topic.topic() != null && wanted.partition() >= 0 && !unreadable.contains(topic.topic())) {
                    TopicPartition partition = new TopicPartition(topic.topic(), wanted.partition());
                    toRead.add(new FetchPartition(partition, wanted.offset(), wanted.maxBytes(),
                            wanted.currentLeaderEpoch(), wanted.lastFetchedEpoch()));
                }
            }
        }
        FetchParams params = new FetchParams(Duration.ofMillis(fetch.maxWaitMs()), fetch.minBytes(),
                FetchQuota.maxBytes(broker, request, fetch.maxBytes()), toRead, fetch.readCommitted());
        if (toRead.isEmpty()) { // nothing to wait for: Kafka answers such a fetch at once
            return CompletableFuture.completedFuture(answer(fetch, Map.of(), null, unreadable, request));
        }
        return broker.partitions().readFileSlices(params)
                .thenApply(read -> withinQuota(answer(fetch, read, null, unreadable, request), request));
    }
    // end::handle[]

    /** An answer over the client's consumer_byte_rate goes empty: a full fetch's empty answer, no error (KIP-219). */
    private ProtocolWriter withinQuota(ProtocolWriter answer, Request request) {
        return FetchQuota.withinQuota(broker, request, answer, () -> {
            ProtocolWriter out = responseWithThrottleTime(request);
            if (request.version() >= 7) {
                out.int16(Errors.NONE.code()).int32(0);
            }
            return out.arrayLength(0).taggedFields();
        });
    }

    private FetchRequest read(ProtocolReader in, short version) {
        int replicaId = version < FIRST_REPLICA_STATE_VERSION ? in.int32("replica_id") : CONSUMER;
        int maxWaitMs = in.int32("max_wait_ms");
        int minBytes = in.int32("min_bytes");
        int maxBytes = in.int32("max_bytes");
        byte isolation = in.int8("isolation_level");
        if (isolation != READ_UNCOMMITTED && isolation != READ_COMMITTED) {
            throw new InvalidRequestException("isolation_level must be 0 (READ_UNCOMMITTED) or 1 (READ_COMMITTED),"
                    + " was " + isolation);
        }
        int sessionId = 0;
        int sessionEpoch = -1;
        if (version >= 7) {
            sessionId = in.int32("session_id");
            sessionEpoch = in.int32("session_epoch");
        }
        TopicIds ids = version >= FIRST_TOPIC_ID_VERSION ? TopicIds.of(broker) : null;
        List<WantedTopic> topics = in.array("topics", topic -> readTopic(topic, ids, version));
        if (version >= 7) {
            in.array("forgotten_topics_data", forgotten -> { // only a session would forget: read and dropped
                String topic = ids == null ? forgotten.string("forgotten topic")
                        : "topic id " + forgotten.topicId("forgotten topic_id");
                forgotten.array("forgotten partitions of " + topic, p -> p.int32("forgotten partition"));
                forgotten.taggedFields("ForgottenTopic");
                return topic;
            });
        }
        if (version >= 11) {
            in.string("rack_id");
        }
        int[] replicaState = {replicaId};
        in.taggedFields("FetchRequest", version < FIRST_REPLICA_STATE_VERSION ? Map.of()
                : Map.of(REPLICA_STATE_TAG, state -> {
                    replicaState[0] = state.int32("replica_state replica_id");
                    state.int64("replica_state replica_epoch");
                    state.taggedFields("ReplicaState");
                }));
        return new FetchRequest(replicaState[0], maxWaitMs, minBytes, maxBytes, isolation == READ_COMMITTED, sessionId,
                sessionEpoch, topics);
    }

    /** One topic of the request: by name, or from v13 by id, looked up in {@code ids}. */
    private static WantedTopic readTopic(ProtocolReader in, TopicIds ids, short version) {
        TopicId id = ids == null ? TopicId.ZERO : in.topicId("topic_id");
        String name = ids == null ? in.string("topic") : ids.name(id);
        List<Wanted> partitions = in.array("partitions of " + (name != null ? name : "topic id " + id),
                partition -> readPartition(partition, version));
        in.taggedFields("FetchTopic");
        return new WantedTopic(name, id, partitions);
    }

    private static Wanted readPartition(ProtocolReader in, short version) {
        int partition = in.int32("partition");
        int currentLeaderEpoch = version >= 9 ? in.int32("current_leader_epoch") : FetchPartition.NO_EPOCH;
        long offset = in.int64("fetch_offset");
        int lastFetchedEpoch = version >= FIRST_FLEXIBLE_VERSION ? in.int32("last_fetched_epoch")
                : FetchPartition.NO_EPOCH;
        if (version >= 5) {
            in.int64("log_start_offset"); // a follower's; consumers send -1
        }
        int maxBytes = in.int32("partition_max_bytes");
        in.taggedFields("FetchPartition"); // a follower's replica_directory_id (v17) and high_watermark (v18)
        return new Wanted(partition, offset, maxBytes, currentLeaderEpoch, lastFetchedEpoch);
    }

    // tag::answer[]
    /**
     * The response: every partition asked for, in the order asked, with what the read found, or
     * {@code refusal} (NOT_LEADER_OR_FOLLOWER) for all of them, or TOPIC_AUTHORIZATION_FAILED for a topic of
     * {@code unreadable}, which the principal may not READ. A Java client counts a full fetch's answer
     * that leaves out a partition as invalid, so none is left out, not even one refused. From v13 each topic is
     * answered by the id it was asked by. (Kafka puts the partitions it never read, of a topic or partition it does
     * not know, after the rest; clients match the answers to what they asked by name or id, not by place.)
     */
    private ProtocolWriter answer(FetchRequest fetch, Map<TopicPartition, PartitionData> read, String refusal,
                                  Set<String> unreadable, Request request) {
        short version = request.version();
        ProtocolWriter out = responseWithThrottleTime(request);
        if (version >= 7) {
            out.int16(Errors.NONE.code()).int32(0); // session_id 0: no session, send full fetches
        }
        Map<String, PartitionData> answered = new LinkedHashMap<>(); // for --trace, worded only if it prints
        out.array(fetch.topics(), (topicOut, topic) -> {
            if (version >= FIRST_TOPIC_ID_VERSION) {
                topicOut.topicId(topic.id());
            } else {
                topicOut.string(topic.topic());
            }
            topicOut.array(topic.partitions(), (partitionOut, wanted) -> {
                PartitionData data = topic.topic() == null ? refused(Errors.UNKNOWN_TOPIC_ID, "no topic has the id "
                                + topic.id(), wanted)
                        : refusal != null ? refused(Errors.NOT_LEADER_OR_FOLLOWER, refusal, wanted)
                        : unreadable.contains(topic.topic()) ? refused(Errors.TOPIC_AUTHORIZATION_FAILED, "not"
                                + " authorized to READ " + topic.topic(), wanted)
                        : wanted.partition() < 0 ? refused(Errors.UNKNOWN_TOPIC_OR_PARTITION, "partition numbers"
                                + " start at 0", wanted)
                        : read.get(new TopicPartition(topic.topic(), wanted.partition()));
                writePartition(partitionOut, wanted.partition(), data, fetch.readCommitted(), version);
                answered.put(topic.traced() + "-" + wanted.partition(), data);
            });
            topicOut.taggedFields();
        });
        if (leaderHinted(answered.values(), version)) {
            out.unsignedVarint(1).taggedField(0, endpoints -> request.listener().writeNode(endpoints.arrayLength(1))
                    .nullableString(null).taggedFields());
        } else {
            out.taggedFields();
        }
        request.answered(() -> {
            TraceList summary = new TraceList();
            answered.forEach((partition, data) -> summary.add(answered(partition, data)));
            return summary.toString();
        });
        return out;
    }

    private void writePartition(ProtocolWriter out, int partition, PartitionData data, boolean readCommitted,
                                short version) {
        out.int32(partition).int16(data.error().code()).int64(data.highWatermark());
        out.int64(data.lastStableOffset());
        if (version >= 5) {
            out.int64(data.logStartOffset());
        }
        List<AbortedTransaction> aborted = data.abortedTransactions();
        if (!readCommitted || aborted == null) {
            out.arrayLength(-1); // aborted_transactions: null, not asked for or the log not read
        } else {
            out.array(aborted, (w, transaction) ->
                    w.int64(transaction.producerId()).int64(transaction.firstOffset()).taggedFields());
        }
        if (version >= 11) {
            out.int32(-1); // preferred_read_replica: this one
        }
        if (data.slices().isEmpty() && data.batches().bytes().hasRemaining()) {
            out.nullableBytes(data.batches().bytes()); // a log in memory has no file: from the heap
        } else {
            out.records(data.slices()); // the stored batches, sent from the log's files when the answer goes out
        }
        if (version >= FIRST_FLEXIBLE_VERSION) {
            writeTaggedFields(out, data, version);
        }
    }
    // end::answer[]

    /**
     * A partition's tagged fields: where the log diverges from the reader's (tag 0), and from v16 the leader
     * beside NOT_LEADER_OR_FOLLOWER (tag 1): this broker, at the one epoch its partitions have had.
     */
    private void writeTaggedFields(ProtocolWriter out, PartitionData data, short version) {
        EpochEndOffset diverging = data.divergingEpoch();
        boolean leaderHint = leaderHinted(List.of(data), version);
        out.unsignedVarint((diverging != null ? 1 : 0) + (leaderHint ? 1 : 0));
        if (diverging != null) {
            out.taggedField(0, w -> w.int32(diverging.epoch()).int64(diverging.endOffset()).taggedFields());
        }
        if (leaderHint) {
            out.taggedField(1, w -> w.int32(broker.nodeId()).int32(RecordBatch.FIRST_LEADER_EPOCH).taggedFields());
        }
    }

    /** Whether the answer names the leader (v16+): when a partition is NOT_LEADER_OR_FOLLOWER, as Kafka's does. */
    private static boolean leaderHinted(Collection<PartitionData> answered, short version) {
        return version >= FIRST_LEADER_HINT_VERSION
                && answered.stream().anyMatch(data -> data.error() == Errors.NOT_LEADER_OR_FOLLOWER);
    }

    /** An incremental fetch in a session this broker never opened: the client starts over with a full fetch. */
    private static ProtocolWriter answerSessionNotFound(FetchRequest fetch, Request request) {
        request.answered(Errors.FETCH_SESSION_ID_NOT_FOUND + ": session " + fetch.sessionId() + " epoch "
                + fetch.sessionEpoch() + "; this broker keeps no fetch sessions");
        return responseWithThrottleTime(request).int16(Errors.FETCH_SESSION_ID_NOT_FOUND.code()).int32(0)
                .arrayLength(0).taggedFields();
    }

    /** "orders-0 from 12, orders-1 from 0; wait 500 ms for 1 B, at most 50.0 MB" */
    private static String asked(FetchRequest fetch) {
        TraceList partitions = new TraceList();
        fetch.topics().forEach(topic -> topic.partitions().forEach(wanted ->
                partitions.add(topic.traced() + "-" + wanted.partition() + " from " + wanted.offset())));
        return partitions + "; wait " + fetch.maxWaitMs() + " ms for " + TraceList.bytes(fetch.minBytes()) + ", at most "
                + TraceList.bytes(fetch.maxBytes()) + (fetch.replicaId() != CONSUMER ? "; from replica " + fetch.replicaId() : "");
    }

    /**
     * "orders-0 1.2 KB of batches, next offset 14 (high watermark 20)", "orders-1 OFFSET_OUT_OF_RANGE: ...", or
     * "orders-2 diverges: epoch 0 ends at 20 (high watermark 20)"
     */
    private static String answered(String partition, PartitionData data) {
        if (data.error() != Errors.NONE) {
            return partition + " " + data.error() + (data.message() != null ? ": " + data.message() : "");
        }
        if (data.divergingEpoch() != null) {
            return partition + " diverges: epoch " + data.divergingEpoch().epoch() + " ends at "
                    + data.divergingEpoch().endOffset() + " (high watermark " + data.highWatermark() + ")";
        }
        if (data.size() == 0) {
            return partition + " nothing (high watermark " + data.highWatermark() + ")";
        }
        return partition + " " + TraceList.bytes(data.size()) + " of batches, next offset "
                + data.batches().nextOffset() + " (high watermark " + data.highWatermark() + ")";
    }

    private static PartitionData refused(Errors error, String message, Wanted wanted) {
        return new PartitionData(error, message, -1, -1,
                new FetchedBatches(ByteBuffer.allocate(0), wanted.offset(), wanted.offset()));
    }
}
