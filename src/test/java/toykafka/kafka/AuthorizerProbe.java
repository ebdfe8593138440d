package toykafka.kafka;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;
import org.apache.kafka.server.authorizer.Authorizer;

/**
 * Apache Kafka's own {@code StandardAuthorizer}, run in a child JVM on Kafka 4.4's jars, as the oracle for ours.
 * Standard input holds cases in {@link AuthorizerOracleTest}'s text: {@code CASE super.users allow.everyone}, then
 * {@code ACL type patternType name principal host operation permission} lines, then {@code ASK principal host
 * operation type name} and {@code ASKTYPE principal host operation type} lines (the latter Kafka's
 * {@code authorizeByResourceType}); each prints Kafka's verdict, ALLOWED or DENIED, on a line of its own.
 */
public final class AuthorizerProbe {

    private static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Object authorizer = null;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "CASE" -> authorizer = start(f[1], f[2]);
                case "ACL" -> authorizer.getClass().getMethod("addAcl", Uuid.class, Class.forName(
                        "org.apache.kafka.metadata.authorizer.StandardAcl")).invoke(authorizer, Uuid.randomUuid(),
                        Class.forName("org.apache.kafka.metadata.authorizer.StandardAcl")
                                .getMethod("fromAclBinding", AclBinding.class).invoke(null, binding(f)));
                case "LOADED" -> authorizer.getClass().getMethod("completeInitialLoad").invoke(authorizer);
                case "ASK" -> System.out.println(((Authorizer) authorizer).authorize(context(f[1], f[2]), List.of(
                        new Action(AclOperation.valueOf(f[3]), new ResourcePattern(ResourceType.valueOf(f[4]), f[5],
                                PatternType.LITERAL), 1, false, false))).get(0));
                case "ASKTYPE" -> System.out.println(((Authorizer) authorizer).authorizeByResourceType(
                        context(f[1], f[2]), AclOperation.valueOf(f[3]), ResourceType.valueOf(f[4])));
                default -> throw new IllegalArgumentException("unknown line: " + line);
            }
        }
    }

    private static Object start(String superUsers, String allowEveryone) throws Exception {
        Object authorizer = Class.forName(AUTHORIZER).getDeclaredConstructor().newInstance();
        authorizer.getClass().getMethod("withPluginMetrics", PluginMetrics.class)
                .invoke(authorizer, new PluginMetricsImpl(new Metrics(), Map.of()));
        authorizer.getClass().getMethod("configure", Map.class).invoke(authorizer, Map.of("super.users", superUsers,
                "allow.everyone.if.no.acl.found", allowEveryone, "node.id", "1"));
        return authorizer;
    }

    private static AclBinding binding(String[] f) {
        return new AclBinding(new ResourcePattern(ResourceType.valueOf(f[1]), f[3], PatternType.valueOf(f[2])),
                new AccessControlEntry(f[4], f[5], AclOperation.valueOf(f[6]), AclPermissionType.valueOf(f[7])));
    }

    private static AuthorizableRequestContext context(String principal, String host) throws Exception {
        int colon = principal.indexOf(':');
        KafkaPrincipal who = new KafkaPrincipal(principal.substring(0, colon), principal.substring(colon + 1));
        InetAddress address = InetAddress.getByName(host);
        return new AuthorizableRequestContext() {
            @Override
            public String listenerName() {
                return "PLAINTEXT";
            }

            @Override
            public SecurityProtocol securityProtocol() {
                return SecurityProtocol.PLAINTEXT;
            }

            @Override
            public KafkaPrincipal principal() {
                return who;
            }

            @Override
            public InetAddress clientAddress() {
                return address;
            }

            @Override
            public int requestType() {
                return 0;
            }

            @Override
            public int requestVersion() {
                return 0;
            }

            @Override
            public String clientId() {
                return "oracle";
            }

            @Override
            public int correlationId() {
                return 0;
            }
        };
    }
}
