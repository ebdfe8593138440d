package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.KafkaBatches.append;
import static toykafka.kafka.KafkaBatches.batch;
import static toykafka.kafka.KafkaBatches.records;
import static toykafka.kafka.BrokerTopics.idOf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchRequestData.ForgottenTopic;
import org.apache.kafka.common.message.FetchRequestData.ReplicaState;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.common.TopicPartition;
import toykafka.harness.WireRecords;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Fetch v12 to v18, written and read by Kafka's own classes: flexible from v12, with the last fetched epoch checked
 * against the partition's one epoch; topics named and answered by id from v13, an id no topic has being
 * UNKNOWN_TOPIC_ID; the replica's id in its tagged state from v15, and the leader named beside a follower's refusal
 * from v16. Kafka 4.4's own consumer fetches at v18 here, as it does from Kafka.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FetchByTopicIdTest {

    private static final int NEWEST = 18;
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);

    @StartedBroker(value = FrontEnd.KAFKA, trace = true)
    RunningBroker broker;

    @BeforeEach
    void createTopic() {
        broker.broker().createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
    }

    // ---- requests ----

    private static FetchRequestData fetch(FetchTopic... topics) {
        return new FetchRequestData().setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20).setIsolationLevel((byte) 0)
                .setSessionId(0).setSessionEpoch(-1).setTopics(List.of(topics));
    }

    /** A topic by id, and by name too: Kafka's classes write the one the version has. */
    private FetchTopic topic(String name, FetchPartition... partitions) {
        return new FetchTopic().setTopic(name).setTopicId(idOf(broker, name)).setPartitions(List.of(partitions));
    }

    private static FetchTopic topic(Uuid id, FetchPartition... partitions) {
        return new FetchTopic().setTopicId(id).setPartitions(List.of(partitions));
    }

    private static FetchPartition partition(int index, long offset) {
        return new FetchPartition().setPartition(index).setFetchOffset(offset).setPartitionMaxBytes(1 << 20);
    }

    private FetchResponseData send(FetchRequestData request, int version) {
        try (KafkaWire wire = new KafkaWire(broker)) {
            return wire.send(request, version);
        }
    }

    /** One partition's answer, found by the topic's id (v13+) or name. */
    private static PartitionData answer(FetchResponseData response, Uuid id, String name, int partition) {
        for (FetchResponseData.FetchableTopicResponse topic : response.responses()) {
            boolean same = name != null ? topic.topic().equals(name) : topic.topicId().equals(id);
            for (PartitionData data : topic.partitions()) {
                if (same && data.partitionIndex() == partition) {
                    return data;
                }
            }
        }
        throw new AssertionError((name != null ? name : id) + "-" + partition + " is missing from " + response);
    }

    private PartitionData answer(FetchResponseData response, int version, String topic, int partition) {
        return version >= 13 ? answer(response, idOf(broker, topic), null, partition)
                : answer(response, null, topic, partition);
    }

    private static List<String> values(PartitionData data) {
        return records(WireRecords.bytes(data)).stream().map(KafkaBatches::value).toList();
    }

    // ---- every new version ----

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {12, 13, 14, 15, 16, 17, 18})
    void every_new_version_answers_the_stored_batches_under_the_topic_it_was_asked_by(int version) {
        append(broker.broker(), ORDERS_0, batch(1_000, "cod", "haddock"));
        append(broker.broker(), ORDERS_1, batch(2_000, "plaice"));

        FetchResponseData response = send(fetch(topic("orders", partition(0, 0), partition(1, 0))), version);

        assertEquals(Errors.NONE.code(), response.errorCode());
        assertEquals(0, response.sessionId(), "no fetch session");
        assertEquals(1, response.responses().size());
        FetchResponseData.FetchableTopicResponse topic = response.responses().get(0);
        if (version >= 13) {
            assertEquals(idOf(broker, "orders"), topic.topicId(), "answered by the id asked by");
            assertEquals("", topic.topic(), "no name from v13");
        } else {
            assertEquals("orders", topic.topic());
        }
        PartitionData zero = answer(response, version, "orders", 0);
        assertEquals(Errors.NONE.code(), zero.errorCode());
        assertEquals(2, zero.highWatermark());
        assertEquals(2, zero.lastStableOffset());
        assertEquals(0, zero.logStartOffset());
        assertNull(zero.abortedTransactions());
        assertEquals(-1, zero.preferredReadReplica());
        assertEquals(-1, zero.divergingEpoch().epoch(), "no divergence: the tagged field is left out");
        assertEquals(-1, zero.currentLeader().leaderId(), "no leader hint without NOT_LEADER_OR_FOLLOWER");
        assertEquals(List.of("cod", "haddock"), values(zero));
        assertEquals(List.of("plaice"), values(answer(response, version, "orders", 1)));
        assertTrue(response.nodeEndpoints().isEmpty());
    }

    @Test
    void read_committed_lists_its_aborted_transactions_in_a_flexible_array() {
        append(broker.broker(), ORDERS_0, batch(1_000, "cod"));

        PartitionData data = answer(send(fetch(topic("orders", partition(0, 0))).setIsolationLevel((byte) 1), NEWEST),
                NEWEST, "orders", 0);

        assertEquals(List.of(), data.abortedTransactions());
        assertEquals(List.of("cod"), values(data));
    }

    // ---- topic ids ----

    @Test
    void an_id_no_topic_has_is_unknown_topic_id_for_its_partitions_while_the_others_are_read() {
        append(broker.broker(), ORDERS_0, batch(1_000, "cod"));
        Uuid nobody = Uuid.randomUuid();

        FetchResponseData response = send(fetch(topic("orders", partition(0, 0)),
                topic(nobody, partition(0, 0), partition(1, 0)), topic(Uuid.ZERO_UUID, partition(0, 0))), 13);

        assertEquals(List.of("cod"), values(answer(response, idOf(broker, "orders"), null, 0)));
        for (int partition : new int[] {0, 1}) {
            PartitionData unknown = answer(response, nobody, null, partition);
            assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), unknown.errorCode());
            assertEquals(-1, unknown.highWatermark());
            assertEquals(-1, unknown.logStartOffset());
            assertEquals(0, WireRecords.bytes(unknown).remaining());
        }
        assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), answer(response, Uuid.ZERO_UUID, null, 0).errorCode(),
                "the zero id names no topic, as in Kafka");
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), answer(send(fetch(topic("orders", partition(7, 0))),
                13), idOf(broker, "orders"), null, 7).errorCode(), "a known id with a partition it does not have");
    }

    @Test
    void a_deleted_topics_id_names_nothing_even_after_its_name_is_used_again() {
        Uuid old = idOf(broker, "orders");
        broker.broker().deleteTopic("orders");
        broker.broker().createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
        append(broker.broker(), ORDERS_0, batch(1_000, "new"));

        FetchResponseData response = send(fetch(topic(old, partition(0, 0))), NEWEST);

        assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), answer(response, old, null, 0).errorCode());
    }

    // ---- epochs ----

    @Test
    void a_last_fetched_epoch_of_0_reads_on_and_past_the_log_end_is_told_where_epoch_0_ends() {
        append(broker.broker(), ORDERS_0, batch(1_000, "cod", "haddock"));

        PartitionData reading = answer(send(fetch(topic("orders", partition(0, 1).setLastFetchedEpoch(0)
                .setCurrentLeaderEpoch(0))), NEWEST), NEWEST, "orders", 0);
        PartitionData past = answer(send(fetch(topic("orders", partition(0, 5).setLastFetchedEpoch(0))), NEWEST),
                NEWEST, "orders", 0);

        assertEquals(Errors.NONE.code(), reading.errorCode());
        assertEquals(List.of("cod", "haddock"), values(reading), "the batch holding offset 1");
        assertEquals(Errors.NONE.code(), past.errorCode(), "Kafka answers divergence, not an error");
        assertEquals(0, past.divergingEpoch().epoch());
        assertEquals(2, past.divergingEpoch().endOffset(), "epoch 0 ends at the log end");
        assertEquals(2, past.highWatermark());
        assertEquals(0, WireRecords.bytes(past).remaining());
    }

    @Test
    void a_read_committed_fetch_that_diverges_gets_no_list_of_aborted_transactions_as_its_log_was_not_read() {
        append(broker.broker(), ORDERS_0, batch(1_000, "cod"));

        PartitionData past = answer(send(fetch(topic("orders", partition(0, 4).setLastFetchedEpoch(0)))
                .setIsolationLevel((byte) 1), NEWEST), NEWEST, "orders", 0);

        assertEquals(1, past.divergingEpoch().endOffset());
        assertNull(past.abortedTransactions());
    }

    @Test
    void a_last_fetched_epoch_this_log_never_had_is_out_of_range() {
        append(broker.broker(), ORDERS_0, batch(1_000, "cod"));

        PartitionData data = answer(send(fetch(topic("orders", partition(0, 0).setLastFetchedEpoch(3))), NEWEST),
                NEWEST, "orders", 0);

        assertEquals(Errors.OFFSET_OUT_OF_RANGE.code(), data.errorCode());
        assertEquals(-1, data.divergingEpoch().epoch());
    }

    @Test
    void a_current_leader_epoch_newer_than_this_leaders_is_unknown_leader_epoch() {
        append(broker.broker(), ORDERS_0, batch(1_000, "cod"));

        FetchResponseData response = send(fetch(topic("orders", partition(0, 0).setCurrentLeaderEpoch(1),
                partition(1, 0).setCurrentLeaderEpoch(0))), NEWEST);

        assertEquals(Errors.UNKNOWN_LEADER_EPOCH.code(), answer(response, NEWEST, "orders", 0).errorCode());
        assertEquals(Errors.NONE.code(), answer(response, NEWEST, "orders", 1).errorCode());
    }

    // ---- followers ----

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {14, 15, 16, 18})
    void a_followers_fetch_is_refused_and_from_v16_told_this_broker_leads(int version) {
        append(broker.broker(), ORDERS_0, batch(1_000, "cod"));
        FetchRequestData follower = fetch(topic("orders", partition(0, 0)));
        if (version >= 15) {
            follower.setReplicaState(new ReplicaState().setReplicaId(2).setReplicaEpoch(7));
        } else {
            follower.setReplicaId(2);
        }

        FetchResponseData response = send(follower, version);

        PartitionData data = answer(response, version, "orders", 0);
        assertEquals(Errors.NOT_LEADER_OR_FOLLOWER.code(), data.errorCode());
        assertEquals(0, WireRecords.bytes(data).remaining());
        if (version >= 16) {
            assertEquals(broker.broker().nodeId(), data.currentLeader().leaderId());
            assertEquals(0, data.currentLeader().leaderEpoch());
            assertEquals(1, response.nodeEndpoints().size());
            FetchResponseData.NodeEndpoint node = response.nodeEndpoints().iterator().next();
            assertEquals(broker.broker().nodeId(), node.nodeId());
            assertEquals(broker.port(), node.port());
        } else {
            assertEquals(-1, data.currentLeader().leaderId());
            assertTrue(response.nodeEndpoints().isEmpty());
        }
    }

    @Test
    void a_consumer_at_v15_sends_no_replica_state_and_is_served() {
        append(broker.broker(), ORDERS_0, batch(1_000, "cod"));

        FetchResponseData response = send(fetch(topic("orders", partition(0, 0))), 15);

        assertEquals(List.of("cod"), values(answer(response, 15, "orders", 0)));
    }

    @Test
    void a_followers_tagged_fields_are_read_past() {
        append(broker.broker(), ORDERS_0, batch(1_000, "cod"));
        FetchRequestData request = fetch(topic("orders", partition(0, 0).setReplicaDirectoryId(Uuid.randomUuid())
                .setHighWatermark(1))).setClusterId("some-cluster");

        assertEquals(List.of("cod"), values(answer(send(request, NEWEST), NEWEST, "orders", 0)));
    }

    // ---- sessions ----

    @Test
    void a_full_fetch_asking_for_a_session_gets_session_id_0_and_forgotten_topics_by_id_are_read_and_dropped() {
        append(broker.broker(), ORDERS_0, batch(1_000, "cod"));
        FetchRequestData asking = fetch(topic("orders", partition(0, 0))).setSessionEpoch(0)
                .setForgottenTopicsData(List.of(new ForgottenTopic().setTopicId(idOf(broker, "orders"))
                        .setPartitions(List.of(1))));

        FetchResponseData response = send(asking, NEWEST);

        assertEquals(Errors.NONE.code(), response.errorCode());
        assertEquals(0, response.sessionId(), "no session made: the client's next fetch is full again");
        assertEquals(List.of("cod"), values(answer(response, NEWEST, "orders", 0)));
    }

    @Test
    void an_incremental_fetch_is_told_its_session_is_not_found() {
        FetchResponseData response = send(fetch(topic("orders", partition(0, 0))).setSessionId(123).setSessionEpoch(4)
                .setForgottenTopicsData(List.of(new ForgottenTopic().setTopicId(Uuid.randomUuid())
                        .setPartitions(List.of(0)))), NEWEST);

        assertEquals(Errors.FETCH_SESSION_ID_NOT_FOUND.code(), response.errorCode());
        assertEquals(0, response.sessionId());
        assertEquals(List.of(), response.responses());
    }

    // ---- Kafka 4.4's consumer ----

    @Test
    void kafka_4_4s_consumer_fetches_at_v18_and_reads_its_records() {
        append(broker.broker(), ORDERS_1, batch(1_000, "soup", "bread"));
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(new org.apache.kafka.common.TopicPartition("orders", 1)));
            for (int polls = 0; read.size() < 2 && polls < 300; polls++) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    read.add(record.value());
                }
            }
        }
        assertEquals(List.of("soup", "bread"), read);
        String trace = broker.log();
        assertTrue(trace.contains("-> Fetch v18 "), "Kafka 4.4's consumer names topics by id here too\n" + trace);
    }
}
