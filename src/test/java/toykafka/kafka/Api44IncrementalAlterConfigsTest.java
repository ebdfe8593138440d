package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.broker.config.BrokerConfig;
import toykafka.common.TopicConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/** IncrementalAlterConfigs, written and read by Kafka's own classes in every version served; one broker. */
class Api44IncrementalAlterConfigsTest {

    static final byte TOPIC = 2;
    static final byte BROKER = 4;
    private static final byte SET = 0;
    private static final byte DELETE = 1;
    private static final byte APPEND = 2;
    private static final byte SUBTRACT = 3;

    @StartedBroker(FrontEnd.KAFKA)
    static RunningBroker broker;

    private void createTopic(String name, Map<String, String> configs) {
        broker.broker().createTopic(name, 1, configs, OnDuplicate.FAIL);
    }

    private Map<String, String> overrides(String topic) {
        return broker.broker().describeTopic(topic).overrides();
    }

    static AlterableConfig config(byte operation, String name, String value) {
        return new AlterableConfig().setConfigOperation(operation).setName(name).setValue(value);
    }

    static AlterConfigsResource resource(byte type, String name, AlterableConfig... configs) {
        AlterConfigsResource resource = new AlterConfigsResource().setResourceType(type).setResourceName(name);
        for (AlterableConfig config : configs) {
            resource.configs().add(config);
        }
        return resource;
    }

    private IncrementalAlterConfigsResponseData send(int version, boolean validateOnly, AlterConfigsResource... resources) {
        IncrementalAlterConfigsRequestData request = new IncrementalAlterConfigsRequestData().setValidateOnly(validateOnly);
        for (AlterConfigsResource resource : resources) {
            request.resources().add(resource);
        }
        try (KafkaWire wire = new KafkaWire(broker)) {
            return wire.send(request, version);
        }
    }

    private AlterConfigsResourceResponse alter(boolean validateOnly, AlterConfigsResource resource) {
        return send(1, validateOnly, resource).responses().get(0);
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {0, 1})
    void every_version_sets_and_deletes_keys_and_leaves_the_others(int version) {
        String name = "shelf-v" + version;
        createTopic(name, Map.of(TopicConfig.RETENTION_MS, "60000", TopicConfig.SEGMENT_MS, "120000"));
        IncrementalAlterConfigsResponseData response = send(version, false, resource(TOPIC, name,
                config(SET, TopicConfig.MAX_MESSAGE_BYTES, "2048"), config(DELETE, TopicConfig.RETENTION_MS, null)));

        assertEquals(0, response.throttleTimeMs());
        AlterConfigsResourceResponse result = response.responses().get(0);
        assertEquals(Errors.NONE.code(), result.errorCode());
        assertNull(result.errorMessage());
        assertEquals(TOPIC, result.resourceType());
        assertEquals(name, result.resourceName());
        Map<String, String> now = overrides(name);
        assertEquals("2048", now.get(TopicConfig.MAX_MESSAGE_BYTES));
        assertEquals("120000", now.get(TopicConfig.SEGMENT_MS), "a key not named is left as it was");
        assertEquals(String.valueOf(7 * 24 * 3_600_000L),
                broker.broker().describeTopic(name).config().get(TopicConfig.RETENTION_MS), "deleted: back to the default");
    }

    @Test
    void append_and_subtract_change_a_list_and_are_refused_for_any_other_key() {
        createTopic("listed", Map.of());
        assertEquals(Errors.NONE.code(), alter(false, resource(TOPIC, "listed",
                config(APPEND, TopicConfig.CLEANUP_POLICY, "compact"))).errorCode());
        assertEquals("delete,compact", overrides("listed").get(TopicConfig.CLEANUP_POLICY), "appended to the default");
        assertEquals(Errors.NONE.code(), alter(false, resource(TOPIC, "listed",
                config(APPEND, TopicConfig.CLEANUP_POLICY, "compact"))).errorCode());
        assertEquals("delete,compact", overrides("listed").get(TopicConfig.CLEANUP_POLICY), "a value already there is not added twice");
        assertEquals(Errors.NONE.code(), alter(false, resource(TOPIC, "listed",
                config(SUBTRACT, TopicConfig.CLEANUP_POLICY, "delete"))).errorCode());
        assertEquals("compact", overrides("listed").get(TopicConfig.CLEANUP_POLICY));

        AlterConfigsResourceResponse notList = alter(false, resource(TOPIC, "listed",
                config(APPEND, TopicConfig.RETENTION_MS, "1")));
        assertEquals(Errors.INVALID_CONFIG.code(), notList.errorCode());
        assertTrue(notList.errorMessage().contains("not a list") && notList.errorMessage().contains(TopicConfig.CLEANUP_POLICY),
                notList.errorMessage());
        AlterConfigsResourceResponse emptied = alter(false, resource(TOPIC, "listed",
                config(SUBTRACT, TopicConfig.CLEANUP_POLICY, "compact")));
        assertEquals(Errors.INVALID_CONFIG.code(), emptied.errorCode(), "a topic needs a cleanup policy");
        assertEquals("compact", overrides("listed").get(TopicConfig.CLEANUP_POLICY));
    }

    @Test
    void a_bad_value_or_unknown_key_is_invalid_config_naming_it_and_nothing_changes() {
        createTopic("checked", Map.of(TopicConfig.RETENTION_MS, "60000"));
        AlterConfigsResourceResponse bad = alter(false, resource(TOPIC, "checked",
                config(SET, TopicConfig.RETENTION_MS, "1000"), config(SET, TopicConfig.SEGMENT_BYTES, "10")));
        assertEquals(Errors.INVALID_CONFIG.code(), bad.errorCode());
        assertTrue(bad.errorMessage().contains(TopicConfig.SEGMENT_BYTES) && bad.errorMessage().contains("14 to"),
                bad.errorMessage());
        AlterConfigsResourceResponse unknown = alter(false, resource(TOPIC, "checked", config(SET, "retention.hours", "1")));
        assertEquals(Errors.INVALID_CONFIG.code(), unknown.errorCode());
        assertTrue(unknown.errorMessage().contains("retention.hours"), unknown.errorMessage());
        assertEquals("60000", overrides("checked").get(TopicConfig.RETENTION_MS), "one bad key changes nothing");
    }

    @Test
    void validate_only_checks_and_changes_nothing() {
        createTopic("dry-run", Map.of());
        assertEquals(Errors.NONE.code(), alter(true, resource(TOPIC, "dry-run",
                config(SET, TopicConfig.RETENTION_MS, "1000"))).errorCode());
        assertEquals(Map.of(), overrides("dry-run"));
        assertEquals(Errors.INVALID_CONFIG.code(), alter(true, resource(TOPIC, "dry-run",
                config(SET, TopicConfig.RETENTION_MS, "soon"))).errorCode());
    }

    @Test
    void an_unknown_topic_is_unknown_topic_or_partition() {
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), alter(false, resource(TOPIC, "nowhere",
                config(SET, TopicConfig.RETENTION_MS, "1000"))).errorCode());
    }

    @Test
    void a_static_broker_setting_is_refused_in_kafkas_words_naming_where_it_is_set() {
        AlterConfigsResourceResponse result = alter(false, resource(BROKER, "1",
                config(SET, BrokerConfig.NUM_PARTITIONS, "3")));
        assertEquals(Errors.INVALID_REQUEST.code(), result.errorCode());
        assertTrue(result.errorMessage().startsWith("Cannot update these configs dynamically: [num.partitions]"),
                result.errorMessage());
        assertTrue(result.errorMessage().contains("--num-partitions") && result.errorMessage().contains("TOYKAFKA_NUM_PARTITIONS"),
                result.errorMessage());
        assertEquals(1, broker.broker().config().numPartitions());
        assertEquals(Errors.INVALID_REQUEST.code(), alter(false, resource(BROKER, "",
                config(SET, BrokerConfig.NUM_PARTITIONS, "3"))).errorCode(), "the cluster's defaults too");
        AlterConfigsResourceResponse other = alter(false, resource(BROKER, "7", config(SET, BrokerConfig.NUM_PARTITIONS, "3")));
        assertTrue(other.errorMessage().contains("node id is 1"), other.errorMessage());
    }

    @Test
    void a_resource_or_key_named_twice_a_null_value_or_another_type_is_invalid_request() {
        createTopic("strict", Map.of());
        IncrementalAlterConfigsResponseData twice = send(1, false,
                resource(TOPIC, "strict", config(SET, TopicConfig.RETENTION_MS, "1000")),
                resource(TOPIC, "strict", config(SET, TopicConfig.RETENTION_MS, "2000")));
        assertEquals(2, twice.responses().size());
        twice.responses().forEach(r -> assertEquals(Errors.INVALID_REQUEST.code(), r.errorCode()));
        assertEquals(Errors.INVALID_REQUEST.code(), alter(false, resource(TOPIC, "strict",
                config(SET, TopicConfig.RETENTION_MS, "1000"), config(DELETE, TopicConfig.RETENTION_MS, null))).errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(), alter(false, resource(TOPIC, "strict",
                config(SET, TopicConfig.RETENTION_MS, null))).errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(), alter(false, resource(TOPIC, "strict",
                config((byte) 9, TopicConfig.RETENTION_MS, "1"))).errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(), alter(false, resource((byte) 8, "1",
                config(SET, "kafka.server", "DEBUG"))).errorCode());
        assertEquals(Map.of(), overrides("strict"));
    }
}
