package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.BrokerTopics.partitionCount;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.config.DynamicBrokerConfigs;
import toykafka.common.TopicConfig;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/** CreateTopics, written and read by Kafka's own classes in every version served. */
class Api19CreateTopicsTest {

    private static final int NEWEST = 7;

    @StartedBroker(value = FrontEnd.KAFKA, settings = @Setting(name = BrokerConfig.NUM_PARTITIONS, value = "2"))
    RunningBroker broker;

    private static CreatableTopic topic(String name, int partitions, int replicationFactor) {
        return new CreatableTopic().setName(name).setNumPartitions(partitions).setReplicationFactor((short) replicationFactor);
    }

    private CreateTopicsResponseData create(int version, boolean validateOnly, CreatableTopic... topics) {
        CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs(30_000).setValidateOnly(validateOnly);
        for (CreatableTopic topic : topics) {
            request.topics().add(topic);
        }
        try (KafkaWire wire = new KafkaWire(broker)) {
            return wire.send(request, version);
        }
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {2, 3, 4, 5, 6, 7})
    void every_version_creates_each_topic_and_answers_for_each(int version) {
        CreatableTopic configured = topic("drinks", 1, -1);
        configured.configs().add(new CreatableTopicConfig().setName(TopicConfig.RETENTION_MS).setValue("60000"));
        CreateTopicsResponseData response = create(version, false, topic("orders", 3, 1), configured,
                topic("fish", -1, -1));

        assertEquals(0, response.throttleTimeMs());
        for (String name : List.of("orders", "drinks", "fish")) {
            CreatableTopicResult result = response.topics().find(name);
            assertEquals(Errors.NONE.code(), result.errorCode(), name);
            assertNull(result.errorMessage(), name);
        }
        assertEquals(3, partitionCount(broker, "orders"));
        assertEquals(2, partitionCount(broker, "fish"), "-1 partitions: num.partitions");
        assertEquals(Map.of(TopicConfig.RETENTION_MS, "60000"), broker.broker().describeTopic("drinks").overrides());
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {5, 7})
    void from_v5_a_topic_is_answered_with_its_partitions_and_every_config_in_force_even_when_only_validated(int version) {
        for (boolean validateOnly : new boolean[] {true, false}) {
            CreatableTopic configured = topic("drinks", 3, 1); // a request's own: a topic sits in one request only
            configured.configs().add(new CreatableTopicConfig().setName(TopicConfig.RETENTION_MS).setValue("60000"));
            CreateTopicsResponseData response = create(version, validateOnly, configured, topic("fish", -1, -1),
                    topic("bad name", 1, 1));

            CreatableTopicResult drinks = response.topics().find("drinks");
            assertEquals(Errors.NONE.code(), drinks.errorCode());
            assertEquals(3, drinks.numPartitions());
            assertEquals(1, drinks.replicationFactor());
            assertEquals(TopicConfig.keys().keySet(), drinks.configs().stream().map(CreatableTopicConfigs::name)
                    .collect(java.util.stream.Collectors.toSet()), "every topic config, set or not");
            CreatableTopicConfigs retention = drinks.configs().stream()
                    .filter(c -> c.name().equals(TopicConfig.RETENTION_MS)).findFirst().orElseThrow();
            assertEquals("60000", retention.value());
            assertEquals(Api32DescribeConfigs.SOURCE_TOPIC_CONFIG, retention.configSource());
            assertFalse(retention.readOnly() || retention.isSensitive());
            CreatableTopicConfigs cleanup = drinks.configs().stream()
                    .filter(c -> c.name().equals(TopicConfig.CLEANUP_POLICY)).findFirst().orElseThrow();
            assertEquals("delete", cleanup.value());
            assertEquals(Api32DescribeConfigs.code(DynamicBrokerConfigs.Source.DEFAULT_CONFIG), cleanup.configSource());
            assertEquals(2, response.topics().find("fish").numPartitions(), "-1: num.partitions, said as the count");
            if (version >= 7) {
                if (validateOnly) {
                    assertNotEquals(org.apache.kafka.common.Uuid.ZERO_UUID, drinks.topicId(), "as Kafka 4.1 answers");
                } else {
                    assertEquals(org.apache.kafka.common.Uuid.fromString(broker.broker().describeTopic("drinks").id()
                            .toString()), drinks.topicId(), "the id the topic was given");
                }
            }

            CreatableTopicResult refused = response.topics().find("bad name");
            assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(), refused.errorCode());
            assertEquals(-1, refused.numPartitions());
            assertEquals(-1, refused.replicationFactor());
            assertEquals(List.of(), refused.configs());
        }
        assertEquals(3, partitionCount(broker, "drinks"));
    }

    @Test
    void validate_only_checks_everything_and_creates_nothing() {
        CreatableTopic badConfig = topic("drinks", 1, 1);
        badConfig.configs().add(new CreatableTopicConfig().setName("retention.hours").setValue("1"));
        CreateTopicsResponseData response = create(NEWEST, true, topic("orders", 3, 1), badConfig, topic("bad name", 1, 1));

        assertEquals(Errors.NONE.code(), response.topics().find("orders").errorCode(), "orders could be created");
        assertEquals(Errors.INVALID_CONFIG.code(), response.topics().find("drinks").errorCode());
        assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(), response.topics().find("bad name").errorCode());
        assertFalse(broker.broker().listTopics().contains("orders"), "validate_only creates nothing");
    }

    @Test
    void a_topic_that_exists_is_topic_already_exists_with_a_message() {
        create(NEWEST, false, topic("orders", 1, 1));
        CreatableTopicResult again = create(NEWEST, false, topic("orders", 5, 1)).topics().find("orders");
        assertEquals(Errors.TOPIC_ALREADY_EXISTS.code(), again.errorCode());
        assertTrue(again.errorMessage().contains("already exists"), again.errorMessage());
        assertFalse(again.errorMessage().contains("OnDuplicate"), "a Kafka client has no OnDuplicate.RENAME: "
                + again.errorMessage());
        assertEquals(1, partitionCount(broker, "orders"), "the first topic is untouched");

        CreatableTopicResult checked = create(NEWEST, true, topic("orders", 1, 1)).topics().find("orders");
        assertEquals(Errors.TOPIC_ALREADY_EXISTS.code(), checked.errorCode(), "validate_only says so too");
    }

    @Test
    void a_name_with_two_underscores_is_created_but_the_brokers_own_names_and_kafkas_metadata_log_are_refused() {
        for (boolean validateOnly : new boolean[] {true, false}) {
            CreateTopicsResponseData response = create(NEWEST, validateOnly, topic("__consumer_offsets", 1, 1),
                    topic("__broker_stats", 1, 1), topic("__cluster_metadata", 1, 1), topic("__orders", 1, 1));
            for (String name : List.of("__consumer_offsets", "__broker_stats")) {
                CreatableTopicResult result = response.topics().find(name);
                assertEquals(Errors.TOPIC_ALREADY_EXISTS.code(), result.errorCode(), name);
                assertTrue(result.errorMessage().contains("broker's own"), result.errorMessage());
            }
            CreatableTopicResult metadataLog = response.topics().find("__cluster_metadata");
            assertEquals(Errors.INVALID_REQUEST.code(), metadataLog.errorCode(), "as Kafka's ControllerApis answers");
            assertTrue(metadataLog.errorMessage().startsWith("Creation of internal topic __cluster_metadata is prohibited"),
                    metadataLog.errorMessage());
            assertEquals(Errors.NONE.code(), response.topics().find("__orders").errorCode(), "Kafka 4.1 creates it too");
        }
        assertTrue(broker.broker().listTopics().contains("__orders"));
        assertFalse(broker.broker().listTopics().contains("__cluster_metadata"));
        assertEquals(1, partitionCount(broker, "__consumer_offsets"), "the broker's own topic is untouched");
    }

    @Test
    void a_replication_factor_above_one_is_refused_naming_the_one_node() {
        CreatableTopicResult result = create(NEWEST, false, topic("orders", 1, 3)).topics().find("orders");
        assertEquals(Errors.INVALID_REPLICATION_FACTOR.code(), result.errorCode());
        assertTrue(result.errorMessage().contains("one node"), result.errorMessage());
        assertFalse(broker.broker().listTopics().contains("orders"));
        assertEquals(Errors.INVALID_REPLICATION_FACTOR.code(),
                create(NEWEST, false, topic("orders", 1, 0)).topics().find("orders").errorCode());
    }

    @Test
    void an_unknown_config_or_a_bad_value_is_invalid_config_naming_the_key() {
        CreatableTopic unknown = topic("orders", 1, 1);
        unknown.configs().add(new CreatableTopicConfig().setName("retention.hours").setValue("1"));
        CreatableTopic badValue = topic("drinks", 1, 1);
        badValue.configs().add(new CreatableTopicConfig().setName(TopicConfig.CLEANUP_POLICY).setValue("shred"));
        CreateTopicsResponseData response = create(NEWEST, false, unknown, badValue);

        CreatableTopicResult orders = response.topics().find("orders");
        assertEquals(Errors.INVALID_CONFIG.code(), orders.errorCode());
        assertTrue(orders.errorMessage().contains("retention.hours"), orders.errorMessage());
        CreatableTopicResult drinks = response.topics().find("drinks");
        assertEquals(Errors.INVALID_CONFIG.code(), drinks.errorCode());
        assertTrue(drinks.errorMessage().contains(TopicConfig.CLEANUP_POLICY), drinks.errorMessage());
        assertEquals(List.of(), broker.broker().listTopics().stream().filter(t -> !t.startsWith("__")).toList());
    }

    @Test
    void a_partition_count_out_of_range_is_invalid_partitions() {
        CreatableTopicResult result = create(NEWEST, false, topic("orders", 0, 1)).topics().find("orders");
        assertEquals(Errors.INVALID_PARTITIONS.code(), result.errorCode());
        assertTrue(result.errorMessage().contains("1 to"), result.errorMessage());
    }

    @Test
    void a_name_given_twice_is_invalid_request_for_both_and_neither_is_created() {
        CreateTopicsResponseData response = create(NEWEST, false, topic("orders", 1, 1), topic("orders", 2, 1));
        assertEquals(2, response.topics().size());
        response.topics().forEach(result -> assertEquals(Errors.INVALID_REQUEST.code(), result.errorCode()));
        assertFalse(broker.broker().listTopics().contains("orders"));
    }

    @Test
    void a_manual_assignment_of_each_partition_to_this_broker_alone_is_taken_and_any_other_refused() {
        CreatableTopic assigned = topic("orders", -1, -1);
        assigned.assignments().add(new CreatableReplicaAssignment().setPartitionIndex(0).setBrokerIds(List.of(1)));
        assigned.assignments().add(new CreatableReplicaAssignment().setPartitionIndex(1).setBrokerIds(List.of(1)));
        CreatableTopic elsewhere = topic("drinks", -1, -1);
        elsewhere.assignments().add(new CreatableReplicaAssignment().setPartitionIndex(0).setBrokerIds(List.of(1, 2)));
        CreatableTopic gap = topic("fish", -1, -1);
        gap.assignments().add(new CreatableReplicaAssignment().setPartitionIndex(1).setBrokerIds(List.of(1)));
        CreatableTopic both = topic("chips", 2, -1);
        both.assignments().add(new CreatableReplicaAssignment().setPartitionIndex(0).setBrokerIds(List.of(1)));
        CreateTopicsResponseData response = create(NEWEST, false, assigned, elsewhere, gap, both);

        assertEquals(Errors.NONE.code(), response.topics().find("orders").errorCode());
        assertEquals(2, partitionCount(broker, "orders"));
        assertEquals(Errors.INVALID_REPLICA_ASSIGNMENT.code(), response.topics().find("drinks").errorCode());
        assertEquals(Errors.INVALID_REPLICA_ASSIGNMENT.code(), response.topics().find("fish").errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(), response.topics().find("chips").errorCode());
        assertEquals(List.of("orders"), broker.broker().listTopics().stream().filter(t -> !t.startsWith("__")).toList());
    }
}
