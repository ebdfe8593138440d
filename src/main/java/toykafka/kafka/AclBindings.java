package toykafka.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import toykafka.broker.security.AccessControlEntry;
import toykafka.broker.security.AccessControlEntryFilter;
import toykafka.broker.security.AclBinding;
import toykafka.broker.security.AclBindingFilter;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.AclPermissionType;
import toykafka.broker.security.PatternType;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourcePatternFilter;
import toykafka.broker.security.ResourceType;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.InvalidRequestException;

/**
 * What the three ACL APIs (keys 29, 30, 31) read and write: an ACL binding (CreateAcls) or a filter over bindings
 * (DescribeAcls, DeleteAcls) in the fields of Kafka's {@code AclBinding} and {@code AclBindingFilter}, and the
 * answers a broker with no authorizer gives, in Kafka's words ({@code AclApis}), so that Kafka's tools print the
 * same lines against either broker.
 */
final class AclBindings {

    /** DescribeAcls' message in Kafka's {@code AclApis.handleDescribeAcls}. */
    static final String DESCRIBE_REFUSAL = "No Authorizer is configured on the broker";
    /** CreateAcls' and DeleteAcls' message in Kafka's {@code AclApis}. */
    static final String CHANGE_REFUSAL = "No Authorizer is configured.";

    /** Kafka's {@code SecurityDisabledException}: a change asked of a broker with no authorizer. */
    static final class SecurityDisabledException extends ApiException {
        SecurityDisabledException(String message) {
            super(Errors.SECURITY_DISABLED, message);
        }
    }

    private AclBindings() {
    }

    /**
     * One binding of CreateAcls, in the order of its message spec (the pattern type is in every version served). A
     * code this broker does not know is refused as Kafka's request refuses it, which closes the connection.
     */
    static AclBinding readCreation(ProtocolReader in) {
        ResourceType type = ResourceType.fromCode(in.int8("resource_type"));
        String name = in.string("resource_name");
        PatternType patternType = PatternType.fromCode(in.int8("resource_pattern_type"));
        String principal = in.string("principal");
        String host = in.string("host");
        AclOperation operation = AclOperation.fromCode(in.int8("operation"));
        AclPermissionType permission = AclPermissionType.fromCode(in.int8("permission_type"));
        if (type == ResourceType.UNKNOWN || patternType == PatternType.UNKNOWN || operation == AclOperation.UNKNOWN
                || permission == AclPermissionType.UNKNOWN) {
            throw new InvalidRequestException("CreatableAcls contain unknown elements: a resource type, pattern type,"
                    + " operation or permission type whose code Kafka does not know");
        }
        return new AclBinding(new ResourcePattern(type, name, patternType),
                new AccessControlEntry(principal, host, operation, permission));
    }

    /** One filter of DescribeAcls or DeleteAcls: its name, principal and host may be null, for any. */
    static AclBindingFilter readFilter(ProtocolReader in) {
        ResourceType type = ResourceType.fromCode(in.int8("resource_type_filter"));
        String name = in.nullableString("resource_name_filter");
        PatternType patternType = PatternType.fromCode(in.int8("pattern_type_filter"));
        String principal = in.nullableString("principal_filter");
        String host = in.nullableString("host_filter");
        AclOperation operation = AclOperation.fromCode(in.int8("operation"));
        AclPermissionType permission = AclPermissionType.fromCode(in.int8("permission_type"));
        if (type == ResourceType.UNKNOWN || patternType == PatternType.UNKNOWN || operation == AclOperation.UNKNOWN
                || permission == AclPermissionType.UNKNOWN) {
            throw new InvalidRequestException("the filter contains UNKNOWN elements: a resource type, pattern type,"
                    + " operation or permission type whose code Kafka does not know");
        }
        return new AclBindingFilter(new ResourcePatternFilter(type, name, patternType),
                new AccessControlEntryFilter(principal, host, operation, permission));
    }

    /**
     * The checks Kafka's {@code AclApis.handleCreateAcls} makes before it hands a creation to the authorizer: the
     * cluster has one name, and a name is never empty. Null when it passes.
     */
    static ApiException refusedBeforeTheAuthorizer(AclBinding binding) {
        ResourcePattern pattern = binding.pattern();
        if (pattern.resourceType() == ResourceType.CLUSTER && !pattern.name().equals(ResourcePattern.CLUSTER_NAME)) {
            return new InvalidRequestException("The only valid name for the CLUSTER resource is "
                    + ResourcePattern.CLUSTER_NAME);
        }
        if (pattern.name().isEmpty()) {
            return new InvalidRequestException("Invalid empty resource name");
        }
        return null;
    }

    /** DescribeAcls' resources: the bindings grouped by their pattern, each with its entries. */
    static void writeResources(ProtocolWriter out, List<AclBinding> bindings) {
        Map<ResourcePattern, List<AccessControlEntry>> byPattern = new LinkedHashMap<>();
        bindings.forEach(binding -> byPattern.computeIfAbsent(binding.pattern(), p -> new ArrayList<>())
                .add(binding.entry()));
        out.array(List.copyOf(byPattern.entrySet()), (w, resource) -> {
            ResourcePattern pattern = resource.getKey();
            w.int8(pattern.resourceType().code()).string(pattern.name()).int8(pattern.patternType().code());
            w.array(resource.getValue(), (acl, entry) -> {
                acl.string(entry.principal()).string(entry.host()).int8(entry.operation().code())
                        .int8(entry.permissionType().code());
                acl.taggedFields();
            });
            w.taggedFields();
        });
    }

    /** One of DeleteAcls' matching ACLs: deleted, so no error. */
    static void writeMatchingAcl(ProtocolWriter w, AclBinding binding) {
        ResourcePattern pattern = binding.pattern();
        AccessControlEntry entry = binding.entry();
        w.int16(Errors.NONE.code()).nullableString(null).int8(pattern.resourceType().code()).string(pattern.name())
                .int8(pattern.patternType().code()).string(entry.principal()).string(entry.host())
                .int8(entry.operation().code()).int8(entry.permissionType().code());
        w.taggedFields();
    }

    /** A binding in a trace's words: {@code TOPIC orders (LITERAL) User:alice@* READ ALLOW}. */
    static String traced(AclBinding binding) {
        ResourcePattern pattern = binding.pattern();
        AccessControlEntry entry = binding.entry();
        return pattern.resourceType() + " " + pattern.name() + " (" + pattern.patternType() + ") " + entry.principal()
                + "@" + entry.host() + " " + entry.operation() + " " + entry.permissionType();
    }

    /** A filter in a trace's words, {@code *} for any name, principal or host. */
    static String traced(AclBindingFilter filter) {
        ResourcePatternFilter pattern = filter.patternFilter();
        AccessControlEntryFilter entry = filter.entryFilter();
        return pattern.resourceType() + " " + orAny(pattern.name()) + " (" + pattern.patternType() + ") "
                + orAny(entry.principal()) + "@" + orAny(entry.host()) + " " + entry.operation() + " "
                + entry.permissionType();
    }

    private static String orAny(String field) {
        return field == null ? "*" : field;
    }
}
