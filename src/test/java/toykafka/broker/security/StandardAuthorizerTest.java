package toykafka.broker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static toykafka.broker.security.AclOperation.*;
import static toykafka.broker.security.AclPermissionType.ALLOW;
import static toykafka.broker.security.AclPermissionType.DENY;
import static toykafka.broker.security.AuthorizationResult.ALLOWED;
import static toykafka.broker.security.AuthorizationResult.DENIED;
import static toykafka.broker.security.PatternType.LITERAL;
import static toykafka.broker.security.PatternType.PREFIXED;
import static toykafka.broker.security.ResourceType.CLUSTER;
import static toykafka.broker.security.ResourceType.GROUP;
import static toykafka.broker.security.ResourceType.TOPIC;
import static toykafka.broker.security.ResourceType.TRANSACTIONAL_ID;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.Errors;

/** The rules of Kafka's StandardAuthorizer, one assertion each, as Kafka 4.4's code decides them. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StandardAuthorizerTest {

    private static final AuthorizableRequestContext ALICE = context("User:alice", "127.0.0.1");
    private static final AuthorizableRequestContext BOB = context("User:bob", "127.0.0.1");

    private StandardAuthorizer authorizer = new StandardAuthorizer(Set.of(), false, AclFile.inMemory());

    private static AuthorizableRequestContext context(String principal, String host) {
        return new AuthorizableRequestContext(KafkaPrincipal.parse(principal), host);
    }

    private static AclBinding acl(ResourceType type, String name, PatternType patternType, String principal,
                                  String host, AclOperation operation, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, patternType),
                new AccessControlEntry(principal, host, operation, permission));
    }

    private static AclBinding allow(ResourceType type, String name, PatternType patternType, String principal,
                                    AclOperation operation) {
        return acl(type, name, patternType, principal, "*", operation, ALLOW);
    }

    private static AclBinding deny(ResourceType type, String name, PatternType patternType, String principal,
                                   AclOperation operation) {
        return acl(type, name, patternType, principal, "*", operation, DENY);
    }

    private void add(AclBinding... bindings) {
        authorizer.createAcls(List.of(bindings)).forEach(result -> assertNull(result.exception()));
    }

    private AuthorizationResult may(AuthorizableRequestContext who, AclOperation operation, ResourceType type,
                                    String name) {
        return authorizer.authorize(who, Action.on(operation, type, name));
    }

    @Test
    void with_no_acls_everything_is_denied_by_default() {
        assertEquals(DENIED, may(ALICE, READ, TOPIC, "orders"));
    }

    @Test
    void allow_everyone_if_no_acl_found_allows_only_where_no_acl_covers_the_resource() {
        authorizer = new StandardAuthorizer(Set.of(), true, AclFile.inMemory());
        add(allow(TOPIC, "orders", LITERAL, "User:bob", READ));
        assertEquals(ALLOWED, may(ALICE, WRITE, TOPIC, "payments"), "no ACL covers payments");
        assertEquals(DENIED, may(ALICE, READ, TOPIC, "orders"), "an ACL for bob covers orders: alice has none");
        assertEquals(ALLOWED, may(BOB, READ, TOPIC, "orders"));
        assertEquals(DENIED, may(BOB, WRITE, TOPIC, "orders"), "bob may read orders, not write to it");
    }

    @Test
    void a_literal_acl_covers_only_its_own_name() {
        add(allow(TOPIC, "orders", LITERAL, "User:alice", READ));
        assertEquals(ALLOWED, may(ALICE, READ, TOPIC, "orders"));
        assertEquals(DENIED, may(ALICE, READ, TOPIC, "orders-eu"));
        assertEquals(DENIED, may(ALICE, READ, TOPIC, "order"));
        assertEquals(DENIED, may(ALICE, READ, GROUP, "orders"), "a topic's ACL says nothing of a group");
    }

    @Test
    void a_prefixed_acl_covers_every_name_that_starts_with_it() {
        add(allow(TOPIC, "orders-", PREFIXED, "User:alice", WRITE));
        assertEquals(ALLOWED, may(ALICE, WRITE, TOPIC, "orders-eu"));
        assertEquals(ALLOWED, may(ALICE, WRITE, TOPIC, "orders-"));
        assertEquals(DENIED, may(ALICE, WRITE, TOPIC, "orders"));
    }

    @Test
    void the_literal_wildcard_covers_every_resource_of_its_type() {
        add(allow(GROUP, "*", LITERAL, "User:alice", READ));
        assertEquals(ALLOWED, may(ALICE, READ, GROUP, "anything"));
        assertEquals(DENIED, may(ALICE, READ, TOPIC, "anything"));
    }

    @Test
    void a_prefixed_star_is_only_a_prefix() {
        add(allow(TOPIC, "*", PREFIXED, "User:alice", READ));
        assertEquals(DENIED, may(ALICE, READ, TOPIC, "orders"));
        assertEquals(ALLOWED, may(ALICE, READ, TOPIC, "*orders"));
    }

    @Test
    void deny_beats_allow_and_a_prefixed_deny_beats_a_literal_allow() {
        add(allow(TOPIC, "orders-eu", LITERAL, "User:alice", READ),
                deny(TOPIC, "orders-", PREFIXED, "User:alice", READ));
        assertEquals(DENIED, may(ALICE, READ, TOPIC, "orders-eu"));
    }

    @Test
    void a_wildcard_deny_beats_a_literal_allow() {
        add(allow(TOPIC, "orders", LITERAL, "User:alice", WRITE), deny(TOPIC, "*", LITERAL, "User:*", WRITE));
        assertEquals(DENIED, may(ALICE, WRITE, TOPIC, "orders"));
    }

    @Test
    void the_wildcard_principal_is_every_user() {
        add(allow(TOPIC, "orders", LITERAL, "User:*", READ));
        assertEquals(ALLOWED, may(ALICE, READ, TOPIC, "orders"));
        assertEquals(ALLOWED, may(BOB, READ, TOPIC, "orders"));
        assertEquals(ALLOWED, may(context("Group:admins", "127.0.0.1"), READ, TOPIC, "orders"),
                "Kafka matches User:* against every requester, whatever its principal type");
    }

    @Test
    void an_acl_applies_only_from_its_host_unless_its_host_is_star() {
        add(acl(TOPIC, "orders", LITERAL, "User:alice", "10.0.0.1", READ, ALLOW));
        assertEquals(DENIED, may(ALICE, READ, TOPIC, "orders"));
        assertEquals(ALLOWED, may(context("User:alice", "10.0.0.1"), READ, TOPIC, "orders"));
    }

    @Test
    void a_deny_from_another_host_does_not_apply() {
        add(allow(TOPIC, "orders", LITERAL, "User:alice", READ),
                acl(TOPIC, "orders", LITERAL, "User:alice", "10.0.0.9", READ, DENY));
        assertEquals(ALLOWED, may(ALICE, READ, TOPIC, "orders"));
        assertEquals(DENIED, may(context("User:alice", "10.0.0.9"), READ, TOPIC, "orders"));
    }

    @Test
    void read_write_delete_and_alter_imply_describe() {
        for (AclOperation operation : List.of(READ, WRITE, DELETE, ALTER)) {
            authorizer = new StandardAuthorizer(Set.of(), false, AclFile.inMemory());
            add(allow(TOPIC, "orders", LITERAL, "User:alice", operation));
            assertEquals(ALLOWED, may(ALICE, DESCRIBE, TOPIC, "orders"), operation + " implies DESCRIBE");
        }
        authorizer = new StandardAuthorizer(Set.of(), false, AclFile.inMemory());
        add(allow(TOPIC, "orders", LITERAL, "User:alice", CREATE));
        assertEquals(DENIED, may(ALICE, DESCRIBE, TOPIC, "orders"), "CREATE does not imply DESCRIBE");
        assertEquals(DENIED, may(ALICE, READ, TOPIC, "orders"), "nor anything else");
    }

    @Test
    void alter_configs_implies_describe_configs_and_not_the_reverse() {
        add(allow(TOPIC, "orders", LITERAL, "User:alice", ALTER_CONFIGS),
                allow(TOPIC, "payments", LITERAL, "User:alice", DESCRIBE_CONFIGS));
        assertEquals(ALLOWED, may(ALICE, DESCRIBE_CONFIGS, TOPIC, "orders"));
        assertEquals(DENIED, may(ALICE, ALTER_CONFIGS, TOPIC, "payments"));
        assertEquals(DENIED, may(ALICE, DESCRIBE, TOPIC, "orders"), "ALTER_CONFIGS does not imply DESCRIBE");
    }

    @Test
    void a_deny_implies_nothing() {
        add(allow(TOPIC, "orders", LITERAL, "User:alice", ALL), deny(TOPIC, "orders", LITERAL, "User:alice", READ));
        assertEquals(DENIED, may(ALICE, READ, TOPIC, "orders"));
        assertEquals(ALLOWED, may(ALICE, DESCRIBE, TOPIC, "orders"), "a DENY of READ does not deny DESCRIBE");
    }

    @Test
    void all_allows_and_denies_every_operation() {
        add(allow(CLUSTER, "kafka-cluster", LITERAL, "User:alice", ALL),
                deny(TRANSACTIONAL_ID, "txn", LITERAL, "User:alice", ALL), allow(TRANSACTIONAL_ID, "txn", LITERAL,
                        "User:alice", WRITE));
        for (AclOperation operation : List.of(CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, IDEMPOTENT_WRITE)) {
            assertEquals(ALLOWED, may(ALICE, operation, CLUSTER, "kafka-cluster"), operation.name());
        }
        assertEquals(DENIED, may(ALICE, WRITE, TRANSACTIONAL_ID, "txn"));
    }

    @Test
    void a_super_user_may_do_anything_even_where_denied() {
        authorizer = new StandardAuthorizer(StandardAuthorizer.parseSuperUsers(" User:admin ;User:ops;"), false,
                AclFile.inMemory());
        add(deny(TOPIC, "*", LITERAL, "User:*", ALL));
        assertEquals(ALLOWED, may(context("User:admin", "127.0.0.1"), DELETE, TOPIC, "orders"));
        assertEquals(ALLOWED, may(context("User:ops", "127.0.0.1"), WRITE, TOPIC, "orders"));
        assertEquals(DENIED, may(ALICE, WRITE, TOPIC, "orders"));
    }

    @Test
    void super_users_must_be_written_type_colon_name() {
        assertThrows(IllegalArgumentException.class, () -> StandardAuthorizer.parseSuperUsers("User:admin;admin"));
        assertEquals(Set.of(), StandardAuthorizer.parseSuperUsers(" ; "));
    }

    @Test
    void several_actions_get_one_verdict_each_in_order() {
        add(allow(TOPIC, "a", LITERAL, "User:alice", READ));
        assertEquals(List.of(ALLOWED, DENIED), authorizer.authorize(ALICE, List.of(Action.on(READ, TOPIC, "a"),
                Action.on(READ, TOPIC, "b"))));
    }

    @Test
    void an_action_is_on_a_literal_resource() {
        assertThrows(IllegalArgumentException.class, () -> new Action(READ,
                new ResourcePattern(TOPIC, "orders", PREFIXED)));
    }

    @Test
    void creations_are_checked_as_kafka_checks_them_and_a_duplicate_is_a_success() {
        List<AclCreateResult> results = authorizer.createAcls(List.of(
                allow(ResourceType.ANY, "x", LITERAL, "User:alice", READ),
                allow(TOPIC, "x", PatternType.MATCH, "User:alice", READ),
                allow(TOPIC, "x", LITERAL, "User:alice", AclOperation.ANY),
                acl(TOPIC, "x", LITERAL, "User:alice", "*", READ, AclPermissionType.ANY),
                allow(TOPIC, "", LITERAL, "User:alice", READ),
                allow(TOPIC, "x", LITERAL, "alice", READ),
                allow(TOPIC, "x", LITERAL, "User:alice", READ),
                allow(TOPIC, "x", LITERAL, "User:alice", READ)));
        List<String> messages = results.stream().map(r -> r.exception() == null ? "ok"
                : r.exception().error() + " " + r.exception().getMessage()).toList();
        assertEquals(List.of("INVALID_REQUEST Invalid resourceType ANY", "INVALID_REQUEST Invalid patternType MATCH",
                "INVALID_REQUEST Invalid operation ANY", "INVALID_REQUEST Invalid permissionType ANY",
                "INVALID_REQUEST Resource name should not be empty", "INVALID_REQUEST Could not parse principal from"
                        + " `alice` (no colon is present separating the principal type from the principal name)",
                "ok", "ok"), messages);
        assertEquals(1, authorizer.acls(AclBindingFilter.ANY).size(), "the same binding is kept once");
    }

    @Test
    void filters_select_as_kafkas_do() {
        AclBinding literal = allow(TOPIC, "orders", LITERAL, "User:alice", READ);
        AclBinding wildcard = allow(TOPIC, "*", LITERAL, "User:bob", WRITE);
        AclBinding prefixed = deny(TOPIC, "ord", PREFIXED, "User:alice", READ);
        AclBinding other = allow(GROUP, "orders", LITERAL, "User:alice", READ);
        add(literal, wildcard, prefixed, other);
        assertEquals(List.of(literal, wildcard, prefixed, other), authorizer.acls(AclBindingFilter.ANY));
        assertEquals(List.of(literal, wildcard, prefixed), authorizer.acls(filter(TOPIC, null, PatternType.ANY)));
        assertEquals(List.of(literal, other), authorizer.acls(filter(ResourceType.ANY, "orders", PatternType.ANY)));
        assertEquals(List.of(literal), authorizer.acls(filter(TOPIC, "orders", LITERAL)));
        assertEquals(List.of(literal, wildcard, prefixed), authorizer.acls(filter(TOPIC, "orders", PatternType.MATCH)),
                "MATCH: every pattern that covers the name");
        assertEquals(List.of(wildcard), authorizer.acls(filter(TOPIC, "payments", PatternType.MATCH)));
        assertEquals(List.of(prefixed), authorizer.acls(new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter("User:alice", "*", AclOperation.ANY, DENY))));
    }

    @Test
    void delete_removes_what_each_filter_matches_and_answers_it() {
        AclBinding literal = allow(TOPIC, "orders", LITERAL, "User:alice", READ);
        AclBinding prefixed = deny(TOPIC, "ord", PREFIXED, "User:alice", READ);
        add(literal, prefixed);
        List<AclDeleteResult> results = authorizer.deleteAcls(List.of(filter(TOPIC, "ord", PREFIXED),
                filter(TOPIC, "nothing", LITERAL), new AclBindingFilter(new ResourcePatternFilter(TOPIC, null,
                        PatternType.UNKNOWN), AccessControlEntryFilter.ANY)));
        assertEquals(List.of(prefixed), results.get(0).deleted());
        assertEquals(List.of(), results.get(1).deleted());
        assertEquals(Errors.INVALID_REQUEST, results.get(2).exception().error());
        assertEquals(List.of(literal), authorizer.acls(AclBindingFilter.ANY));
        assertEquals(ALLOWED, may(ALICE, READ, TOPIC, "orders"), "the deny is gone");
    }

    @Test
    void the_acls_last_in_their_file_across_a_restart(@TempDir Path dataDir) {
        authorizer = new StandardAuthorizer(Set.of(), false, AclFile.in(dataDir));
        AclBinding odd = acl(GROUP, "a\tgroup\nwith \\ odd chars", PREFIXED, "User:ali ce", "10.0.0.1", READ, ALLOW);
        add(allow(TOPIC, "orders", LITERAL, "User:alice", WRITE), odd);
        authorizer.deleteAcls(List.of(filter(TOPIC, "orders", LITERAL)));
        add(deny(CLUSTER, "kafka-cluster", LITERAL, "User:*", ALTER));
        StandardAuthorizer restarted = new StandardAuthorizer(Set.of(), false, AclFile.in(dataDir));
        assertEquals(authorizer.acls(AclBindingFilter.ANY), restarted.acls(AclBindingFilter.ANY));
        assertEquals(2, restarted.acls(AclBindingFilter.ANY).size());
    }

    private static AclBindingFilter filter(ResourceType type, String name, PatternType patternType) {
        return new AclBindingFilter(new ResourcePatternFilter(type, name, patternType), AccessControlEntryFilter.ANY);
    }
}
