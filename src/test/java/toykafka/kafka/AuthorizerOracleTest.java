package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.security.AccessControlEntry;
import toykafka.broker.security.AclBinding;
import toykafka.broker.security.AclFile;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.AclPermissionType;
import toykafka.broker.security.Action;
import toykafka.broker.security.AuthorizableRequestContext;
import toykafka.broker.security.KafkaPrincipal;
import toykafka.broker.security.PatternType;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.broker.security.StandardAuthorizer;

/**
 * Our StandardAuthorizer against Kafka 4.4's own ({@link AuthorizerProbe}, in a child JVM on Kafka's jars): the same
 * random bindings, the same questions, the same verdicts. The names, principals and hosts are drawn from small
 * pools, so that literal, wildcard and prefixed patterns, DENY and ALLOW, implied operations, wildcard principals,
 * hosts and super users meet often; a quarter of the questions are also asked of the resource type as a whole
 * ({@code authorizeByResourceType}). The filters of DescribeAcls and DeleteAcls are held to kafka-clients' own
 * {@code AclBindingFilter} the same way.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AuthorizerOracleTest {

    private static final List<ResourceType> TYPES = List.of(ResourceType.TOPIC, ResourceType.GROUP,
            ResourceType.CLUSTER, ResourceType.TRANSACTIONAL_ID);
    private static final List<String> NAMES = List.of("a", "ab", "abc", "b", "*", "kafka-cluster");
    private static final List<String> ACL_PRINCIPALS = List.of("User:alice", "User:bob", "User:*", "Group:ops");
    private static final List<String> ASKERS = List.of("User:alice", "User:bob", "User:carol", "Group:ops",
            "User:root");
    private static final List<String> ACL_HOSTS = List.of("*", "*", "10.0.0.1", "10.0.0.2");
    private static final List<String> ASK_HOSTS = List.of("10.0.0.1", "10.0.0.2", "127.0.0.1");
    private static final List<AclOperation> ACL_OPERATIONS = List.of(AclOperation.ALL, AclOperation.READ,
            AclOperation.WRITE, AclOperation.CREATE, AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE,
            AclOperation.CLUSTER_ACTION, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS,
            AclOperation.IDEMPOTENT_WRITE, AclOperation.TWO_PHASE_COMMIT);
    private static final int CASES = 200;
    private static final int QUESTIONS = 40;

    private record Question(String principal, String host, AclOperation operation, ResourceType type, String name) {
    }

    @Test
    void our_authorizer_decides_as_kafkas_standard_authorizer() {
        Random random = new Random(77);
        StringBuilder input = new StringBuilder();
        List<String> ours = new ArrayList<>();
        for (int c = 0; c < CASES; c++) {
            String superUsers = random.nextInt(4) == 0 ? "User:root" : "";
            boolean allowEveryone = random.nextBoolean();
            input.append("CASE\t").append(superUsers).append('\t').append(allowEveryone).append('\n');
            List<AclBinding> bindings = new ArrayList<>();
            int count = random.nextInt(8);
            for (int i = 0; i < count; i++) {
                AclBinding binding = new AclBinding(new ResourcePattern(pick(random, TYPES), pick(random, NAMES),
                        random.nextBoolean() ? PatternType.LITERAL : PatternType.PREFIXED),
                        new AccessControlEntry(pick(random, ACL_PRINCIPALS), pick(random, ACL_HOSTS),
                                pick(random, ACL_OPERATIONS), random.nextInt(3) == 0 ? AclPermissionType.DENY
                                : AclPermissionType.ALLOW));
                bindings.add(binding);
                input.append(String.join("\t", "ACL", binding.pattern().resourceType().name(),
                        binding.pattern().patternType().name(), binding.pattern().name(), binding.entry().principal(),
                        binding.entry().host(), binding.entry().operation().name(),
                        binding.entry().permissionType().name())).append('\n');
            }
            input.append("LOADED\n");
            StandardAuthorizer authorizer = new StandardAuthorizer(StandardAuthorizer.parseSuperUsers(superUsers),
                    allowEveryone, AclFile.inMemory());
            authorizer.createAcls(bindings).forEach(result -> assertEquals(null, result.exception()));
            for (int q = 0; q < QUESTIONS; q++) {
                Question question = new Question(pick(random, ASKERS), pick(random, ASK_HOSTS),
                        pick(random, ACL_OPERATIONS.subList(1, ACL_OPERATIONS.size())), pick(random, TYPES),
                        pick(random, NAMES));
                input.append(String.join("\t", "ASK", question.principal(), question.host(),
                        question.operation().name(), question.type().name(), question.name())).append('\n');
                ours.add(authorizer.authorize(new AuthorizableRequestContext(KafkaPrincipal.parse(question.principal()),
                        question.host()), Action.on(question.operation(), question.type(), question.name())).name()
                        + " for " + question + " with " + bindings);
                if (q % 4 == 0) { // the same question of the resource type as a whole
                    input.append(String.join("\t", "ASKTYPE", question.principal(), question.host(),
                            question.operation().name(), question.type().name())).append('\n');
                    ours.add(authorizer.authorizeByResourceType(new AuthorizableRequestContext(KafkaPrincipal.parse(
                            question.principal()), question.host()), question.operation(), question.type()).name()
                            + " for any " + question.type() + ", " + question + " with " + bindings);
                }
            }
        }
        ChildProcess.Result kafka = ChildJvm.run(ChildJvm.apacheKafkaClassPath(), AuthorizerProbe.class.getName(),
                List.of(), input.toString()).assertSucceeded();
        List<String> theirs = kafka.output().lines().toList();
        assertEquals(ours.size(), theirs.size(), kafka.describe());
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < ours.size(); i++) {
            String verdict = ours.get(i).substring(0, ours.get(i).indexOf(' '));
            if (!verdict.equals(theirs.get(i))) {
                differences.add("Kafka " + theirs.get(i) + ", ours " + ours.get(i));
            }
        }
        assertEquals(List.of(), differences);
        assertEquals(Set.of("ALLOWED", "DENIED"), Set.copyOf(theirs), "both verdicts are exercised");
        assertTrue(theirs.stream().filter("ALLOWED"::equals).count() > CASES, "allowed often enough to mean something");
    }

    @Test
    void our_filters_select_the_bindings_kafkas_filters_select() {
        Random random = new Random(29);
        List<String> differences = new ArrayList<>();
        int matched = 0;
        for (int i = 0; i < 20_000; i++) {
            ResourceType type = pick(random, TYPES);
            PatternType patternType = random.nextBoolean() ? PatternType.LITERAL : PatternType.PREFIXED;
            String name = pick(random, NAMES);
            String principal = pick(random, ACL_PRINCIPALS);
            String host = pick(random, ACL_HOSTS);
            AclOperation operation = pick(random, ACL_OPERATIONS);
            AclPermissionType permission = random.nextBoolean() ? AclPermissionType.ALLOW : AclPermissionType.DENY;
            ResourceType typeFilter = random.nextInt(3) == 0 ? ResourceType.ANY : pick(random, TYPES);
            String nameFilter = random.nextInt(4) == 0 ? null : pick(random, NAMES);
            PatternType patternFilter = pick(random, List.of(PatternType.ANY, PatternType.MATCH, PatternType.LITERAL,
                    PatternType.PREFIXED));
            String principalFilter = random.nextBoolean() ? null : pick(random, ACL_PRINCIPALS);
            String hostFilter = random.nextBoolean() ? null : pick(random, ACL_HOSTS);
            AclOperation operationFilter = random.nextBoolean() ? AclOperation.ANY : pick(random, ACL_OPERATIONS);
            AclPermissionType permissionFilter = random.nextBoolean() ? AclPermissionType.ANY : permission;

            boolean ours = new toykafka.broker.security.AclBindingFilter(
                    new toykafka.broker.security.ResourcePatternFilter(typeFilter, nameFilter, patternFilter),
                    new toykafka.broker.security.AccessControlEntryFilter(principalFilter, hostFilter, operationFilter,
                            permissionFilter)).matches(new AclBinding(new ResourcePattern(type, name, patternType),
                    new AccessControlEntry(principal, host, operation, permission)));
            boolean kafkas = new org.apache.kafka.common.acl.AclBindingFilter(
                    new org.apache.kafka.common.resource.ResourcePatternFilter(
                            org.apache.kafka.common.resource.ResourceType.valueOf(typeFilter.name()), nameFilter,
                            org.apache.kafka.common.resource.PatternType.valueOf(patternFilter.name())),
                    new org.apache.kafka.common.acl.AccessControlEntryFilter(principalFilter, hostFilter,
                            org.apache.kafka.common.acl.AclOperation.valueOf(operationFilter.name()),
                            org.apache.kafka.common.acl.AclPermissionType.valueOf(permissionFilter.name())))
                    .matches(new org.apache.kafka.common.acl.AclBinding(
                            new org.apache.kafka.common.resource.ResourcePattern(
                                    org.apache.kafka.common.resource.ResourceType.valueOf(type.name()), name,
                                    org.apache.kafka.common.resource.PatternType.valueOf(patternType.name())),
                            new org.apache.kafka.common.acl.AccessControlEntry(principal, host,
                                    org.apache.kafka.common.acl.AclOperation.valueOf(operation.name()),
                                    org.apache.kafka.common.acl.AclPermissionType.valueOf(permission.name()))));
            matched += kafkas ? 1 : 0;
            if (ours != kafkas) {
                differences.add("Kafka " + kafkas + " for " + typeFilter + " " + nameFilter + " " + patternFilter + " "
                        + principalFilter + "@" + hostFilter + " " + operationFilter + " " + permissionFilter + " over "
                        + type + " " + name + " " + patternType + " " + principal + "@" + host + " " + operation + " "
                        + permission);
            }
        }
        assertEquals(List.of(), differences);
        assertTrue(matched > 500, "matches often enough to mean something: " + matched);
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
