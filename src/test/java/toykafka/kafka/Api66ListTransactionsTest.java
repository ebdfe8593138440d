package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.errors.InvalidRegularExpression;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.clock.ManualClock;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * ListTransactions in every version served, written and read by Kafka's own classes, over four transactional ids:
 * {@code kitchen-idle} with no transaction yet, {@code kitchen-open} and {@code bar-done} begun ten seconds ago (the
 * second committed since), and {@code kitchen-new}, just begun.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class Api66ListTransactionsTest {

    /** The broker's time, moved by hand so a transaction's age is exact. */
    private final ManualClock clock = new ManualClock(Instant.now());
    @StartedBroker(value = FrontEnd.KAFKA, clock = "clock")
    RunningBroker broker;

    @BeforeEach
    void openTransactions() {
        broker.broker().createTopic("tills", 1, Map.of(), OnDuplicate.FAIL);
        try (KafkaWire wire = new KafkaWire(broker)) {
            init(wire, "kitchen-idle");
            begin(wire, "kitchen-open");
            InitProducerIdResponseData bar = begin(wire, "bar-done");
            assertEquals(Errors.NONE.code(), wire.<EndTxnResponseData>send(new EndTxnRequestData().setTransactionalId("bar-done").setProducerId(bar.producerId())
                            .setProducerEpoch(bar.producerEpoch()).setCommitted(true), 4).errorCode());
            clock.advance(Duration.ofSeconds(10));
            begin(wire, "kitchen-new");
        }
    }

    private static InitProducerIdResponseData init(KafkaWire wire, String transactionalId) {
        InitProducerIdResponseData answer = wire.send(new InitProducerIdRequestData().setTransactionalId(transactionalId)
                .setTransactionTimeoutMs(600_000), 4);
        assertEquals(Errors.NONE.code(), answer.errorCode());
        return answer;
    }

    private static InitProducerIdResponseData begin(KafkaWire wire, String transactionalId) {
        InitProducerIdResponseData producer = init(wire, transactionalId);
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName("tills").setPartitions(List.of(0)));
        wire.send(new AddPartitionsToTxnRequestData().setV3AndBelowTransactionalId(transactionalId)
                .setV3AndBelowProducerId(producer.producerId()).setV3AndBelowProducerEpoch(producer.producerEpoch())
                .setV3AndBelowTopics(topics), 3);
        return producer;
    }

    private ListTransactionsResponseData list(ListTransactionsRequestData request, int version) {
        try (KafkaWire wire = new KafkaWire(broker)) {
            return wire.send(request, version);
        }
    }

    private static List<String> ids(ListTransactionsResponseData answer) {
        return answer.transactionStates().stream().map(ListTransactionsResponseData.TransactionState::transactionalId)
                .sorted().toList();
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {0, 1, 2})
    void every_version_lists_every_id_with_no_filter_and_filters_by_state(int version) {
        ListTransactionsResponseData all = list(new ListTransactionsRequestData(), version);
        assertEquals(Errors.NONE.code(), all.errorCode());
        assertEquals(List.of("bar-done", "kitchen-idle", "kitchen-new", "kitchen-open"), ids(all));

        ListTransactionsResponseData ongoing = list(new ListTransactionsRequestData()
                .setStateFilters(List.of("Ongoing", "Sleeping")), version);
        assertEquals(List.of("kitchen-new", "kitchen-open"), ids(ongoing));
        assertEquals(List.of("Sleeping"), ongoing.unknownStateFilters());
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {1, 2})
    void from_v1_a_duration_passes_ids_whose_transaction_began_longer_ago_in_any_state_as_kafka_filters(int version) {
        ListTransactionsResponseData older = list(new ListTransactionsRequestData().setDurationFilter(5_000), version);
        // the committed one began ten seconds ago too, and one with no transaction yet counts as begun long ago
        assertEquals(List.of("bar-done", "kitchen-idle", "kitchen-open"), ids(older));
        assertEquals(List.of("kitchen-open"), ids(list(new ListTransactionsRequestData().setDurationFilter(5_000)
                .setStateFilters(List.of("Ongoing")), version)));
        assertEquals(4, list(new ListTransactionsRequestData().setDurationFilter(-1), version)
                .transactionStates().size(), "a negative duration filters nothing");
        assertEquals(List.of("kitchen-idle"), ids(list(new ListTransactionsRequestData()
                .setDurationFilter(60_000), version)));
    }

    @Test
    void v2_passes_ids_a_regular_expression_matches_whole() {
        assertEquals(List.of("kitchen-idle", "kitchen-new", "kitchen-open"),
                ids(list(new ListTransactionsRequestData().setTransactionalIdPattern("kitchen-.*"), 2)));
        assertEquals(List.of(), ids(list(new ListTransactionsRequestData().setTransactionalIdPattern("kitchen"), 2)),
                "the whole id must match");
        assertEquals(List.of("kitchen-open"), ids(list(new ListTransactionsRequestData()
                .setTransactionalIdPattern("kitchen-.*").setDurationFilter(5_000).setStateFilters(List.of("Ongoing")), 2)));
        assertEquals(4, list(new ListTransactionsRequestData().setTransactionalIdPattern(""), 2)
                .transactionStates().size(), "an empty expression filters nothing");
        assertEquals(4, list(new ListTransactionsRequestData().setTransactionalIdPattern(null), 2)
                .transactionStates().size(), "nor does a null one");
    }

    @Test
    void v2_answers_an_expression_re2j_cannot_compile_invalid_regular_expression_with_nothing_listed() {
        ListTransactionsResponseData answer = list(new ListTransactionsRequestData().setTransactionalIdPattern("kitchen-(")
                .setStateFilters(List.of("Sleeping")), 2);
        assertEquals(Errors.INVALID_REGULAR_EXPRESSION.code(), answer.errorCode());
        assertEquals(List.of(), answer.unknownStateFilters(), "Kafka's error answer has only the code");
        assertEquals(List.of(), answer.transactionStates());
    }

    @Test
    void kafkas_admin_filters_by_pattern_and_duration_and_is_told_a_bad_pattern() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            List<String> listed = admin.listTransactions(new ListTransactionsOptions()
                    .filterOnTransactionalIdPattern("kitchen-(open|new)").filterOnDuration(5_000)).all().get().stream()
                    .map(TransactionListing::transactionalId).toList();
            assertEquals(List.of("kitchen-open"), listed);

            ExecutionException bad = assertThrows(ExecutionException.class, () -> admin.listTransactions(
                    new ListTransactionsOptions().filterOnTransactionalIdPattern("kitchen-(")).all().get());
            assertInstanceOf(InvalidRegularExpression.class, bad.getCause());
        }
    }
}
