package toykafka.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.broker.txn.TransactionException;
import toykafka.broker.txn.TransactionVersion;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

// tag::add-partitions[]
/**
 * AddPartitionsToTxn (key 24), versions 0–5: partitions join a producer's transaction, so that its end reaches
 * each of them with a marker; the first one opens the transaction. Kafka's
 * {@code TransactionCoordinator.handleAddPartitionsToTransaction}.
 *
 * <p>Versions 0–3 come from a classic producer, about to write to the partitions. Each partition is answered,
 * but the request succeeds or fails whole: a partition the broker does not have is UNKNOWN_TOPIC_OR_PARTITION and
 * the others OPERATION_NOT_ATTEMPTED; a fenced producer is PRODUCER_FENCED from v2 (INVALID_PRODUCER_EPOCH
 * before), as Kafka answers.
 *
 * <p>Versions 4 and 5 are what a partition's leader asks the coordinator (KIP-890), for several transactions at
 * once, each answered on its own: with verify_only, whether each partition is already in the transaction
 * (NONE, or TRANSACTION_ABORTABLE), as a leader checks a classic producer's first batch; without it, add them,
 * as a leader does for a transaction version 2 producer's first batch. This broker is its own leader and asks its
 * coordinator in-process; the wire versions are served for Kafka's tools and for brokers that would ask.
 *
 * <p>With an authorizer, as Kafka asks: versions 4 and 5 need CLUSTER_ACTION (else the whole answer is
 * CLUSTER_AUTHORIZATION_FAILED, with no transactions); earlier ones WRITE on the transactional id (else every
 * partition is TRANSACTIONAL_ID_AUTHORIZATION_FAILED) and on each topic (else its partitions are
 * TOPIC_AUTHORIZATION_FAILED, the others OPERATION_NOT_ATTEMPTED, and none is added).
 */
final class Api24AddPartitionsToTxn extends BrokerApi {
    // end::add-partitions[]

    /** The first version sent by a leader, for several transactions. */
    private static final short FIRST_LEADER_VERSION = 4;

    private final AuthHelper auth;

    Api24AddPartitionsToTxn(Broker broker, AuthHelper auth) {
        super(broker, 24, "AddPartitionsToTxn", 0, 5, 3);
        this.auth = auth;
    }

    /** A partition as the request numbers it: negative numbers too, which no partition has. */
    private record Numbered(String topic, int index) {
    }

    /** One transaction's ask: its producer, whether only to verify, and its partitions. */
    private record Ask(TransactionalProducerFields producer, boolean verifyOnly, List<TopicPartitionNumbers> topics) {
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        List<Ask> asks = new ArrayList<>();
        if (version >= FIRST_LEADER_VERSION) {
            asks.addAll(in.array("transactions", transaction -> {
                TransactionalProducerFields producer = TransactionalProducerFields.read(transaction);
                boolean verifyOnly = transaction.bool("verify_only");
                List<TopicPartitionNumbers> topics = transaction.array("topics",
                        topic -> TopicPartitionNumbers.read(topic, "AddPartitionsToTxnTopic"));
                transaction.taggedFields("AddPartitionsToTxnTransaction");
                return new Ask(producer, verifyOnly, topics);
            }));
        } else {
            TransactionalProducerFields producer = TransactionalProducerFields.read(in);
            asks.add(new Ask(producer, false, in.array("topics",
                    topic -> TopicPartitionNumbers.read(topic, "AddPartitionsToTxnTopic"))));
        }
        in.taggedFields("AddPartitionsToTxnRequest");
        request.asked(Summaries.list(asks.stream().map(ask -> ask.producer() + (ask.verifyOnly() ? " verifies "
                : " adds ") + TopicPartitionNumbers.named(ask.topics())).toList()));

        if (version >= FIRST_LEADER_VERSION && !auth.authorize(request, AclOperation.CLUSTER_ACTION,
                ResourceType.CLUSTER, ResourcePattern.CLUSTER_NAME)) { // only brokers may ask for others
            request.answered(Errors.CLUSTER_AUTHORIZATION_FAILED.toString());
            return CompletableFuture.completedFuture(responseWithThrottleTime(request)
                    .int16(Errors.CLUSTER_AUTHORIZATION_FAILED.code()).arrayLength(0).taggedFields());
        }
        List<String> said = new ArrayList<>();
        List<Map<Numbered, Errors>> answers = new ArrayList<>();
        for (Ask ask : asks) {
            Map<Numbered, Errors> refused = version < FIRST_LEADER_VERSION ? unauthorized(request, ask) : null;
            if (refused != null) {
                said.add(ask.producer().transactionalId() + " refused: " + refused.values());
            }
            answers.add(refused != null ? refused : answer(ask, version, said));
        }
        request.answered(String.join("; ", said));
        ProtocolWriter out = responseWithThrottleTime(request);
        if (version >= FIRST_LEADER_VERSION) {
            out.int16(Errors.NONE.code());
            List<Integer> each = IntStream.range(0, asks.size()).boxed().toList();
            out.array(each, (w, i) -> {
                w.string(asks.get(i).producer().transactionalId());
                writeTopics(w, asks.get(i).topics(), answers.get(i));
                w.taggedFields();
            });
        } else {
            writeTopics(out, asks.get(0).topics(), answers.get(0));
        }
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    /** Each partition's answer for one transaction's ask; a negative partition number is never in any. */
    private Map<Numbered, Errors> answer(Ask ask, short version, List<String> said) {
        List<TopicPartition> partitions = TopicPartitionNumbers.named(ask.topics());
        TransactionalProducerFields producer = ask.producer();
        boolean negative = ask.topics().stream().anyMatch(topic -> topic.partitions().stream().anyMatch(i -> i < 0));
        Map<Numbered, Errors> answer = new HashMap<>();
        if (ask.verifyOnly()) {
            Map<TopicPartition, Errors> verified;
            try {
                verified = broker.transactionCoordinator().verifyPartitions(producer.transactionalId(),
                        producer.producerId(), producer.epoch(), partitions);
                said.add(producer.transactionalId() + " verified " + verified);
            } catch (ApiException e) {
                verified = Map.of();
                said.add(producer.transactionalId() + " " + e.error() + ": " + e.getMessage());
                partitions.forEach(partition -> answer.put(numbered(partition), e.error()));
            }
            verified.forEach((partition, error) -> answer.put(numbered(partition), error));
            // a negative number is in no transaction
            ask.topics().forEach(topic -> topic.partitions().forEach(index -> answer.putIfAbsent(
                    new Numbered(topic.topic(), index), Errors.UNKNOWN_TOPIC_OR_PARTITION)));
            return answer;
        }
        Set<TopicPartition> unknown = null;
        Errors whole = Errors.NONE;
        if (negative) { // no partition has such a number: none of the others is added, as with an unknown one
            unknown = Set.of();
            said.add(Errors.UNKNOWN_TOPIC_OR_PARTITION + ": partition numbers start at 0");
        } else {
            try {
                broker.transactionCoordinator().addPartitions(producer.transactionalId(), producer.producerId(),
                        producer.epoch(), partitions, version >= FIRST_LEADER_VERSION ? TransactionVersion.TV_2
                                : TransactionVersion.TV_0);
                said.add(producer.transactionalId() + " added");
            } catch (TransactionException.UnknownPartitions e) {
                unknown = e.unknown();
                said.add(e.error() + ": " + e.getMessage());
            } catch (ApiException e) {
                whole = version < 2 && e.error() == Errors.PRODUCER_FENCED ? Errors.INVALID_PRODUCER_EPOCH : e.error();
                said.add(whole + ": " + e.getMessage());
            }
        }
        for (TopicPartitionNumbers topic : ask.topics()) {
            for (int index : topic.partitions()) {
                Errors error = unknown == null ? whole : index < 0
                        || unknown.contains(new TopicPartition(topic.topic(), index))
                        ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.OPERATION_NOT_ATTEMPTED;
                answer.put(new Numbered(topic.topic(), index), error);
            }
        }
        return answer;
    }

    /**
     * A producer's partitions refused before the coordinator hears of them: all of them without WRITE on the
     * transactional id; else, when some topic may not be written, those topics' partitions, the others not
     * attempted. Null when all are allowed.
     */
    private Map<Numbered, Errors> unauthorized(Request request, Ask ask) {
        Map<Numbered, Errors> refused = new HashMap<>();
        if (!auth.authorize(request, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID,
                ask.producer().transactionalId())) {
            ask.topics().forEach(topic -> topic.partitions().forEach(index -> refused.put(
                    new Numbered(topic.topic(), index), Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)));
            return refused;
        }
        Set<String> unwritable = !auth.enabled() ? Set.of() : auth.refusedOf(request, AclOperation.WRITE,
                ResourceType.TOPIC, ask.topics().stream().map(TopicPartitionNumbers::topic).toList());
        if (unwritable.isEmpty()) {
            return null;
        }
        ask.topics().forEach(topic -> topic.partitions().forEach(index -> refused.put(new Numbered(topic.topic(),
                index), unwritable.contains(topic.topic()) ? Errors.TOPIC_AUTHORIZATION_FAILED
                : Errors.OPERATION_NOT_ATTEMPTED)));
        return refused;
    }

    private static Numbered numbered(TopicPartition partition) {
        return new Numbered(partition.topic(), partition.partition());
    }

    private static void writeTopics(ProtocolWriter out, List<TopicPartitionNumbers> topics,
                                    Map<Numbered, Errors> answer) {
        out.topics(topics, TopicPartitionNumbers::topic, TopicPartitionNumbers::partitions,
                (partitionOut, topic, index) -> partitionOut.int32(index)
                        .int16(answer.get(new Numbered(topic.topic(), index)).code()));
    }
}
