package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.security.AccessControlEntry;
import toykafka.broker.security.AclBinding;
import toykafka.broker.security.AclBindingFilter;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.AclPermissionType;
import toykafka.broker.security.Action;
import toykafka.broker.security.AuthorizableRequestContext;
import toykafka.broker.security.AuthorizationResult;
import toykafka.broker.security.Authorizer;
import toykafka.broker.security.KafkaPrincipal;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.broker.security.StandardAuthorizer;
import toykafka.common.InvalidConfigurationException;

/** The broker's authorizer as its settings make it: none by default, Kafka's, its ACLs kept across a restart. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BrokerAuthorizerTest {

    @TempDir
    Path dataDir;

    private static final AclBinding ALICE_READS_ORDERS = new AclBinding(
            ResourcePattern.literal(ResourceType.TOPIC, "orders"),
            new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW));

    private BrokerConfig config(Map<String, String> settings) {
        return BrokerConfig.of(settings).with(BrokerConfig.STATS_INTERVAL_MS, 0).with(BrokerConfig.DATA_DIR, dataDir);
    }

    private static Map<String, String> withAuthorizer(String... more) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of(BrokerConfig.AUTHORIZER_CLASS_NAME,
                StandardAuthorizer.CLASS_NAME));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    @Test
    void a_broker_has_no_authorizer_unless_told() {
        try (Broker broker = Broker.start(config(Map.of()))) {
            assertTrue(broker.access().authorizer().isEmpty());
        }
    }

    @Test
    void any_authorizer_but_kafkas_standard_one_is_refused_naming_the_one_taken() {
        InvalidConfigurationException refused = assertThrows(InvalidConfigurationException.class,
                () -> config(Map.of(BrokerConfig.AUTHORIZER_CLASS_NAME, "kafka.security.authorizer.AclAuthorizer")));
        assertTrue(refused.getMessage().contains(StandardAuthorizer.CLASS_NAME), refused.getMessage());
        assertThrows(InvalidConfigurationException.class, () -> config(Map.of(BrokerConfig.SUPER_USERS, "admin")),
                "a super user is written Type:name");
    }

    @Test
    void the_acls_survive_a_restart_and_the_settings_decide() {
        try (Broker broker = Broker.start(config(withAuthorizer(BrokerConfig.SUPER_USERS, "User:admin")))) {
            broker.access().authorizer().orElseThrow().createAcls(List.of(ALICE_READS_ORDERS));
        }
        try (Broker broker = Broker.start(config(withAuthorizer(BrokerConfig.SUPER_USERS, "User:admin")))) {
            Authorizer authorizer = broker.access().authorizer().orElseThrow();
            assertEquals(List.of(ALICE_READS_ORDERS), authorizer.acls(AclBindingFilter.ANY));
            assertEquals(AuthorizationResult.ALLOWED, may(authorizer, "User:alice", "orders"));
            assertEquals(AuthorizationResult.DENIED, may(authorizer, "User:bob", "orders"));
            assertEquals(AuthorizationResult.ALLOWED, may(authorizer, "User:admin", "orders"), "a super user");
            assertEquals(AuthorizationResult.DENIED, may(authorizer, "User:bob", "payments"), "no ACL: denied");
        }
        Map<String, String> allowEveryone = withAuthorizer(BrokerConfig.ALLOW_EVERYONE_IF_NO_ACL_FOUND, "true");
        try (Broker broker = Broker.start(config(allowEveryone))) {
            assertEquals(AuthorizationResult.ALLOWED, may(broker.access().authorizer().orElseThrow(), "User:bob", "payments"));
        }
    }

    @Test
    void a_broker_in_memory_keeps_its_acls_until_it_stops() {
        Map<String, String> settings = withAuthorizer(BrokerConfig.STORAGE, "memory");
        try (Broker broker = Broker.start(config(settings))) {
            broker.access().authorizer().orElseThrow().createAcls(List.of(ALICE_READS_ORDERS));
            assertEquals(1, broker.access().authorizer().orElseThrow().acls(AclBindingFilter.ANY).size());
        }
        try (Broker broker = Broker.start(config(settings))) {
            assertEquals(List.of(), broker.access().authorizer().orElseThrow().acls(AclBindingFilter.ANY));
        }
    }

    private static AuthorizationResult may(Authorizer authorizer, String principal, String topic) {
        return authorizer.authorize(new AuthorizableRequestContext(KafkaPrincipal.parse(principal), "127.0.0.1"),
                Action.on(AclOperation.READ, ResourceType.TOPIC, topic));
    }
}
