package toykafka.broker.security;

import java.util.Objects;

/**
 * Who may or may not do what, from where (Kafka's {@code AccessControlEntry}): a principal written
 * {@code Type:name} ({@code User:*} for every user), a host ({@code *} for any), an operation and a permission.
 */
public record AccessControlEntry(String principal, String host, AclOperation operation,
                                 AclPermissionType permissionType) {

    /** The host that stands for every host. */
    public static final String WILDCARD_HOST = "*";
    /** The principal that stands for every requester (Kafka matches it whatever the principal type). */
    public static final KafkaPrincipal WILDCARD_PRINCIPAL = KafkaPrincipal.user("*");

    public AccessControlEntry {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(permissionType, "permissionType");
    }

    @Override
    public String toString() {
        return "(principal=" + principal + ", host=" + host + ", operation=" + operation + ", permissionType="
                + permissionType + ")";
    }
}
