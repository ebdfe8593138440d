package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
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

/** AlterConfigs, the older whole-set form, written and read by Kafka's own classes in every version served. */
class Api33AlterConfigsTest {

    @StartedBroker(FrontEnd.KAFKA)
    static RunningBroker broker;

    private static AlterConfigsResource resource(byte type, String name, Map<String, String> configs) {
        AlterConfigsResource resource = new AlterConfigsResource().setResourceType(type).setResourceName(name);
        configs.forEach((key, value) -> resource.configs().add(new AlterableConfig().setName(key).setValue(value)));
        return resource;
    }

    private AlterConfigsResourceResponse alter(int version, boolean validateOnly, AlterConfigsResource resource) {
        AlterConfigsRequestData request = new AlterConfigsRequestData().setValidateOnly(validateOnly);
        request.resources().add(resource);
        try (KafkaWire wire = new KafkaWire(broker)) {
            AlterConfigsResponseData response = wire.send(request, version);
            assertEquals(1, response.responses().size());
            return response.responses().get(0);
        }
    }

    private Map<String, String> overrides(String topic) {
        return broker.broker().describeTopic(topic).overrides();
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {0, 1, 2})
    void every_version_makes_the_configs_given_the_topics_whole_set(int version) {
        String name = "replaced-v" + version;
        broker.broker().createTopic(name, 1, Map.of(TopicConfig.RETENTION_MS, "60000", TopicConfig.SEGMENT_MS, "120000"),
                OnDuplicate.FAIL);
        AlterConfigsResourceResponse result = alter(version, false, resource(Api44IncrementalAlterConfigsTest.TOPIC, name,
                Map.of(TopicConfig.MAX_MESSAGE_BYTES, "2048", TopicConfig.SEGMENT_MS, "180000")));

        assertEquals(Errors.NONE.code(), result.errorCode());
        assertNull(result.errorMessage());
        assertEquals(name, result.resourceName());
        assertEquals(Map.of(TopicConfig.MAX_MESSAGE_BYTES, "2048", TopicConfig.SEGMENT_MS, "180000"), overrides(name),
                "retention.ms, left out, is back to its default");
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {0, 1, 2})
    void a_groups_configs_given_become_its_whole_set_and_a_value_out_of_bounds_is_invalid_config(int version) {
        String group = "cooks-v" + version; // no such group: Kafka takes configs for a group not there yet
        broker.broker().groupConfigs().alter(group, Map.of("consumer.session.timeout.ms", "50000"), java.util.Set.of(),
                false, false);
        byte type = 32;
        AlterConfigsResourceResponse result = alter(version, false, resource(type, group,
                Map.of("consumer.heartbeat.interval.ms", "6000")));
        assertEquals(Errors.NONE.code(), result.errorCode(), result.errorMessage());
        assertEquals(Map.of("consumer.heartbeat.interval.ms", "6000"), broker.broker().groupConfigs().of(group),
                "consumer.session.timeout.ms, left out, is back to the broker's");

        AlterConfigsResourceResponse bad = alter(version, false, resource(type, group,
                Map.of("consumer.heartbeat.interval.ms", "100")));
        assertEquals(Errors.INVALID_CONFIG.code(), bad.errorCode());
        assertEquals("consumer.heartbeat.interval.ms must be in the range 5000 to 15000 inclusive.", bad.errorMessage());
        assertEquals(Errors.NONE.code(), alter(version, true, resource(type, group, Map.of())).errorCode());
        assertEquals(Map.of("consumer.heartbeat.interval.ms", "6000"), broker.broker().groupConfigs().of(group),
                "neither the refused change nor the one only validated changed anything");
    }

    @Test
    void validate_only_and_a_bad_value_change_nothing() {
        broker.broker().createTopic("kept", 1, Map.of(TopicConfig.RETENTION_MS, "60000"), OnDuplicate.FAIL);
        assertEquals(Errors.NONE.code(), alter(2, true, resource(Api44IncrementalAlterConfigsTest.TOPIC, "kept",
                Map.of())).errorCode());
        AlterConfigsResourceResponse bad = alter(2, false, resource(Api44IncrementalAlterConfigsTest.TOPIC, "kept",
                Map.of(TopicConfig.CLEANUP_POLICY, "shred")));
        assertEquals(Errors.INVALID_CONFIG.code(), bad.errorCode());
        assertTrue(bad.errorMessage().contains(TopicConfig.CLEANUP_POLICY), bad.errorMessage());
        assertEquals(Map.of(TopicConfig.RETENTION_MS, "60000"), overrides("kept"));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), alter(2, false, resource(Api44IncrementalAlterConfigsTest.TOPIC,
                "nowhere", Map.of())).errorCode());
    }

    @Test
    void a_static_broker_setting_is_refused_in_kafkas_words() {
        AlterConfigsResourceResponse result = alter(2, false, resource(Api44IncrementalAlterConfigsTest.BROKER, "1",
                Map.of(BrokerConfig.NUM_PARTITIONS, "3")));
        assertEquals(Errors.INVALID_REQUEST.code(), result.errorCode());
        assertTrue(result.errorMessage().startsWith("Cannot update these configs dynamically: [num.partitions]"),
                result.errorMessage());
        assertEquals(1, broker.broker().config().numPartitions());
    }
}
