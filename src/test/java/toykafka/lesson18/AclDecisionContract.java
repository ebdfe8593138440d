package toykafka.lesson18;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.security.AccessControlEntry;
import toykafka.broker.security.AclBinding;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.AclPermissionType;
import toykafka.broker.security.AuthorizationResult;
import toykafka.broker.security.KafkaPrincipal;
import toykafka.broker.security.PatternType;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.lesson18.AclDecision.Ask;

/**
 * The authorizer's decision for every {@link AclDecision}: the broker's own {@code StandardAuthorizer} (through
 * {@link BrokerAclDecision}) and the learner's class ({@code ./toykafka check 18}). Each case is one question about
 * the shop's ACLs; the last asks a thousand random ones and compares the answers with the broker's.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class AclDecisionContract {

    private static final KafkaPrincipal ALICE = KafkaPrincipal.user("alice");
    private static final KafkaPrincipal BOB = KafkaPrincipal.user("bob");
    private static final String HOST = "10.0.0.1";
    private static final AuthorizationResult ALLOWED = AuthorizationResult.ALLOWED;
    private static final AuthorizationResult DENIED = AuthorizationResult.DENIED;

    protected abstract AclDecision newDecision();

    private static AclBinding acl(ResourceType type, String name, PatternType pattern, String principal, String host,
                                  AclOperation operation, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, pattern), new AccessControlEntry(principal, host,
                operation, permission));
    }

    private static AclBinding allowTopic(String name, PatternType pattern, String principal, AclOperation operation) {
        return acl(ResourceType.TOPIC, name, pattern, principal, "*", operation, AclPermissionType.ALLOW);
    }

    private static AclBinding denyTopic(String name, PatternType pattern, String principal, AclOperation operation) {
        return acl(ResourceType.TOPIC, name, pattern, principal, "*", operation, AclPermissionType.DENY);
    }

    private static Ask ask(KafkaPrincipal who, AclOperation operation, String topic) {
        return new Ask(who, HOST, operation, ResourceType.TOPIC, topic);
    }

    private AuthorizationResult decide(Ask ask, List<AclBinding> bindings) {
        return newDecision().authorize(ask, bindings, Set.of(), false);
    }

    @Test
    void with_no_acl_on_a_resource_allow_everyone_if_no_acl_found_decides() {
        List<AclBinding> elsewhere = List.of(allowTopic("payments", PatternType.LITERAL, "User:alice", AclOperation.READ));
        assertEquals(DENIED, newDecision().authorize(ask(ALICE, AclOperation.READ, "orders"), elsewhere, Set.of(),
                false), "no binding covers orders and allow.everyone.if.no.acl.found=false");
        assertEquals(ALLOWED, newDecision().authorize(ask(ALICE, AclOperation.READ, "orders"), elsewhere, Set.of(),
                true), "no binding covers orders and allow.everyone.if.no.acl.found=true");
    }

    @Test
    void a_literal_allow_allows_its_principal_and_no_other_once_the_resource_has_acls() {
        List<AclBinding> bindings = List.of(allowTopic("orders", PatternType.LITERAL, "User:alice", AclOperation.READ));
        assertEquals(ALLOWED, decide(ask(ALICE, AclOperation.READ, "orders"), bindings), "alice's own ALLOW");
        assertEquals(DENIED, newDecision().authorize(ask(BOB, AclOperation.READ, "orders"), bindings, Set.of(), true),
                "orders has an ACL, though not for bob: allow.everyone.if.no.acl.found does not apply");
        assertEquals(DENIED, decide(ask(ALICE, AclOperation.WRITE, "orders"), bindings), "READ does not allow WRITE");
        assertEquals(DENIED, decide(ask(ALICE, AclOperation.READ, "orders-eu"), bindings),
                "a LITERAL name covers that name only");
    }

    @Test
    void a_prefixed_pattern_covers_every_name_that_starts_with_it() {
        List<AclBinding> bindings = List.of(allowTopic("orders", PatternType.PREFIXED, "User:alice", AclOperation.WRITE));
        assertEquals(ALLOWED, decide(ask(ALICE, AclOperation.WRITE, "orders"), bindings), "the prefix itself");
        assertEquals(ALLOWED, decide(ask(ALICE, AclOperation.WRITE, "orders-eu"), bindings), "a longer name");
        assertEquals(DENIED, decide(ask(ALICE, AclOperation.WRITE, "order"), bindings), "shorter than the prefix");
        assertEquals(DENIED, decide(ask(ALICE, AclOperation.WRITE, "my-orders"), bindings), "not at the start");
    }

    @Test
    void the_literal_name_star_covers_every_resource_of_its_type_and_only_that_type() {
        List<AclBinding> bindings = List.of(allowTopic("*", PatternType.LITERAL, "User:alice", AclOperation.READ));
        assertEquals(ALLOWED, decide(ask(ALICE, AclOperation.READ, "anything"), bindings), "* is every topic");
        assertEquals(DENIED, decide(new Ask(ALICE, HOST, AclOperation.READ, ResourceType.GROUP, "books"), bindings),
                "a topic ACL says nothing of groups");
        assertEquals(DENIED, decide(ask(ALICE, AclOperation.READ, "anything"), List.of(
                allowTopic("*", PatternType.PREFIXED, "User:alice", AclOperation.READ))),
                "a PREFIXED * covers only names that start with a star");
    }

    @Test
    void the_principal_user_star_is_everyone_and_a_host_other_than_star_must_be_the_askers() {
        assertEquals(ALLOWED, decide(ask(BOB, AclOperation.READ, "menu"), List.of(
                allowTopic("menu", PatternType.LITERAL, "User:*", AclOperation.READ))), "User:* is everyone");
        List<AclBinding> fromTheShop = List.of(acl(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:alice",
                HOST, AclOperation.READ, AclPermissionType.ALLOW));
        assertEquals(ALLOWED, decide(ask(ALICE, AclOperation.READ, "orders"), fromTheShop), "from " + HOST);
        assertEquals(DENIED, decide(new Ask(ALICE, "10.9.9.9", AclOperation.READ, ResourceType.TOPIC, "orders"),
                fromTheShop), "allowed from " + HOST + " only");
    }

    @Test
    void one_deny_wins_over_any_allow_a_prefixed_deny_over_a_literal_allow_too() {
        assertEquals(DENIED, decide(ask(ALICE, AclOperation.READ, "orders"), List.of(
                allowTopic("orders", PatternType.LITERAL, "User:alice", AclOperation.READ),
                denyTopic("orders", PatternType.LITERAL, "User:alice", AclOperation.READ))),
                "alice is allowed READ and denied READ on orders: the DENY wins, though the ALLOW comes first");
        assertEquals(DENIED, decide(ask(ALICE, AclOperation.READ, "orders-eu"), List.of(
                allowTopic("orders-eu", PatternType.LITERAL, "User:alice", AclOperation.ALL),
                denyTopic("orders", PatternType.PREFIXED, "User:*", AclOperation.READ))),
                "a DENY for everyone, on a prefix, beats alice's literal ALLOW of ALL");
        assertEquals(ALLOWED, decide(ask(ALICE, AclOperation.READ, "orders"), List.of(
                allowTopic("orders", PatternType.LITERAL, "User:alice", AclOperation.READ),
                denyTopic("orders", PatternType.LITERAL, "User:bob", AclOperation.READ))),
                "a DENY for bob says nothing of alice");
    }

    @Test
    void read_write_delete_and_alter_imply_describe_and_alter_configs_implies_describe_configs() {
        for (AclOperation granted : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE,
                AclOperation.ALTER)) {
            assertEquals(ALLOWED, decide(ask(ALICE, AclOperation.DESCRIBE, "orders"), List.of(
                    allowTopic("orders", PatternType.LITERAL, "User:alice", granted))), granted + " implies DESCRIBE");
        }
        assertEquals(DENIED, decide(ask(ALICE, AclOperation.DESCRIBE, "orders"), List.of(
                allowTopic("orders", PatternType.LITERAL, "User:alice", AclOperation.CREATE))),
                "CREATE does not imply DESCRIBE");
        assertEquals(ALLOWED, decide(ask(ALICE, AclOperation.DESCRIBE_CONFIGS, "orders"), List.of(
                allowTopic("orders", PatternType.LITERAL, "User:alice", AclOperation.ALTER_CONFIGS))),
                "ALTER_CONFIGS implies DESCRIBE_CONFIGS");
        assertEquals(DENIED, decide(ask(ALICE, AclOperation.READ, "orders"), List.of(
                allowTopic("orders", PatternType.LITERAL, "User:alice", AclOperation.DESCRIBE))),
                "DESCRIBE implies nothing");
    }

    @Test
    void a_deny_implies_nothing_and_all_stands_for_every_operation() {
        assertEquals(ALLOWED, decide(ask(ALICE, AclOperation.DESCRIBE, "orders"), List.of(
                allowTopic("orders", PatternType.LITERAL, "User:alice", AclOperation.DESCRIBE),
                denyTopic("orders", PatternType.LITERAL, "User:alice", AclOperation.READ))),
                "a DENY of READ does not deny DESCRIBE");
        assertEquals(ALLOWED, decide(ask(ALICE, AclOperation.DELETE, "orders"), List.of(
                allowTopic("orders", PatternType.LITERAL, "User:alice", AclOperation.ALL))), "ALLOW ALL");
        assertEquals(DENIED, decide(ask(ALICE, AclOperation.DESCRIBE, "orders"), List.of(
                allowTopic("orders", PatternType.LITERAL, "User:alice", AclOperation.DESCRIBE),
                denyTopic("orders", PatternType.LITERAL, "User:alice", AclOperation.ALL))), "DENY ALL");
    }

    @Test
    void a_super_user_may_do_anything_even_what_a_deny_forbids() {
        List<AclBinding> bindings = List.of(denyTopic("orders", PatternType.LITERAL, "User:*", AclOperation.ALL));
        assertEquals(ALLOWED, newDecision().authorize(ask(KafkaPrincipal.user("manager"), AclOperation.DELETE, "orders"),
                bindings, Set.of("User:manager"), false), "User:manager is a super user");
        assertEquals(DENIED, newDecision().authorize(ask(ALICE, AclOperation.DELETE, "orders"), bindings,
                Set.of("User:manager"), false), "alice is not");
    }

    @Test
    void a_thousand_random_questions_are_answered_as_the_brokers_standard_authorizer_answers_them() {
        Random random = new Random(18);
        List<String> names = List.of("orders", "orders-eu", "order", "books", "*");
        List<AclOperation> operations = List.of(AclOperation.ALL, AclOperation.READ, AclOperation.WRITE,
                AclOperation.DESCRIBE, AclOperation.ALTER_CONFIGS, AclOperation.DESCRIBE_CONFIGS);
        List<ResourceType> types = List.of(ResourceType.TOPIC, ResourceType.GROUP);
        AclDecision broker = new BrokerAclDecision();
        for (int question = 0; question < 1000; question++) {
            Ask ask = new Ask(random.nextBoolean() ? ALICE : BOB, random.nextBoolean() ? HOST : "10.9.9.9",
                    operations.get(1 + random.nextInt(operations.size() - 1)), types.get(random.nextInt(types.size())),
                    names.get(random.nextInt(names.size() - 1))); // a resource is never named *
            // bindings drawn near the question, so that several speak to it and DENY meets ALLOW often
            List<AclBinding> bindings = new ArrayList<>();
            for (int i = random.nextInt(7); i > 0; i--) {
                ResourceType type = random.nextInt(4) == 0 ? types.get(random.nextInt(types.size())) : ask.resourceType();
                String principal = List.of(ask.principal().toString(), "User:*", "User:carol").get(random.nextInt(3));
                AclOperation operation = random.nextInt(3) == 0 ? ask.operation()
                        : operations.get(random.nextInt(operations.size()));
                bindings.add(acl(type, names.get(random.nextInt(names.size())),
                        random.nextBoolean() ? PatternType.LITERAL : PatternType.PREFIXED, principal,
                        random.nextInt(4) == 0 ? HOST : "*", operation,
                        random.nextBoolean() ? AclPermissionType.DENY : AclPermissionType.ALLOW));
            }
            Set<String> superUsers = random.nextInt(5) == 0 ? Set.of("User:bob") : Set.of();
            boolean allowIfNone = random.nextBoolean();
            assertEquals(broker.authorize(ask, bindings, superUsers, allowIfNone),
                    newDecision().authorize(ask, bindings, superUsers, allowIfNone), () -> ask + " with super.users="
                            + superUsers + ", allow.everyone.if.no.acl.found=" + allowIfNone + " and the bindings "
                            + bindings);
        }
    }
}
