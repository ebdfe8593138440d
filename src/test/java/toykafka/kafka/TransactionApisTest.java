package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.Errors;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * The transaction APIs asked what a client should not ask, with Kafka's message classes writing the requests and
 * reading the answers: an end of a transaction that never began, an unknown transactional id, a fenced epoch
 * under each version's code, a partition that does not exist, and the describing and listing of what is there.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TransactionApisTest {

    @StartedBroker(value = FrontEnd.KAFKA, trace = true)
    static RunningBroker broker;

    @BeforeAll
    static void createTopic() {
        broker.broker().createTopic("tills", 2, Map.of(), OnDuplicate.FAIL);
    }

    private static InitProducerIdResponseData init(KafkaWire wire, String transactionalId) {
        InitProducerIdResponseData answer = wire.send(new InitProducerIdRequestData().setTransactionalId(transactionalId)
                .setTransactionTimeoutMs(60_000), 4);
        assertEquals(Errors.NONE.code(), answer.errorCode());
        return answer;
    }

    private static AddPartitionsToTxnRequestData add(String transactionalId, InitProducerIdResponseData producer,
                                                     String topic, Integer... partitions) {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName(topic).setPartitions(List.of(partitions)));
        return new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId(transactionalId)
                .setV3AndBelowProducerId(producer.producerId()).setV3AndBelowProducerEpoch(producer.producerEpoch())
                .setV3AndBelowTopics(topics);
    }

    private static List<Short> errors(AddPartitionsToTxnResponseData answer) {
        return answer.resultsByTopicV3AndBelow().stream().flatMap(topic -> topic.resultsByPartition().stream())
                .map(AddPartitionsToTxnPartitionResult::partitionErrorCode).toList();
    }

    private static EndTxnRequestData end(String transactionalId, InitProducerIdResponseData producer, boolean commit) {
        return new EndTxnRequestData().setTransactionalId(transactionalId).setProducerId(producer.producerId())
                .setProducerEpoch(producer.producerEpoch()).setCommitted(commit);
    }

    @Test
    void ending_a_transaction_that_never_began_or_an_unknown_id_is_refused() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            InitProducerIdResponseData producer = init(wire, "never-began");
            EndTxnResponseData never = wire.send(end("never-began", producer, true), 4);
            assertEquals(Errors.INVALID_TXN_STATE.code(), never.errorCode());
            EndTxnResponseData unknown = wire.send(end("nobody", producer, false), 4);
            assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING.code(), unknown.errorCode());
        }
        assertTrue(broker.log().contains("AddPartitionsToTxn opened it"), "the broker's trace says why");
    }

    @Test
    void a_fenced_epoch_is_producer_fenced_from_v2_and_invalid_producer_epoch_before() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            InitProducerIdResponseData old = init(wire, "fenced");
            init(wire, "fenced");
            for (int version = 0; version <= 3; version++) {
                AddPartitionsToTxnResponseData added = wire.send(add("fenced", old, "tills", 0), version);
                Errors expected = version >= 2 ? Errors.PRODUCER_FENCED : Errors.INVALID_PRODUCER_EPOCH;
                assertEquals(List.of(expected.code()), errors(added), "AddPartitionsToTxn v" + version);
                EndTxnResponseData ended = wire.send(end("fenced", old, true), version);
                assertEquals(expected.code(), ended.errorCode(), "EndTxn v" + version);
            }
        }
    }

    @Test
    void an_unknown_partition_is_named_and_none_of_the_others_is_added() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            InitProducerIdResponseData producer = init(wire, "unknown-partition");
            AddPartitionsToTxnResponseData added = wire.send(add("unknown-partition", producer, "tills", 0, 7), 3);
            assertEquals(List.of(Errors.OPERATION_NOT_ATTEMPTED.code(), Errors.UNKNOWN_TOPIC_OR_PARTITION.code()),
                    errors(added));
            DescribeTransactionsResponseData described = wire.send(new DescribeTransactionsRequestData()
                    .setTransactionalIds(List.of("unknown-partition", "no-such-id")), 0);
            assertEquals("Empty", described.transactionStates().get(0).transactionState());
            assertEquals(producer.producerId(), described.transactionStates().get(0).producerId());
            assertEquals(Errors.TRANSACTIONAL_ID_NOT_FOUND.code(), described.transactionStates().get(1).errorCode());
        }
    }

    @Test
    void an_open_transaction_is_listed_described_and_seen_by_its_partitions_producers() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            InitProducerIdResponseData producer = init(wire, "listed");
            AddPartitionsToTxnResponseData added = wire.send(add("listed", producer, "tills", 1), 3);
            assertEquals(List.of(Errors.NONE.code()), errors(added));

            ListTransactionsResponseData listed = wire.send(new ListTransactionsRequestData()
                    .setStateFilters(List.of("Ongoing", "Sleeping")).setProducerIdFilters(List.of()), 1);
            assertEquals(List.of("Sleeping"), listed.unknownStateFilters());
            assertEquals(List.of("listed"), listed.transactionStates().stream()
                    .map(ListTransactionsResponseData.TransactionState::transactionalId).toList());
            DescribeTransactionsResponseData described = wire.send(new DescribeTransactionsRequestData()
                    .setTransactionalIds(List.of("listed")), 0);
            assertEquals("Ongoing", described.transactionStates().get(0).transactionState());
            assertEquals(List.of(1), described.transactionStates().get(0).topics().find("tills").partitions());

            DescribeProducersResponseData producers = wire.send(new DescribeProducersRequestData().setTopics(new DescribeProducersRequestData.TopicRequestCollection(List.of(
                    new DescribeProducersRequestData.TopicRequest().setName("tills").setPartitionIndexes(List.of(1, 9))))),
                    0);
            List<DescribeProducersResponseData.PartitionResponse> partitions = producers.topics().get(0).partitions();
            assertEquals(Errors.NONE.code(), partitions.get(0).errorCode());
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), partitions.get(1).errorCode());
            assertTrue(partitions.get(1).errorMessage().contains("tills"), partitions.get(1).errorMessage());

            EndTxnResponseData aborted = wire.send(end("listed", producer, false), 4);
            assertEquals(Errors.NONE.code(), aborted.errorCode());
            ListTransactionsResponseData after = wire.send(new ListTransactionsRequestData()
                    .setStateFilters(List.of("CompleteAbort")).setProducerIdFilters(List.of(producer.producerId())), 0);
            assertEquals(1, after.transactionStates().size());
        }
    }

    @Test
    void offsets_committed_in_an_open_transaction_are_unstable_to_a_reader_that_requires_stable_ones() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            InitProducerIdResponseData producer = init(wire, "till-counter");
            AddOffsetsToTxnResponseData added = wire.send(new AddOffsetsToTxnRequestData()
                    .setTransactionalId("till-counter").setProducerId(producer.producerId())
                    .setProducerEpoch(producer.producerEpoch()).setGroupId("counters"), 3);
            assertEquals(Errors.NONE.code(), added.errorCode());
            TxnOffsetCommitResponseData committed = wire.send(new TxnOffsetCommitRequestData()
                    .setTransactionalId("till-counter").setGroupId("counters").setProducerId(producer.producerId())
                    .setProducerEpoch(producer.producerEpoch()).setGenerationIdOrMemberEpoch(-1).setMemberId("")
                    .setTopics(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName("tills")
                            .setPartitions(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
                                    .setPartitionIndex(0).setCommittedOffset(5))))), 3);
            assertEquals(Errors.NONE.code(), committed.topics().get(0).partitions().get(0).errorCode());

            OffsetFetchResponseData.OffsetFetchResponsePartition stable = fetchOffset(wire, true);
            assertEquals(Errors.UNSTABLE_OFFSET_COMMIT.code(), stable.errorCode());
            assertEquals(-1, stable.committedOffset());
            OffsetFetchResponseData.OffsetFetchResponsePartition any = fetchOffset(wire, false);
            assertEquals(Errors.NONE.code(), any.errorCode());
            assertEquals(-1, any.committedOffset(), "nothing is in force before the commit");

            EndTxnResponseData ended = wire.send(end("till-counter", producer, true), 3);
            assertEquals(Errors.NONE.code(), ended.errorCode());
            OffsetFetchResponseData.OffsetFetchResponsePartition after = fetchOffset(wire, true);
            assertEquals(Errors.NONE.code(), after.errorCode());
            assertEquals(5, after.committedOffset());
        }
    }

    private static OffsetFetchResponseData.OffsetFetchResponsePartition fetchOffset(KafkaWire wire, boolean requireStable) {
        OffsetFetchResponseData answer = wire.send(new OffsetFetchRequestData().setGroupId("counters")
                .setRequireStable(requireStable).setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                        .setName("tills").setPartitionIndexes(List.of(0)))), 7);
        return answer.topics().get(0).partitions().get(0);
    }

    private static AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction leaderAsks(String transactionalId,
            InitProducerIdResponseData producer, boolean verifyOnly, Integer... partitions) {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName("tills").setPartitions(List.of(partitions)));
        return new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction().setTransactionalId(transactionalId)
                .setProducerId(producer.producerId()).setProducerEpoch(producer.producerEpoch())
                .setVerifyOnly(verifyOnly).setTopics(topics);
    }

    private static Map<Integer, Short> results(AddPartitionsToTxnResponseData answer, String transactionalId) {
        Map<Integer, Short> each = new TreeMap<>();
        answer.resultsByTransaction().find(transactionalId).topicResults().find("tills").resultsByPartition()
                .forEach(result -> each.put(result.partitionIndex(), result.partitionErrorCode()));
        return each;
    }

    @Test
    void a_leaders_ask_verifies_or_adds_for_several_transactions_each_answered_on_its_own() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            InitProducerIdResponseData classic = init(wire, "leader-verifies");
            assertEquals(List.of(Errors.NONE.code()), errors(wire.send(add("leader-verifies", classic, "tills", 0), 3)));
            InitProducerIdResponseData second = init(wire, "leader-adds");
            InitProducerIdResponseData stale = init(wire, "leader-fenced");
            init(wire, "leader-fenced");

            for (short version = 4; version <= 5; version++) {
                AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection transactions =
                        new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection();
                transactions.add(leaderAsks("leader-verifies", classic, true, 0, 1));
                transactions.add(leaderAsks("leader-adds", second, false, 1));
                transactions.add(leaderAsks("leader-fenced", stale, false, 0));
                AddPartitionsToTxnResponseData answer = wire.send(new AddPartitionsToTxnRequestData()
                        .setTransactions(transactions), version);
                assertEquals(Errors.NONE.code(), answer.errorCode());
                assertEquals(Map.of(0, Errors.NONE.code(), 1, Errors.TRANSACTION_ABORTABLE.code()),
                        results(answer, "leader-verifies"), "v" + version + ": verified, nothing added");
                assertEquals(Map.of(1, Errors.NONE.code()), results(answer, "leader-adds"), "v" + version);
                assertEquals(Map.of(0, Errors.PRODUCER_FENCED.code()), results(answer, "leader-fenced"), "v" + version);
            }
            DescribeTransactionsResponseData described = wire.send(new DescribeTransactionsRequestData()
                    .setTransactionalIds(List.of("leader-verifies", "leader-adds")), 0);
            assertEquals(List.of(0), described.transactionStates().get(0).topics().find("tills").partitions(),
                    "verifying added nothing");
            assertEquals("Ongoing", described.transactionStates().get(1).transactionState());
            assertEquals(List.of(1), described.transactionStates().get(1).topics().find("tills").partitions());
        }
    }
}
