package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.BrokerOnDemand;
import toykafka.testing.RunningBroker;

/** Metadata, read by Kafka's own classes in every version served: brokers, topics, auto-creation. */
class Api03MetadataTest {

    @RegisterExtension
    final BrokerOnDemand brokers = new BrokerOnDemand();
    private RunningBroker broker;

    private RunningBroker start(String autoCreate) {
        broker = brokers.overKafka(Map.of(BrokerConfig.AUTO_CREATE_TOPICS, autoCreate,
                BrokerConfig.NUM_PARTITIONS, "2"));
        return broker;
    }

    private static MetadataRequestData asking(String... topics) {
        return new MetadataRequestData().setTopics(Arrays.stream(topics)
                .map(name -> new MetadataRequestTopic().setName(name)).toList());
    }

    private MetadataResponseData send(MetadataRequestData request, int version) {
        try (KafkaWire wire = new KafkaWire(broker)) {
            return wire.send(request, version);
        }
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13})
    void every_version_names_this_broker_and_each_partition_it_leads(int version) {
        start("true").broker().createTopic("orders", 3, Map.of(), OnDuplicate.FAIL);
        MetadataResponseData response = send(asking("orders"), version);

        assertEquals(1, response.brokers().size());
        MetadataResponseBroker self = response.brokers().iterator().next();
        assertEquals(1, self.nodeId());
        assertEquals(broker.host(), self.host());
        assertEquals(broker.port(), self.port());
        assertNull(self.rack());
        if (version >= 1) {
            assertEquals(1, response.controllerId(), "this broker is the controller of its one-node cluster");
        }
        if (version >= 2) {
            assertEquals(RunningBroker.CLUSTER_ID, response.clusterId());
        }
        assertEquals(1, response.topics().size());
        MetadataResponseTopic orders = response.topics().find("orders");
        assertEquals(Errors.NONE.code(), orders.errorCode());
        assertFalse(orders.isInternal());
        assertEquals(List.of(0, 1, 2), orders.partitions().stream().map(MetadataResponsePartition::partitionIndex).toList());
        for (MetadataResponsePartition partition : orders.partitions()) {
            assertEquals(Errors.NONE.code(), partition.errorCode());
            assertEquals(1, partition.leaderId());
            assertEquals(version >= 7 ? 0 : -1, partition.leaderEpoch(),
                    "from v7, led by this broker from the start: Kafka's first epoch");
            assertEquals(List.of(1), partition.replicaNodes());
            assertEquals(List.of(1), partition.isrNodes());
            assertEquals(List.of(), partition.offlineReplicas());
        }
        if (version >= 8) {
            assertEquals(Integer.MIN_VALUE, orders.topicAuthorizedOperations());
        }
        if (version >= 8 && version <= 10) {
            assertEquals(Integer.MIN_VALUE, response.clusterAuthorizedOperations());
        }
        Uuid expected = version >= 10 ? Uuid.fromString(broker.broker().describeTopic("orders").id().toString())
                : Uuid.ZERO_UUID;
        assertEquals(expected, orders.topicId(), "v10 and later carry the topic's id");
        assertEquals(Errors.NONE.code(), response.errorCode(), "v13's top-level error: never REBOOTSTRAP_REQUIRED here");
    }

    // tag::topic-id[]
    @Test
    void a_topic_keeps_its_id_across_changes_and_restarts_and_a_new_topic_of_the_same_name_gets_another() {
        start("true").broker().createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
        Uuid first = send(asking("orders"), 12).topics().find("orders").topicId();
        assertNotEquals(Uuid.ZERO_UUID, first);
        broker.broker().increasePartitions("orders", 3);
        broker.broker().replaceConfig("orders", Map.of("retention.ms", "60000"));
        broker.restart();
        assertEquals(first, send(asking("orders"), 12).topics().find("orders").topicId(), "the same topic");

        broker.broker().deleteTopic("orders");
        broker.broker().createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
        Uuid second = send(asking("orders"), 12).topics().find("orders").topicId();
        assertNotEquals(first, second, "a topic made again under the old name is another topic");

        MetadataResponseData byId = send(new MetadataRequestData().setTopics(List.of(new MetadataRequestTopic()
                .setName(null).setTopicId(second), new MetadataRequestTopic().setName(null).setTopicId(first))), 12);
        List<MetadataResponseTopic> found = List.copyOf(byId.topics());
        assertEquals("orders", found.get(0).name(), "v12 finds a topic by its id");
        assertEquals(2, found.get(0).partitions().size());
        assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), found.get(1).errorCode(), "the deleted topic's id");
        assertNull(found.get(1).name());

        // kafka-clients 4 asks by id with the name at its default, "": the id decides, as in Kafka
        MetadataResponseData defaultName = send(new MetadataRequestData().setTopics(List.of(new MetadataRequestTopic()
                .setTopicId(second))), 12);
        assertEquals("orders", defaultName.topics().iterator().next().name());
    }
    // end::topic-id[]

    @Test
    void version_0_reads_an_empty_list_as_every_topic_with_the_internal_ones() {
        start("true").broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        MetadataResponseData response = send(asking(), 0);
        assertEquals(List.of(Broker.STATS_TOPIC, Broker.OFFSETS_TOPIC, "orders"),
                response.topics().stream().map(MetadataResponseTopic::name).sorted().toList());
    }

    @Test
    void from_version_1_null_is_every_topic_and_an_empty_list_is_none() {
        start("true").broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        MetadataResponseData all = send(new MetadataRequestData().setTopics(null), 1);
        assertEquals(3, all.topics().size());
        assertTrue(all.topics().find(Broker.OFFSETS_TOPIC).isInternal(), "the broker's own topics are internal");
        assertTrue(all.topics().find(Broker.STATS_TOPIC).isInternal());
        assertFalse(all.topics().find("orders").isInternal());
        assertEquals(0, send(asking(), 1).topics().size());
    }

    @Test
    void an_unknown_topic_is_created_with_num_partitions_when_the_request_and_the_broker_allow_it() {
        start("true");
        MetadataResponseData response = send(asking("new-orders").setAllowAutoTopicCreation(true), 4);
        MetadataResponseTopic created = response.topics().find("new-orders");
        assertEquals(Errors.NONE.code(), created.errorCode());
        assertEquals(2, created.partitions().size(), "num.partitions=2");
        assertTrue(broker.broker().listTopics().contains("new-orders"));

        MetadataResponseData old = send(asking("older-client"), 3);
        assertEquals(Errors.NONE.code(), old.topics().find("older-client").errorCode(), "v0-3 always allow creation");
        assertTrue(broker.broker().listTopics().contains("older-client"));
    }

    @Test
    void an_unknown_topic_is_not_created_when_the_request_says_not_to() {
        assertEquals(List.of(), unknownOrdersNotCreated("true", false).partitions());
    }

    @Test
    void an_unknown_topic_is_not_created_when_auto_create_topics_enable_is_off() {
        unknownOrdersNotCreated("false", true);
    }

    /**
     * Asks a broker with this auto.create.topics.enable, in a v8 request with this allowAutoTopicCreation, for the
     * topic orders it does not have: the answer is UNKNOWN_TOPIC_OR_PARTITION and no topic is created. The answer.
     */
    private MetadataResponseTopic unknownOrdersNotCreated(String autoCreateTopicsEnable, boolean allowAutoTopicCreation) {
        start(autoCreateTopicsEnable);
        MetadataResponseData response = send(asking("orders").setAllowAutoTopicCreation(allowAutoTopicCreation), 8);
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), response.topics().find("orders").errorCode());
        assertFalse(broker.broker().listTopics().contains("orders"));
        return response.topics().find("orders");
    }

    @Test
    void a_name_no_topic_can_have_is_an_invalid_topic_and_the_rest_are_answered() {
        start("true").broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        MetadataResponseData response = send(asking("bad name!", "orders", "orders"), 8);
        assertEquals(2, response.topics().size(), "a topic asked twice is answered once");
        assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(), response.topics().find("bad name!").errorCode());
        assertEquals(Errors.NONE.code(), response.topics().find("orders").errorCode());
        assertFalse(broker.broker().listTopics().contains("bad name!"));
    }

    @Test
    void a_name_with_two_underscores_is_auto_created_as_kafka_creates_it_but_not_kafkas_metadata_log() {
        start("true");
        MetadataResponseData response = send(asking("__orders", "__cluster_metadata").setAllowAutoTopicCreation(true), 8);
        assertEquals(Errors.NONE.code(), response.topics().find("__orders").errorCode());
        assertTrue(broker.broker().listTopics().contains("__orders"));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), response.topics().find("__cluster_metadata").errorCode(),
                "as Kafka answers: its create is refused behind the answer");
        assertFalse(broker.broker().listTopics().contains("__cluster_metadata"));
    }

    @Test
    void an_internal_topic_asked_by_name_is_described_and_flagged_whatever_auto_create_says() {
        start("false");
        MetadataResponseTopic offsets = send(asking(Broker.OFFSETS_TOPIC), 8).topics().find(Broker.OFFSETS_TOPIC);
        assertEquals(Errors.NONE.code(), offsets.errorCode());
        assertTrue(offsets.isInternal());
        assertEquals(1, offsets.partitions().size());
    }
}
