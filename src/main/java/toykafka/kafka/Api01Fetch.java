package toykafka.kafka;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.AbortedTransaction;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.broker.FetchParams;
import toykafka.broker.FetchPartition;
import toykafka.broker.PartitionData;
import toykafka.common.Errors;
import toykafka.common.InvalidRequestException;
import toykafka.common.TopicPartition;
import toykafka.common.FetchedBatches;

// tag::fetch[]
/**
 * Fetch (key 1), versions 4–11: what a consumer reads records with. Kafka's {@code FetchRequest} and
 * {@code KafkaApis.handleFetchRequest}. Each partition asked for is read by
 * {@link Partitions#readFileSlices}: stored batches go back as their bytes lie in the log, never read
 * into memory nor decoded, but sent from the segment files to the socket by {@code sendfile}, as
 * Kafka's {@code FileRecords} are; the first of them may start before the offset asked for (the
 * consumer skips what it did not ask for). When fewer than min_bytes are there, the answer waits in
 * the broker's purgatory, holding no thread, until an append brings them or max_wait_ms passes.
 *
 * <p>Versions 0–3 are gone from Kafka 4 (librdkafka needs 4 for message format v2); 12 and up are
 * flexible and not served. Each partition is answered on its own: an unknown partition or an offset
 * outside the log is that partition's error, and an error anywhere answers the whole fetch at once, the
 * other partitions with what they have, as Kafka does.
 *
 * <p>Ignored, or answered as fixed values:
 * <ul>
 * <li>replica_id: only consumers (-1) are served. This broker has no followers, so a replica's fetch gets
 *     NOT_LEADER_OR_FOLLOWER for every partition.</li>
 * <li>isolation_level: READ_COMMITTED reads each partition up to its last stable offset and lists the
 *     aborted transactions in what it read; READ_UNCOMMITTED gets null for them, as Kafka sends it. Its
 *     last_stable_offset is the high watermark until the partition's producer state has been read from
 *     the log (after a start, by the first idempotent append or READ_COMMITTED read): such a consumer
 *     does not look at it.</li>
 * <li>session_id / session_epoch (v7+): no fetch sessions are kept. Every answer has session_id 0, which
 *     tells a Java client (its {@code FetchSessionHandler}) to send full fetches from then on; an
 *     incremental fetch (epoch above 0) gets FETCH_SESSION_ID_NOT_FOUND, and the client starts again with
 *     a full one. forgotten_topics_data is only meaningful in a session, so it is read and dropped.</li>
 * <li>current_leader_epoch (v9+), the follower's log_start_offset (v5+) and rack_id (v11) are read and
 *     dropped; preferred_read_replica (v11) is always -1: read from this broker.</li>
 * <li>throttle_time_ms is always 0.</li>
 * </ul>
 */
final class Api01Fetch extends BrokerApi {
    // end::fetch[]

    /** The replica id a consumer sends; a follower sends its broker id. */
    private static final int CONSUMER = -1;
    private static final byte READ_UNCOMMITTED = 0;
    private static final byte READ_COMMITTED = 1;

    Api01Fetch(Broker broker) {
        super(broker, 1, "Fetch", 4, 11, 12);
    }

    /** One partition asked for: where to start and the most bytes to take from it. */
    private record Wanted(int partition, long offset, int maxBytes) {
    }

    /** One topic of the request, with its partitions in the order asked. */
    private record WantedTopic(String topic, List<Wanted> partitions) {
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
            return CompletableFuture.completedFuture(answer(fetch, Map.of(), why, request));
        }
        List<FetchPartition> toRead = new ArrayList<>();
        for (WantedTopic topic : fetch.topics()) {
            for (Wanted wanted : topic.partitions()) {
                if (wanted.partition() >= 0) { // a negative one is no partition: answered below without asking
                    toRead.add(new FetchPartition(new TopicPartition(topic.topic(), wanted.partition()), wanted.offset(),
                            wanted.maxBytes()));
                }
            }
        }
        FetchParams params = new FetchParams(Duration.ofMillis(fetch.maxWaitMs()), fetch.minBytes(), fetch.maxBytes(),
                toRead, fetch.readCommitted());
        if (toRead.isEmpty()) { // nothing to wait for: Kafka answers such a fetch at once
            return CompletableFuture.completedFuture(answer(fetch, Map.of(), null, request));
        }
        return broker.partitions().readFileSlices(params).thenApply(read -> answer(fetch, read, null, request));
    }
    // end::handle[]

    private static FetchRequest read(ProtocolReader in, short version) {
        int replicaId = in.int32("replica_id");
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
        List<WantedTopic> topics = in.array("topics", topic -> new WantedTopic(topic.string("topic"),
                topic.array("partitions", partition -> readPartition(partition, version))));
        if (version >= 7) {
            in.array("forgotten_topics_data", forgotten -> {
                forgotten.string("forgotten topic");
                return forgotten.array("forgotten partitions", p -> p.int32("forgotten partition"));
            });
        }
        if (version >= 11) {
            in.string("rack_id");
        }
        return new FetchRequest(replicaId, maxWaitMs, minBytes, maxBytes, isolation == READ_COMMITTED, sessionId,
                sessionEpoch, topics);
    }

    private static Wanted readPartition(ProtocolReader in, short version) {
        int partition = in.int32("partition");
        if (version >= 9) {
            in.int32("current_leader_epoch");
        }
        long offset = in.int64("fetch_offset");
        if (version >= 5) {
            in.int64("log_start_offset"); // a follower's; consumers send -1
        }
        return new Wanted(partition, offset, in.int32("partition_max_bytes"));
    }

    // tag::answer[]
    /**
     * The response: every partition asked for, in the order asked, with what the read found, or
     * {@code refusal} (NOT_LEADER_OR_FOLLOWER) for all of them. A Java client counts a full fetch's answer
     * that leaves out a partition as invalid, so none is left out, not even one refused.
     */
    private ProtocolWriter answer(FetchRequest fetch, Map<TopicPartition, PartitionData> read, String refusal,
                                  Request request) {
        short version = request.version();
        ProtocolWriter out = responseWithThrottleTime(request);
        if (version >= 7) {
            out.int16(Errors.NONE.code()).int32(0); // session_id 0: no session, send full fetches
        }
        Map<String, PartitionData> answered = new LinkedHashMap<>(); // for --trace, worded only if it prints
        out.topics(fetch.topics(), WantedTopic::topic, WantedTopic::partitions,
                (partitionOut, topic, wanted) -> {
                    PartitionData data = refusal != null ? refused(Errors.NOT_LEADER_OR_FOLLOWER, refusal, wanted)
                            : wanted.partition() < 0 ? refused(Errors.UNKNOWN_TOPIC_OR_PARTITION, "partition numbers"
                                    + " start at 0", wanted)
                            : read.get(new TopicPartition(topic.topic(), wanted.partition()));
                    writePartition(partitionOut, wanted.partition(), data, fetch.readCommitted(), version);
                    answered.put(topic.topic() + "-" + wanted.partition(), data);
                });
        request.answered(() -> {
            TraceList summary = new TraceList();
            answered.forEach((partition, data) -> summary.add(answered(partition, data)));
            return summary.toString();
        });
        return out;
    }

    private static void writePartition(ProtocolWriter out, int partition, PartitionData data, boolean readCommitted,
                                       short version) {
        out.int32(partition).int16(data.error().code()).int64(data.highWatermark());
        out.int64(data.lastStableOffset());
        if (version >= 5) {
            out.int64(data.logStartOffset());
        }
        List<AbortedTransaction> aborted = data.abortedTransactions();
        if (!readCommitted) {
            out.arrayLength(-1); // aborted_transactions: null, not asked for
        } else {
            out.arrayLength(aborted == null ? 0 : aborted.size());
            for (AbortedTransaction transaction : aborted == null ? List.<AbortedTransaction>of()
                    : aborted) {
                out.int64(transaction.producerId()).int64(transaction.firstOffset());
            }
        }
        if (version >= 11) {
            out.int32(-1); // preferred_read_replica: this one
        }
        if (data.slices().isEmpty() && data.batches().bytes().hasRemaining()) {
            out.nullableBytes(data.batches().bytes()); // a log in memory has no file: from the heap
        } else {
            out.records(data.slices()); // the stored batches, sent from the log's files when the answer goes out
        }
    }
    // end::answer[]

    /** An incremental fetch in a session this broker never opened: the client starts over with a full fetch. */
    private static ProtocolWriter answerSessionNotFound(FetchRequest fetch, Request request) {
        request.answered(Errors.FETCH_SESSION_ID_NOT_FOUND + ": session " + fetch.sessionId() + " epoch "
                + fetch.sessionEpoch() + "; this broker keeps no fetch sessions");
        return responseWithThrottleTime(request).int16(Errors.FETCH_SESSION_ID_NOT_FOUND.code()).int32(0)
                .arrayLength(0);
    }

    /** "orders-0 from 12, orders-1 from 0; wait 500 ms for 1 B, at most 50.0 MB" */
    private static String asked(FetchRequest fetch) {
        TraceList partitions = new TraceList();
        fetch.topics().forEach(topic -> topic.partitions().forEach(wanted ->
                partitions.add(topic.topic() + "-" + wanted.partition() + " from " + wanted.offset())));
        return partitions + "; wait " + fetch.maxWaitMs() + " ms for " + TraceList.bytes(fetch.minBytes()) + ", at most "
                + TraceList.bytes(fetch.maxBytes()) + (fetch.replicaId() != CONSUMER ? "; from replica " + fetch.replicaId() : "");
    }

    /** "orders-0 1.2 KB of batches, next offset 14 (high watermark 20)", or "orders-1 OFFSET_OUT_OF_RANGE: ..." */
    private static String answered(String partition, PartitionData data) {
        if (data.error() != Errors.NONE) {
            return partition + " " + data.error() + (data.message() != null ? ": " + data.message() : "");
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
