package toykafka.kafka;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.Partitions.Acks;
import toykafka.broker.AppendResult;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.broker.txn.TransactionException;
import toykafka.broker.txn.TransactionVersion;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.RecordBatch;
import toykafka.common.TopicId;
import toykafka.common.InvalidRequestException;
import toykafka.common.TopicPartition;

// tag::produce[]
/**
 * Produce (key 0), versions 0–13: a producer's record batches, one per partition, handed to the log as the
 * bytes the producer encoded (Kafka's {@code KafkaApis.handleProduceRequest}). The log checks each batch
 * (CRC, records, the topic's rules and {@code max.message.bytes}), gives it offsets and stamps
 * LogAppendTime; each partition is answered on its own.
 *
 * <p>Versions 0–2 carry message formats v0 and v1, which Kafka 4 no longer takes; they are advertised only
 * because librdkafka stops compressing when a broker's Produce range starts above 0 (KAFKA-18659). Such a
 * request is read and each partition answered UNSUPPORTED_VERSION in that version's body; nothing is
 * written. From v3: message format v2, exactly one batch per partition, zstd from v7, and in v8 the answer
 * names every record a batch was refused for ({@code record_errors}), as Kafka's does, so that a producer
 * can drop those and send the rest again. v9 is flexible, v10 adds the leader hints of KIP-951 in tagged fields
 * (never sent here: this broker leads every partition), v11 lets the answer be TRANSACTION_ABORTABLE, and v12
 * comes from a producer of transaction version 2. v13 names each topic by its id and is answered by id (KIP-516):
 * an id no topic has is UNKNOWN_TOPIC_ID for each of its partitions, as Kafka answers it.
 *
 * <p>A transactional producer's batch is written only inside its transaction. Before v12 the transaction
 * coordinator must have the partition among its open transaction's (AddPartitionsToTxn), else INVALID_TXN_STATE
 * (TRANSACTION_ABORTABLE from v11, as Kafka's check answers). From v12 the partition joins the transaction named
 * by transactional_id here, on its first batch, as Kafka's leader adds it (KIP-890): a producer that is not that
 * transaction's current instance is INVALID_PRODUCER_EPOCH, one whose transaction is still writing its markers
 * CONCURRENT_TRANSACTIONS.
 *
 * <p>Refused for each partition, as Kafka refuses them: acks other than 0, 1 or -1 (INVALID_REQUIRED_ACKS), a null or empty records field (INVALID_RECORD), and a
 * partition named twice in one request (INVALID_REQUEST: Kafka silently keeps only the last, which loses
 * a batch while answering as if it had been written). With acks=0 nothing is answered; if a partition was
 * refused the connection is closed, as Kafka does, since closing is the only way such a producer learns of
 * it (it then refreshes its metadata).
 *
 * <p>Ignored: {@code timeout_ms}, which bounds how long acks=all waits for followers to copy a batch. This
 * broker is its partitions' only replica, so once the log has the batch every in-sync replica has it, and
 * there is nothing left to wait for.
 *
 * <p>Throttled as Kafka throttles a producer (KIP-219): the request's size counts against the client's {@code
 * producer_byte_rate}, if one applies; over it, the answer carries {@code throttle_time_ms}, and its connection
 * reads nothing more until that passes (with acks=0 too, which gets no answer). Within quota, nothing waits.
 *
 * <p>With an authorizer ({@code authorizer.class.name}), as Kafka's {@code handleProduceRequest}: transactional
 * batches need WRITE on their transactional id, else every partition is TRANSACTIONAL_ID_AUTHORIZATION_FAILED; each
 * topic needs WRITE, else its partitions are TOPIC_AUTHORIZATION_FAILED and the rest are written.
 */
final class Api00Produce extends BrokerApi {

    /** The first version in message format v2, the only one the log takes. */
    static final short FIRST_SERVED_VERSION = 3;
    /** The first version from clients that know TRANSACTION_ABORTABLE (KIP-890). */
    private static final short FIRST_ABORTABLE_VERSION = 11;
    /** The first version whose producer leaves adding a partition to its transaction to the leader. */
    private static final short FIRST_ADDING_VERSION = 12;
    /** The first version that names each topic by its id alone. */
    private static final short FIRST_TOPIC_ID_VERSION = 13;
    /** How many partitions a {@code --trace} line names before it counts the rest. */
    private static final int TRACED_PARTITIONS = 8;

    private final AuthHelper auth;

    Api00Produce(Broker broker, AuthHelper auth) {
        super(broker, 0, "Produce", 0, 13, 9);
        this.auth = auth;
    }

    /**
     * One partition of the request, with its records and, once decided, its answer. From v13 its topic is named by
     * id, and its name is null when no topic has that id.
     */
    private static final class PartitionProduce {
        final String topic;
        final TopicId topicId;
        final int index;
        final ProducedRecords records;
        AppendResult answer;

        PartitionProduce(String topic, TopicId topicId, int index, ProducedRecords records) {
            this.topic = topic;
            this.topicId = topicId;
            this.index = index;
            this.records = records;
        }

        /** Only for an index of 0 or more, which every partition that exists has. */
        TopicPartition partition() {
            return new TopicPartition(topic, index);
        }

        @Override
        public String toString() {
            return (topic != null ? topic : "topic id " + topicId) + "-" + index;
        }
    }

    /** A topic's partitions, in the request's order, which the response keeps, and its id (zero below v13). */
    private record TopicProduce(String name, TopicId id, List<PartitionProduce> partitions) {
    }

    // tag::handle[]
    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        String transactionalId = version >= 3 ? in.nullableString("transactional_id") : null;
        short acks = in.int16("acks");
        in.int32("timeout_ms");
        TopicIds ids = version >= FIRST_TOPIC_ID_VERSION ? TopicIds.of(broker) : null;
        List<TopicProduce> topics = in.array("topic_data", topic -> readTopic(topic, ids));
        in.taggedFields("ProduceRequest");
        List<PartitionProduce> all = topics.stream().flatMap(topic -> topic.partitions().stream()).toList();
        request.asked(() -> asked(acks, transactionalId, all));

        refuseBeforeTheLog(version, transactionalId, acks, all);
        refuseUnauthorized(request, transactionalId, all);
        if (version >= FIRST_ADDING_VERSION && transactionalId != null) {
            addToTransaction(transactionalId, all);
        }
        Map<TopicPartition, ByteBuffer> toAppend = new LinkedHashMap<>();
        for (PartitionProduce produce : all) {
            if (produce.answer == null) {
                toAppend.put(produce.partition(), produce.records.bytes());
            }
        }
        if (!toAppend.isEmpty()) {
            Map<TopicPartition, AppendResult> appended = broker.partitions().append(toAppend, Acks.of(acks));
            for (PartitionProduce produce : all) {
                if (produce.answer == null) {
                    produce.answer = asKnownTo(version, appended.get(produce.partition()));
                }
            }
        }
        request.throttle(broker.access().quotas().produce().recordAndGetThrottleTimeMs(request.principal().name(),
                request.header().clientId(), request.sizeInBytes(), System.currentTimeMillis()));
        request.answered(() -> answered(all));
        if (acks == 0) {
            return noResponse(all);
        }
        return CompletableFuture.completedFuture(response(request, topics));
    }
    // end::handle[]

    // tag::authorize[]
    /**
     * What Kafka's {@code handleProduceRequest} asks the authorizer, before the log: WRITE on the transactional id when
     * the batches are transactional (else every partition is TRANSACTIONAL_ID_AUTHORIZATION_FAILED), then WRITE on
     * each topic (else its partitions are TOPIC_AUTHORIZATION_FAILED, and the rest are written). A topic that is not
     * there yet is made only for a principal who may CREATE it, as Metadata's auto-creation asks; for any other it is
     * UNKNOWN_TOPIC_OR_PARTITION, Kafka's answer to a produce to a missing topic.
     */
    private void refuseUnauthorized(Request request, String transactionalId, List<PartitionProduce> all) {
        if (!auth.enabled()) {
            return;
        }
        boolean transactional = all.stream().anyMatch(p -> p.answer == null && p.records.transactionalBatch() != null);
        if (transactional && (transactionalId == null
                || !auth.authorize(request, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, transactionalId))) {
            answerAll(all, ProducedRecords.refused(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, "Transactional Id"
                    + " authorization failed."));
            return;
        }
        List<String> named = all.stream().map(p -> p.topic).filter(Objects::nonNull).toList();
        Set<String> writable = auth.filterByAuthorized(request, AclOperation.WRITE, ResourceType.TOPIC, named);
        for (PartitionProduce produce : all) {
            if (produce.topic == null
                    || produce.answer != null && produce.answer.error() == Errors.UNSUPPORTED_VERSION) {
                continue; // no topic to ask about, or a version Kafka 4 no longer reads
            }
            if (!writable.contains(produce.topic)) {
                produce.answer = ProducedRecords.refused(Errors.TOPIC_AUTHORIZATION_FAILED, null);
            } else if (produce.answer == null && !auth.mayCreateIfMissing(request, broker, produce.topic)) {
                produce.answer = ProducedRecords.refused(Errors.UNKNOWN_TOPIC_OR_PARTITION, "This server does not"
                        + " host this topic-partition.");
            }
        }
    }
    // end::authorize[]

    // tag::add-on-produce[]
    /**
     * Transaction version 2: the partitions of the request's transactional batches join the transaction, as
     * Kafka's leader adds them before it writes. One producer per request, as Kafka requires; a refusal answers
     * every transactional partition and none of them is written.
     */
    private void addToTransaction(String transactionalId, List<PartitionProduce> all) {
        List<PartitionProduce> transactional = new ArrayList<>();
        RecordBatch first = null;
        for (PartitionProduce produce : all) {
            RecordBatch batch = produce.answer == null ? produce.records.transactionalBatch() : null;
            if (batch != null) {
                transactional.add(produce);
                first = first == null ? batch : first;
            }
        }
        if (transactional.isEmpty()) {
            return;
        }
        long producerId = first.producerId();
        short epoch = first.producerEpoch();
        if (transactional.stream().anyMatch(p -> p.records.transactionalBatch().producerId() != producerId)) {
            answerAll(transactional, ProducedRecords.refused(Errors.INVALID_PRODUCER_ID_MAPPING, "the request's"
                    + " transactional batches come from more than one producer id; a transaction has one"));
            return;
        }
        try {
            broker.transactionCoordinator().addPartitions(transactionalId, producerId, epoch,
                    transactional.stream().map(PartitionProduce::partition).toList(), TransactionVersion.TV_2);
        } catch (TransactionException.UnknownPartitions e) {
            for (PartitionProduce produce : transactional) {
                produce.answer = ProducedRecords.refused(e.unknown().contains(produce.partition())
                        ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.OPERATION_NOT_ATTEMPTED, e.getMessage());
            }
        } catch (ApiException e) {
            Errors error = e.error() == Errors.PRODUCER_FENCED ? Errors.INVALID_PRODUCER_EPOCH : e.error();
            answerAll(transactional, ProducedRecords.refused(error, e.getMessage()));
        }
    }
    // end::add-on-produce[]

    private static void answerAll(List<PartitionProduce> produces, AppendResult answer) {
        produces.forEach(produce -> produce.answer = answer);
    }

    /** A batch outside its transaction is TRANSACTION_ABORTABLE to the clients that know the code. */
    private static AppendResult asKnownTo(short version, AppendResult answer) {
        if (version >= FIRST_ABORTABLE_VERSION && answer != null && answer.error() == Errors.INVALID_TXN_STATE) {
            return ProducedRecords.refused(Errors.TRANSACTION_ABORTABLE, answer.message());
        }
        return answer;
    }

    /** One topic of the request: by name, or from v13 by id, looked up in {@code ids}. */
    private static TopicProduce readTopic(ProtocolReader in, TopicIds ids) {
        TopicId id = ids == null ? TopicId.ZERO : in.topicId("topic_data topic_id");
        String name = ids == null ? in.string("topic_data name") : ids.name(id);
        String topic = name != null ? name : "topic id " + id;
        List<PartitionProduce> partitions = in.array("partition_data of " + topic, partition -> {
            int index = partition.int32("partition index");
            ByteBuffer records = partition.nullableBytes("records of " + topic + "-" + index);
            partition.taggedFields("PartitionProduceData");
            return new PartitionProduce(name, id, index, ProducedRecords.of(records));
        });
        in.taggedFields("TopicProduceData");
        return new TopicProduce(name, id, partitions);
    }

    // tag::refusals[]
    /** Answers the partitions the log must not see, in the order Kafka checks; the rest stay unanswered. */
    private static void refuseBeforeTheLog(short version, String transactionalId, short acks,
                                           List<PartitionProduce> all) {
        Map<String, Integer> times = new HashMap<>();
        all.forEach(produce -> times.merge(produce.toString(), 1, Integer::sum));
        for (PartitionProduce produce : all) {
            produce.answer = refusal(version, transactionalId, acks, times.get(produce.toString()), produce);
        }
    }

    private static AppendResult refusal(short version, String transactionalId, short acks, int timesNamed,
                                        PartitionProduce produce) {
        if (version < FIRST_SERVED_VERSION) {
            return ProducedRecords.refused(Errors.UNSUPPORTED_VERSION, "Produce v" + version + " carries message"
                    + " format v0 or v1, which this broker does not take (Kafka 4 removed them); send v3 to v13,"
                    + " with message format v2");
        }
        if (version >= FIRST_TOPIC_ID_VERSION && produce.topic == null) {
            return ProducedRecords.refused(Errors.UNKNOWN_TOPIC_ID, "no topic has the id " + produce.topicId);
        }
        if (acks != 0 && acks != 1 && acks != -1) {
            return ProducedRecords.refused(Errors.INVALID_REQUIRED_ACKS, "acks must be 0, 1 or -1 (all), was " + acks);
        }
        if (produce.index < 0) {
            return ProducedRecords.refused(Errors.UNKNOWN_TOPIC_OR_PARTITION, "partition " + produce.index + " of "
                    + produce.topic + " does not exist: partitions are numbered from 0");
        }
        if (timesNamed > 1) {
            return ProducedRecords.refused(Errors.INVALID_REQUEST, produce + " is named " + timesNamed
                    + " times in one produce request; send each partition's batch once");
        }
        return produce.records.refusal(version);
    }
    // end::refusals[]

    /**
     * acks=0: the producer reads no answer. A refusal closes the connection, as Kafka does: the failure
     * completes the future, and the front end closes the connection with that message in its log.
     */
    private static CompletableFuture<ProtocolWriter> noResponse(List<PartitionProduce> all) {
        List<String> refused = new ArrayList<>();
        for (PartitionProduce produce : all) {
            if (!produce.answer.written()) {
                refused.add(produce + " " + produce.answer.error() + ": " + produce.answer.message());
            }
        }
        if (refused.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.failedFuture(new InvalidRequestException("a produce with acks=0 was refused ("
                + String.join("; ", refused) + "); the producer waits for no answer, so closing the connection is"
                + " how it learns of this, as with Kafka"));
    }
    // end::produce[]

    // tag::response[]
    /** The response, each field in the versions ProduceResponse.json gives it. */
    private static ProtocolWriter response(Request request, List<TopicProduce> topics) {
        short version = request.version();
        ProtocolWriter out = response(request);
        out.topicsNamedBy(topics, (w, topic) -> {
            if (version >= FIRST_TOPIC_ID_VERSION) {
                w.topicId(topic.id());
            } else {
                w.string(topic.name());
            }
        }, TopicProduce::partitions, (w, topic, produce) -> writePartition(w, version, produce));
        if (version >= 1) {
            out.throttleTimeMs(request.throttleTimeMs()); // 0 within the client's quotas
        }
        out.taggedFields();
        return out;
    }

    private static void writePartition(ProtocolWriter out, short version, PartitionProduce produce) {
        AppendResult answer = produce.answer;
        out.int32(produce.index).int16(answer.error().code()).int64(answer.baseOffset());
        if (version >= 2) {
            out.int64(answer.logAppendTime());
        }
        if (version >= 5) {
            out.int64(answer.logStartOffset());
        }
        if (version >= 8) {
            out.array(answer.recordErrors(), (w, record) -> {
                w.int32(record.index()).nullableString(record.message());
                w.taggedFields();
            });
            out.nullableString(answer.written() ? null : answer.message());
        }
    }
    // end::response[]

    // ---- --trace ----

    private static String asked(short acks, String transactionalId, List<PartitionProduce> all) {
        return "acks=" + acks + (transactionalId == null ? "" : " transactional.id=" + transactionalId) + " "
                + traced(all, produce -> produce + " " + produce.records.summary());
    }

    private static String answered(List<PartitionProduce> all) {
        return traced(all, produce -> produce + (produce.answer.written()
                ? " offset " + produce.answer.baseOffset() + " NONE" : " " + produce.answer.error()));
    }

    private static String traced(List<PartitionProduce> all, java.util.function.Function<PartitionProduce, String> each) {
        List<String> lines = all.stream().limit(TRACED_PARTITIONS).map(each).toList();
        String more = all.size() > TRACED_PARTITIONS ? " and " + (all.size() - TRACED_PARTITIONS) + " more partitions" : "";
        return all.isEmpty() ? "no partitions" : String.join(", ", lines) + more;
    }
}
