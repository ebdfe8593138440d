package toykafka.broker.security;

/**
 * Which entries a filter selects (Kafka's {@code AccessControlEntryFilter}): a principal and a host (null for
 * any, compared as written), an operation and a permission (ANY for any).
 */
public record AccessControlEntryFilter(String principal, String host, AclOperation operation,
                                       AclPermissionType permissionType) {

    /** Every entry. */
    public static final AccessControlEntryFilter ANY = new AccessControlEntryFilter(null, null, AclOperation.ANY,
            AclPermissionType.ANY);

    public boolean isUnknown() {
        return operation == AclOperation.UNKNOWN || permissionType == AclPermissionType.UNKNOWN;
    }

    public boolean matches(AccessControlEntry entry) {
        return (principal == null || principal.equals(entry.principal()))
                && (host == null || host.equals(entry.host()))
                && (operation == AclOperation.ANY || operation == entry.operation())
                && (permissionType == AclPermissionType.ANY || permissionType == entry.permissionType());
    }
}
