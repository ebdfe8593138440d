package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/**
 * The ACL APIs on a broker with Kafka's StandardAuthorizer, driven by Kafka's own {@code kafka-acls} and Admin
 * client: bindings added, listed, matched and removed as Kafka does it, and kept across a restart. The requester,
 * {@code User:ANONYMOUS} on this plaintext listener, is a super user, as an operator's admin principal is.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaAclsTest {

    static final String STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    @StartedBroker(value = FrontEnd.KAFKA, settings = {
        @Setting(name = "authorizer.class.name", value = STANDARD_AUTHORIZER),
        @Setting(name = "super.users", value = "User:ANONYMOUS")})
    RunningBroker broker;

    private ChildProcess.Result acls(String... args) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", broker.bootstrapServers()));
        all.addAll(List.of(args));
        return KafkaTool.ACLS.run(null, all.toArray(String[]::new));
    }

    private static AclBinding binding(ResourceType type, String name, PatternType patternType, String principal,
                                      AclOperation operation, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, patternType),
                new AccessControlEntry(principal, "*", operation, permission));
    }

    private static Set<String> described(Collection<AclBinding> bindings) {
        Set<String> lines = new TreeSet<>();
        bindings.forEach(binding -> lines.add(binding.toString()));
        return lines;
    }

    private Set<String> describedNow(AclBindingFilter filter) throws Exception {
        try (Admin admin = KafkaAdmins.on(broker)) {
            return described(admin.describeAcls(filter).values().get());
        }
    }

    @Test
    void kafka_acls_adds_lists_and_removes_bindings_and_a_restart_keeps_them() throws Exception {
        acls("--add", "--allow-principal", "User:alice", "--operation", "Read", "--operation", "Write", "--topic",
                "orders").assertSucceeded();
        acls("--add", "--deny-principal", "User:bob", "--operation", "Read", "--group", "billing-",
                "--resource-pattern-type", "prefixed").assertSucceeded();
        acls("--add", "--allow-principal", "User:carol", "--operation", "Alter", "--cluster").assertSucceeded();
        acls("--add", "--allow-principal", "User:*", "--operation", "Write", "--transactional-id", "tx-1")
                .assertSucceeded();
        Set<String> expected = described(List.of(
                binding(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:alice", AclOperation.READ,
                        AclPermissionType.ALLOW),
                binding(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:alice", AclOperation.WRITE,
                        AclPermissionType.ALLOW),
                binding(ResourceType.GROUP, "billing-", PatternType.PREFIXED, "User:bob", AclOperation.READ,
                        AclPermissionType.DENY),
                binding(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, "User:carol", AclOperation.ALTER,
                        AclPermissionType.ALLOW),
                binding(ResourceType.TRANSACTIONAL_ID, "tx-1", PatternType.LITERAL, "User:*", AclOperation.WRITE,
                        AclPermissionType.ALLOW)));
        assertEquals(expected, describedNow(AclBindingFilter.ANY));

        String listed = acls("--list").assertSucceeded().output();
        for (String line : List.of(
                "Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=orders, patternType=LITERAL)`:",
                "(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)",
                "(principal=User:alice, host=*, operation=WRITE, permissionType=ALLOW)",
                "Current ACLs for resource `ResourcePattern(resourceType=GROUP, name=billing-, patternType=PREFIXED)`:",
                "(principal=User:bob, host=*, operation=READ, permissionType=DENY)",
                "Current ACLs for resource `ResourcePattern(resourceType=CLUSTER, name=kafka-cluster,"
                        + " patternType=LITERAL)`:",
                "Current ACLs for resource `ResourcePattern(resourceType=TRANSACTIONAL_ID, name=tx-1,"
                        + " patternType=LITERAL)`:")) {
            assertTrue(listed.lines().map(String::strip).anyMatch(line::equals), line + " in:\n" + listed);
        }

        broker.restart();
        assertEquals(expected, describedNow(AclBindingFilter.ANY), "the bindings are kept in the data directory");

        acls("--remove", "--force", "--allow-principal", "User:alice", "--operation", "Read", "--topic", "orders")
                .assertSucceeded();
        String orders = acls("--list", "--topic", "orders").assertSucceeded().output();
        assertTrue(orders.contains("(principal=User:alice, host=*, operation=WRITE, permissionType=ALLOW)"), orders);
        assertTrue(!orders.contains("operation=READ"), orders);
    }

    @Test
    void describe_configs_shows_the_authorizer_and_its_settings_only_when_given_as_kafka_does() throws Exception {
        try (Admin admin = KafkaAdmins.on(broker)) {
            ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
            Config config = admin.describeConfigs(List.of(node)).all().get().get(node);
            assertEquals(STANDARD_AUTHORIZER, config.get("authorizer.class.name").value());
            assertEquals("User:ANONYMOUS", config.get("super.users").value());
            assertEquals(null, config.get("allow.everyone.if.no.acl.found"), "not given: not listed");
        }
    }

    @Test
    void admin_matches_every_pattern_that_covers_a_name_and_deletes_what_a_filter_matches() throws Exception {
        AclBinding literal = binding(ResourceType.TOPIC, "orders-eu", PatternType.LITERAL, "User:alice",
                AclOperation.READ, AclPermissionType.ALLOW);
        AclBinding prefixed = binding(ResourceType.TOPIC, "orders-", PatternType.PREFIXED, "User:bob",
                AclOperation.WRITE, AclPermissionType.DENY);
        AclBinding wildcard = binding(ResourceType.TOPIC, "*", PatternType.LITERAL, "User:carol",
                AclOperation.DESCRIBE, AclPermissionType.ALLOW);
        AclBinding elsewhere = binding(ResourceType.TOPIC, "payments", PatternType.LITERAL, "User:alice",
                AclOperation.READ, AclPermissionType.ALLOW);
        try (Admin admin = KafkaAdmins.on(broker)) {
            admin.createAcls(List.of(literal, prefixed, wildcard, elsewhere)).all().get();
            AclBindingFilter match = new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC, "orders-eu",
                    PatternType.MATCH), AccessControlEntryFilter.ANY);
            assertEquals(described(List.of(literal, prefixed, wildcard)),
                    described(admin.describeAcls(match).values().get()));
            AclBindingFilter alices = new AclBindingFilter(ResourcePatternFilter.ANY, new AccessControlEntryFilter(
                    "User:alice", null, AclOperation.ANY, AclPermissionType.ANY));
            assertEquals(described(List.of(literal, elsewhere)), described(admin.deleteAcls(List.of(alices)).all()
                    .get()));
            assertEquals(described(List.of(prefixed, wildcard)),
                    described(admin.describeAcls(AclBindingFilter.ANY).values().get()));
        }
    }
}
