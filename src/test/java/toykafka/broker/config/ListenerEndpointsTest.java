package toykafka.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.InvalidConfigurationException;

/** Kafka's listener settings as the broker reads them at start, and the refusals of listeners it cannot have. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ListenerEndpointsTest {

    @Test
    void without_listeners_host_and_kafka_port_are_one_plaintext_listener_advertised_as_before() {
        BrokerConfig config = BrokerConfig.of(Map.of(BrokerConfig.KAFKA_PORT, "9192", BrokerConfig.ADVERTISED_HOST,
                "broker.example", BrokerConfig.ADVERTISED_PORT, "19192"));
        assertEquals(List.of(new ListenerEndpoints.EndPoint("PLAINTEXT", "PLAINTEXT", "127.0.0.1", 9192,
                "broker.example", 19192)), ListenerEndpoints.of(config));
    }

    @Test
    void listeners_take_their_protocols_from_the_map_and_their_advertised_addresses_by_name() {
        BrokerConfig config = BrokerConfig.of(Map.of(ListenerEndpoints.LISTENERS,
                "PLAINTEXT://127.0.0.1:9092,sasl_plaintext://127.0.0.1:9093, INSIDE://[::1]:0",
                ListenerEndpoints.ADVERTISED_LISTENERS, "SASL_PLAINTEXT://kafka.example:19093",
                ListenerEndpoints.LISTENER_SECURITY_PROTOCOL_MAP, "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,"
                        + "INSIDE:sasl_plaintext"));
        assertEquals(List.of(new ListenerEndpoints.EndPoint("PLAINTEXT", "PLAINTEXT", "127.0.0.1", 9092, "127.0.0.1", 0),
                new ListenerEndpoints.EndPoint("SASL_PLAINTEXT", "SASL_PLAINTEXT", "127.0.0.1", 9093, "kafka.example", 19093),
                new ListenerEndpoints.EndPoint("INSIDE", "SASL_PLAINTEXT", "::1", 0, "::1", 0)), ListenerEndpoints.of(config));
        assertTrue(ListenerEndpoints.of(config).get(2).sasl());
    }

    @Test
    void a_malformed_listener_a_duplicate_name_or_port_and_a_name_not_in_the_map_are_refused_at_start() {
        assertTrue(refusal(Map.of(ListenerEndpoints.LISTENERS, "PLAINTEXT:9092")).contains("NAME://host:port"));
        assertTrue(refusal(Map.of(ListenerEndpoints.LISTENERS, "PLAINTEXT://a:9092,PLAINTEXT://b:9093"))
                .contains("Each listener must have a different name"));
        assertTrue(refusal(Map.of(ListenerEndpoints.LISTENERS, "PLAINTEXT://a:9092,SASL_PLAINTEXT://b:9092"))
                .contains("Each listener must have a different port"));
        assertTrue(refusal(Map.of(ListenerEndpoints.LISTENERS, "OUTSIDE://a:9092"))
                .contains("No security protocol defined for listener OUTSIDE"));
        assertTrue(refusal(Map.of(ListenerEndpoints.LISTENERS, "PLAINTEXT://a:9092", ListenerEndpoints.ADVERTISED_LISTENERS,
                "SSL://b:9093")).contains("must be equal to or a subset of the ones defined in listeners"));
        assertTrue(refusal(Map.of(ListenerEndpoints.LISTENER_SECURITY_PROTOCOL_MAP, "OUTSIDE:TLS")).contains("one of"));
        assertTrue(refusal(Map.of(ListenerEndpoints.LISTENERS, "PLAINTEXT://a:9092", BrokerConfig.ADVERTISED_HOST, "b"))
                .contains("advertised.listeners"));
    }

    @Test
    void a_listeners_own_settings_come_from_the_file_or_the_flags_and_fall_back_to_the_brokers() {
        Properties file = new Properties();
        file.setProperty("listener.name.sasl_plaintext.sasl.enabled.mechanisms", "PLAIN");
        file.setProperty("listener.name.sasl_plaintext.plain.sasl.jaas.config", "from the file");
        Map<String, String> flags = new HashMap<>(Map.of("listener.name.sasl_plaintext.plain.sasl.jaas.config", "from a flag",
                ListenerEndpoints.SASL_ENABLED_MECHANISMS, "SCRAM-SHA-512"));
        BrokerConfig config = BrokerConfig.resolve(flags, Map.of(), file);
        assertEquals("PLAIN", config.listenerSetting("SASL_PLAINTEXT", ListenerEndpoints.SASL_ENABLED_MECHANISMS, true));
        assertEquals("SCRAM-SHA-512", config.listenerSetting("OTHER", ListenerEndpoints.SASL_ENABLED_MECHANISMS, true));
        assertEquals("from a flag", config.listenerSetting("SASL_PLAINTEXT", "plain.sasl.jaas.config", false));
        assertNull(config.listenerSetting("OTHER", "plain.sasl.jaas.config", false));
        assertTrue(refusal(Map.of("listener.name.sasl_plaintext", "x")).contains("listener.name.<listener>.<setting>"));
    }

    private static String refusal(Map<String, String> settings) {
        return assertThrows(InvalidConfigurationException.class, () -> BrokerConfig.of(settings)).getMessage();
    }
}
