package toykafka.kafka;

import java.util.List;
import java.util.function.Consumer;
import toykafka.common.Errors;

/**
 * What the three ACL APIs (keys 29, 30, 31) read: an ACL binding, or a filter over bindings, in the fields
 * Kafka's {@code AclBinding} and {@code AclBindingFilter} carry, and the answer each gives on a broker with no
 * authorizer, which this one is. Kafka's {@code AclApis} answers SECURITY_DISABLED there, and so does this,
 * in Kafka's words, so that Kafka's tools print the same lines against either broker.
 */
final class AclBindings {

    /** DescribeAcls' message in Kafka's {@code AclApis.handleDescribeAcls}. */
    static final String DESCRIBE_REFUSAL = "No Authorizer is configured on the broker";
    /** CreateAcls' and DeleteAcls' message in Kafka's {@code AclApis}. */
    static final String CHANGE_REFUSAL = "No Authorizer is configured.";

    private static final String[] RESOURCE_TYPES = {"UNKNOWN", "ANY", "TOPIC", "GROUP", "CLUSTER", "TRANSACTIONAL_ID",
        "DELEGATION_TOKEN", "USER"};
    private static final String[] PATTERN_TYPES = {"UNKNOWN", "ANY", "MATCH", "LITERAL", "PREFIXED"};
    private static final String[] OPERATIONS = {"UNKNOWN", "ANY", "ALL", "READ", "WRITE", "CREATE", "DELETE", "ALTER",
        "DESCRIBE", "CLUSTER_ACTION", "DESCRIBE_CONFIGS", "ALTER_CONFIGS", "IDEMPOTENT_WRITE", "CREATE_TOKENS",
        "DESCRIBE_TOKENS", "TWO_PHASE_COMMIT"};
    private static final String[] PERMISSIONS = {"UNKNOWN", "ANY", "DENY", "ALLOW"};

    /** A binding, or a filter (whose name, principal and host may be null, for any). */
    record Binding(byte resourceType, String resourceName, byte patternType, String principal, String host,
                   byte operation, byte permission) {

        @Override
        public String toString() {
            return name(RESOURCE_TYPES, resourceType) + " " + (resourceName == null ? "*" : resourceName) + " ("
                    + name(PATTERN_TYPES, patternType) + ") " + (principal == null ? "*" : principal) + "@"
                    + (host == null ? "*" : host) + " " + name(OPERATIONS, operation) + " " + name(PERMISSIONS, permission);
        }
    }

    private AclBindings() {
    }

    /**
     * One binding (CreateAcls) or filter (DescribeAcls, DeleteAcls), in the order of their message specs; the
     * pattern type is in every version served (1+). A filter's name, principal and host are nullable.
     */
    static Binding read(ProtocolReader in, boolean filter) {
        byte resourceType = in.int8("resource_type");
        String name = filter ? in.nullableString("resource_name_filter") : in.string("resource_name");
        byte patternType = in.int8("pattern_type");
        String principal = filter ? in.nullableString("principal_filter") : in.string("principal");
        String host = filter ? in.nullableString("host_filter") : in.string("host");
        return new Binding(resourceType, name, patternType, principal, host, in.int8("operation"),
                in.int8("permission_type"));
    }

    /**
     * Answers CreateAcls ({@code filters} false) or DeleteAcls, whose body is one array of bindings or filters, each
     * closed by the tagged fields of {@code struct}, then the request's own, {@code requestStruct}: each is answered
     * SECURITY_DISABLED with {@link #CHANGE_REFUSAL}, then what {@code rest} writes (DeleteAcls' matching ACLs).
     */
    static ProtocolWriter refuseChanges(Request request, String field, boolean filters, String struct,
                                        String requestStruct, Consumer<ProtocolWriter> rest) {
        ProtocolReader in = request.body();
        List<Binding> changes = in.array(field, each -> {
            Binding binding = read(each, filters);
            each.taggedFields(struct);
            return binding;
        });
        in.taggedFields(requestStruct);
        request.asked(() -> Summaries.list(changes.stream().map(Binding::toString).toList()));
        request.answered(Errors.SECURITY_DISABLED + " for each, no authorizer");
        ProtocolWriter out = Api.responseWithThrottleTime(request);
        out.array(changes, (w, change) -> {
            w.int16(Errors.SECURITY_DISABLED.code()).nullableString(CHANGE_REFUSAL);
            rest.accept(w);
            w.taggedFields();
        });
        return out.taggedFields();
    }

    private static String name(String[] names, byte code) {
        return code >= 0 && code < names.length ? names[code] : "code " + code;
    }
}
