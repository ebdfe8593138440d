package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.check.MessageFacts;
import toykafka.common.InvalidConfigurationException;
import toykafka.common.TopicConfig;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BrokerConfigTest {

    private static Properties file(String key, String value) {
        Properties properties = new Properties();
        properties.setProperty(key, value);
        return properties;
    }

    @Test
    void a_flag_beats_the_environment_which_beats_the_file_which_beats_the_default() {
        Map<String, String> environment = Map.of("TOYKAFKA_RETENTION_MS", "2000", "TOYKAFKA_HTTP_PORT", "9001");
        Properties file = new Properties();
        file.setProperty("log.retention.ms", "3000");
        file.setProperty("http.port", "9002");
        file.setProperty("num.partitions", "4");

        BrokerConfig config = BrokerConfig.resolve(Map.of("log.retention.ms", "1000"), environment, file);

        assertEquals("1000", config.get("log.retention.ms"));
        assertEquals("flag --log-retention-ms", config.sourceOf("log.retention.ms"));
        assertEquals(9001, config.httpPort());
        assertEquals("environment TOYKAFKA_HTTP_PORT", config.sourceOf("http.port"));
        assertEquals(4, config.numPartitions());
        assertEquals("properties file", config.sourceOf("num.partitions"));
        assertEquals("127.0.0.1", config.host(), "loopback unless told otherwise");
        assertEquals("default", config.sourceOf("host"));
    }

    @Test
    void a_bad_value_is_refused_with_its_source_and_the_rule() {
        var refused = assertThrows(InvalidConfigurationException.class,
                () -> BrokerConfig.resolve(Map.of(), Map.of("TOYKAFKA_HTTP_PORT", "99999"), new Properties()));
        assertTrue(refused.getMessage().contains("environment TOYKAFKA_HTTP_PORT"), refused.getMessage());
        assertTrue(refused.getMessage().contains("0 to 65535"), refused.getMessage());
    }

    @Test
    void an_unknown_setting_is_refused_with_the_list_of_settings() {
        var refused = assertThrows(InvalidConfigurationException.class,
                () -> BrokerConfig.resolve(Map.of(), Map.of(), file("log.retention.hours", "1")));
        assertTrue(refused.getMessage().contains("log.retention.ms"), refused.getMessage());
    }

    @Test
    void the_log_settings_become_the_defaults_of_new_topics() {
        BrokerConfig config = BrokerConfig.of(Map.of("log.retention.ms", "60000", "log.flush.interval.messages", "1"));
        assertEquals(Map.of(TopicConfig.RETENTION_MS, "60000", TopicConfig.FLUSH_MESSAGES, "1"), config.topicDefaults());
        assertEquals(Map.of(), BrokerConfig.of(Map.of()).topicDefaults(),
                "by default topics keep Kafka's own defaults: seven days, and fsync left to the operating system");
    }

    @Test
    void the_group_settings_carry_kafkas_names_and_defaults_and_the_session_bounds_must_form_a_range() {
        BrokerConfig config = BrokerConfig.of(Map.of());
        assertEquals(6000, config.groupMinSessionTimeoutMs());
        assertEquals(1_800_000, config.groupMaxSessionTimeoutMs());
        assertEquals(0, config.groupInitialRebalanceDelayMs(), "REST consumer instances are assigned as they subscribe");
        var refused = assertThrows(InvalidConfigurationException.class, () -> BrokerConfig.of(Map.of(
                BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS, "9000", BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS, "8000")));
        MessageFacts.assertMentions(refused, BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS,
                BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS, 9000, 8000);
        assertThrows(InvalidConfigurationException.class,
                () -> config.with(BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS, 2_000_000), "with() checks the range too");
    }

    @Test
    void every_setting_has_a_flag_an_environment_variable_a_kafka_name_and_a_valid_default() {
        for (BrokerConfig.Setting setting : BrokerConfig.settings()) {
            assertTrue(setting.flag().startsWith("--"), setting.name());
            assertTrue(setting.environment().startsWith("TOYKAFKA_"), setting.name());
            assertTrue(!setting.kafkaName().isBlank(), setting.name());
            assertTrue(setting.accepts().test(setting.defaultValue()), setting.name() + "'s default breaks its own rule");
        }
    }
}
