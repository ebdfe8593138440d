package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.broker.config.BrokerConfig;
import toykafka.common.TopicConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/** DescribeConfigs, written and read by Kafka's own classes in every version served, 1 to 4 (v4 is flexible). */
class Api32DescribeConfigsTest {

    private static final byte TOPIC = 2;
    private static final byte BROKER = 4;
    private static final byte GROUP = 32;

    @StartedBroker(value = FrontEnd.KAFKA, settings = @Setting(name = BrokerConfig.NUM_PARTITIONS, value = "3"))
    RunningBroker broker;

    @BeforeEach
    void start() {
        broker.broker().createTopic("orders", 1, Map.of(TopicConfig.RETENTION_MS, "60000",
                TopicConfig.CLEANUP_POLICY, "compact"), OnDuplicate.FAIL);
    }

    private static DescribeConfigsResource resource(byte type, String name, List<String> keys) {
        return new DescribeConfigsResource().setResourceType(type).setResourceName(name).setConfigurationKeys(keys);
    }

    private DescribeConfigsResponseData describe(int version, boolean synonyms, boolean documentation,
                                                 DescribeConfigsResource... resources) {
        DescribeConfigsRequestData request = new DescribeConfigsRequestData().setResources(List.of(resources))
                .setIncludeSynonyms(synonyms).setIncludeDocumentation(documentation);
        try (KafkaWire wire = new KafkaWire(broker)) {
            return wire.send(request, version);
        }
    }

    private static Map<String, DescribeConfigsResourceResult> byName(DescribeConfigsResult result) {
        Map<String, DescribeConfigsResourceResult> entries = new TreeMap<>();
        result.configs().forEach(entry -> entries.put(entry.name(), entry));
        return entries;
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {1, 2, 3, 4})
    void every_version_gives_every_topic_config_with_the_topics_overrides_marked_as_its_own(int version) {
        DescribeConfigsResult result = describe(version, false, false, resource(TOPIC, "orders", null)).results().get(0);

        assertEquals(Errors.NONE.code(), result.errorCode());
        assertNull(result.errorMessage());
        assertEquals(TOPIC, result.resourceType());
        assertEquals("orders", result.resourceName());
        Map<String, DescribeConfigsResourceResult> entries = byName(result);
        assertEquals(TopicConfig.keys().keySet(), entries.keySet(), "every key the broker knows");
        assertEquals("60000", entries.get(TopicConfig.RETENTION_MS).value());
        assertEquals(DescribeConfigsResponse.ConfigSource.TOPIC_CONFIG.id(), entries.get(TopicConfig.RETENTION_MS).configSource());
        assertEquals("compact", entries.get(TopicConfig.CLEANUP_POLICY).value());
        assertEquals(DescribeConfigsResponse.ConfigSource.TOPIC_CONFIG.id(), entries.get(TopicConfig.CLEANUP_POLICY).configSource());
        assertEquals("1073741824", entries.get(TopicConfig.SEGMENT_BYTES).value());
        assertEquals(DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG.id(), entries.get(TopicConfig.SEGMENT_BYTES).configSource());
        for (DescribeConfigsResourceResult entry : entries.values()) {
            assertFalse(entry.readOnly(), entry.name());
            assertFalse(entry.isSensitive(), entry.name());
            assertEquals(List.of(), entry.synonyms(), "synonyms only when asked for");
            if (version >= 3) {
                assertNull(entry.documentation(), "documentation only when asked for");
            }
        }
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {3, 4})
    void synonyms_list_the_topics_value_then_the_default_and_documentation_comes_when_asked(int version) {
        DescribeConfigsResult result = describe(version, true, true, resource(TOPIC, "orders", null)).results().get(0);
        Map<String, DescribeConfigsResourceResult> entries = byName(result);

        List<DescribeConfigsSynonym> retention = entries.get(TopicConfig.RETENTION_MS).synonyms();
        assertEquals(List.of("60000", "604800000"), retention.stream().map(DescribeConfigsSynonym::value).toList());
        assertEquals(List.of(DescribeConfigsResponse.ConfigSource.TOPIC_CONFIG.id(),
                DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG.id()),
                retention.stream().map(DescribeConfigsSynonym::source).toList());
        assertEquals(1, entries.get(TopicConfig.SEGMENT_BYTES).synonyms().size(), "a default has only itself");
        assertNotNull(entries.get(TopicConfig.SEGMENT_BYTES).documentation());
    }

    @Test
    void named_keys_give_only_those_and_a_key_no_topic_has_is_left_out() {
        DescribeConfigsResult result = describe(3, false, false,
                resource(TOPIC, "orders", List.of(TopicConfig.RETENTION_MS, "no.such.key"))).results().get(0);
        assertEquals(List.of(TopicConfig.RETENTION_MS), result.configs().stream()
                .map(DescribeConfigsResourceResult::name).toList());
    }

    @Test
    void an_unknown_topic_a_bad_name_and_an_unknown_resource_type_are_refused_each_on_its_own() {
        DescribeConfigsResponseData response = describe(3, false, false, resource(TOPIC, "never-was", null),
                resource(TOPIC, "bad name", null), resource((byte) 8, "x", null), resource(TOPIC, "orders", null));
        List<DescribeConfigsResult> results = response.results();
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), results.get(0).errorCode());
        assertTrue(results.get(0).errorMessage().contains("never-was"), results.get(0).errorMessage());
        assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(), results.get(1).errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(), results.get(2).errorCode());
        assertEquals(Errors.NONE.code(), results.get(3).errorCode());
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {1, 2, 3, 4})
    void a_group_is_described_with_kafkas_group_configs_its_own_marked_and_a_nameless_one_is_refused(int version) {
        // Kafka answers any group name, whether the group exists or not, with every group config not internal
        broker.broker().groupConfigs().alter("kitchen", Map.of("consumer.session.timeout.ms", "50000"), Set.of(),
                false, false);
        DescribeConfigsResponseData response = describe(version, true, false, resource(GROUP, "kitchen", null),
                resource(GROUP, "", null), resource(GROUP, "nowhere", List.of("consumer.heartbeat.interval.ms")));
        DescribeConfigsResult kitchen = response.results().get(0);
        assertEquals(Errors.NONE.code(), kitchen.errorCode());
        assertEquals(GROUP, kitchen.resourceType());
        Map<String, DescribeConfigsResourceResult> configs = byName(kitchen);
        assertEquals(21, configs.size(), configs.keySet().toString());
        DescribeConfigsResourceResult session = configs.get("consumer.session.timeout.ms");
        assertEquals("50000", session.value());
        assertEquals(DescribeConfigsResponse.ConfigSource.GROUP_CONFIG.id(), session.configSource());
        assertEquals(List.of("consumer.session.timeout.ms", "group.consumer.session.timeout.ms"),
                session.synonyms().stream().map(DescribeConfigsResponseData.DescribeConfigsSynonym::name).toList());
        if (version >= 3) {
            assertEquals(DescribeConfigsResponse.ConfigType.INT.id(), session.configType());
        }
        assertEquals(DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG.id(),
                configs.get("share.isolation.level").configSource());
        DescribeConfigsResult nameless = response.results().get(1);
        assertEquals(Errors.INVALID_REQUEST.code(), nameless.errorCode());
        assertEquals("Group name must not be empty", nameless.errorMessage(), "Kafka's words");
        assertEquals(List.of("consumer.heartbeat.interval.ms"), response.results().get(2).configs().stream()
                .map(DescribeConfigsResourceResult::name).toList(), "only the key asked for");
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {3, 4})
    void this_broker_gives_its_settings_under_kafkas_names_with_where_each_came_from(int version) {
        DescribeConfigsResponseData response = describe(version, true, false, resource(BROKER, "1", null),
                resource(BROKER, "7", null), resource(BROKER, "", null));
        Map<String, DescribeConfigsResourceResult> settings = byName(response.results().get(0));

        assertEquals(Errors.NONE.code(), response.results().get(0).errorCode());
        assertEquals("3", settings.get(BrokerConfig.NUM_PARTITIONS).value());
        assertEquals(DescribeConfigsResponse.ConfigSource.STATIC_BROKER_CONFIG.id(),
                settings.get(BrokerConfig.NUM_PARTITIONS).configSource(), "set by the test");
        assertEquals(DescribeConfigsResponse.ConfigSource.DEFAULT_CONFIG.id(),
                settings.get(BrokerConfig.AUTO_CREATE_TOPICS).configSource());
        assertTrue(settings.get(BrokerConfig.NUM_PARTITIONS).readOnly());
        assertFalse(settings.containsKey(BrokerConfig.DATA_DIR), "only settings under Kafka's own names");
        assertEquals(Errors.INVALID_REQUEST.code(), response.results().get(1).errorCode(), "not this broker's id");
        assertEquals(Errors.NONE.code(), response.results().get(2).errorCode());
        assertEquals(List.of(), response.results().get(2).configs(), "no cluster-wide dynamic defaults");
    }
}
