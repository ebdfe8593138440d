package toykafka.broker.security;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who may do what (the {@code Authorizer} of Kafka's server API): the front ends ask it about each
 * action before the core acts, and the ACL APIs change and list its bindings.
 */
public interface Authorizer {

    /** One verdict per action, in order. */
    List<AuthorizationResult> authorize(AuthorizableRequestContext context, List<Action> actions);

    /** One verdict for one action. */
    default AuthorizationResult authorize(AuthorizableRequestContext context, Action action) {
        return authorize(context, List.of(action)).get(0);
    }

    /** Adds each binding (one already there is a success), answering each in order. */
    List<AclCreateResult> createAcls(List<AclBinding> bindings);

    /** Removes the bindings each filter matches, answering each filter with what it removed. */
    List<AclDeleteResult> deleteAcls(List<AclBindingFilter> filters);

    /** The bindings the filter matches. */
    List<AclBinding> acls(AclBindingFilter filter);

    /**
     * Whether the principal may do {@code operation} to some resource of {@code type}, whichever: Kafka's default
     * {@code authorizeByResourceType}, which InitProducerId asks (WRITE on any topic) of an idempotent producer.
     * Allowed for whoever may do it to a resource no ACL names (a super user, or anyone when no ACL covers it and
     * {@code allow.everyone.if.no.acl.found} is on), else when an ALLOW for exactly this operation or ALL, by this
     * principal or {@code User:*}, from this host or any, names a pattern that no DENY of the same kind shadows:
     * a literal DENY of the same name, or a prefixed DENY of a prefix of it; a DENY of the literal wildcard denies.
     */
    default AuthorizationResult authorizeByResourceType(AuthorizableRequestContext context, AclOperation operation,
                                                        ResourceType type) {
        if (authorize(context, Action.on(operation, type, "hardcode")) == AuthorizationResult.ALLOWED) {
            return AuthorizationResult.ALLOWED; // Kafka's own probe name, so super users pass whatever is denied
        }
        Set<String> deniedLiterals = new HashSet<>();
        Set<String> deniedPrefixes = new HashSet<>();
        List<ResourcePattern> allowed = new ArrayList<>();
        boolean everyName = false;
        AclBindingFilter ofType = new AclBindingFilter(new ResourcePatternFilter(type, null, PatternType.ANY),
                AccessControlEntryFilter.ANY);
        for (AclBinding binding : acls(ofType)) {
            AccessControlEntry entry = binding.entry();
            ResourcePattern pattern = binding.pattern();
            boolean fromHere = entry.host().equals(AccessControlEntry.WILDCARD_HOST)
                    || entry.host().equals(context.clientAddress());
            boolean forThem = KafkaPrincipal.parse(entry.principal()).equals(context.principal())
                    || entry.principal().equals(AccessControlEntry.WILDCARD_PRINCIPAL.toString());
            if (!fromHere || !forThem || entry.operation() != operation && entry.operation() != AclOperation.ALL) {
                continue;
            }
            if (entry.permissionType() == AclPermissionType.DENY) {
                if (pattern.patternType() == PatternType.LITERAL
                        && pattern.name().equals(ResourcePattern.WILDCARD_RESOURCE)) {
                    return AuthorizationResult.DENIED;
                }
                (pattern.patternType() == PatternType.LITERAL ? deniedLiterals : deniedPrefixes).add(pattern.name());
            } else if (entry.permissionType() == AclPermissionType.ALLOW) {
                everyName |= pattern.patternType() == PatternType.LITERAL
                        && pattern.name().equals(ResourcePattern.WILDCARD_RESOURCE);
                allowed.add(pattern);
            }
        }
        if (everyName) { // only once no DENY of the wildcard has been met, among all the bindings
            return AuthorizationResult.ALLOWED;
        }
        for (ResourcePattern pattern : allowed) {
            if (pattern.patternType() == PatternType.LITERAL && deniedLiterals.contains(pattern.name())) {
                continue;
            }
            boolean shadowed = false;
            for (int end = 1; end <= pattern.name().length() && !shadowed; end++) {
                shadowed = deniedPrefixes.contains(pattern.name().substring(0, end));
            }
            if (!shadowed) {
                return AuthorizationResult.ALLOWED;
            }
        }
        return AuthorizationResult.DENIED;
    }
}
