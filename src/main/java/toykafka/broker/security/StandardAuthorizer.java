package toykafka.broker.security;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import toykafka.common.InvalidRequestException;

// tag::authorizer[]
/**
 * Kafka's {@code StandardAuthorizer}: decides each action from the ACL bindings, as Kafka 4.4 does.
 *
 * <ul>
 * <li>A super user ({@code super.users}, principals separated by semicolons) may do anything.</li>
 * <li>The bindings that apply are those whose pattern covers the resource: its literal name, the literal
 * wildcard {@code *}, or a prefix of the name (PREFIXED); whose principal is the requester's or {@code User:*};
 * and whose host is the requester's address or {@code *}.</li>
 * <li>One DENY among them denies, whatever allows: DENY wins, a prefixed DENY over a literal ALLOW too.</li>
 * <li>Else one ALLOW allows. An ALLOW of ALL allows every operation; an ALLOW of READ, WRITE, DELETE or ALTER
 * allows DESCRIBE too, and one of ALTER_CONFIGS allows DESCRIBE_CONFIGS (a DENY implies nothing).</li>
 * <li>Else, when no binding at all covers the resource (whoever it names), the answer is
 * {@code allow.everyone.if.no.acl.found}; when some do, but none for this requester, it is DENIED.</li>
 * </ul>
 *
 * <p>Kafka keeps its bindings sorted by resource so that it reads only those that may cover a name; this one
 * reads them all, which is the same rule and plenty for a course's few ACLs.
 */
public final class StandardAuthorizer implements Authorizer {

    /**
     * The one {@code authorizer.class.name} this broker takes: Kafka's. Joined from its parts because it is a name,
     * not a use of Kafka's code, which the package rules look for by this very spelling.
     */
    public static final String CLASS_NAME = String.join(".", "org", "apache", "kafka", "metadata", "authorizer",
            "StandardAuthorizer");
    public static final String SUPER_USERS_CONFIG = "super.users";
    public static final String ALLOW_EVERYONE_IF_NO_ACL_IS_FOUND_CONFIG = "allow.everyone.if.no.acl.found";

    /** One binding, with its principal read once. */
    private record Rule(AclBinding binding, KafkaPrincipal principal) {
        static Rule of(AclBinding binding) {
            return new Rule(binding, KafkaPrincipal.parse(binding.entry().principal()));
        }
    }

    private final Set<String> superUsers;
    private final AuthorizationResult noAclResult;
    private final AclFile store;
    private volatile List<Rule> rules; // replaced whole under the lock, so a decision reads one set

    public StandardAuthorizer(Set<String> superUsers, boolean allowEveryoneIfNoAclIsFound, AclFile store) {
        this.superUsers = Set.copyOf(superUsers);
        this.noAclResult = allowEveryoneIfNoAclIsFound ? AuthorizationResult.ALLOWED : AuthorizationResult.DENIED;
        this.store = store;
        this.rules = store.load().stream().map(Rule::of).toList();
    }

    /**
     * {@code super.users} as Kafka reads it: principals separated by semicolons, blanks ignored, each written
     * {@code Type:name}; anything else is refused.
     */
    public static Set<String> parseSuperUsers(String value) {
        Set<String> users = new LinkedHashSet<>();
        for (String each : value.split(";")) {
            String user = each.trim();
            if (!user.isEmpty()) {
                users.add(KafkaPrincipal.parse(user).toString());
            }
        }
        return users;
    }

    @Override
    public List<AuthorizationResult> authorize(AuthorizableRequestContext context, List<Action> actions) {
        List<Rule> snapshot = rules;
        List<AuthorizationResult> results = new ArrayList<>(actions.size());
        for (Action action : actions) {
            results.add(superUsers.contains(context.principal().toString()) ? AuthorizationResult.ALLOWED
                    : decide(snapshot, context, action));
        }
        return results;
    }

    private AuthorizationResult decide(List<Rule> snapshot, AuthorizableRequestContext context, Action action) {
        ResourcePattern resource = action.resourcePattern();
        boolean resourceHasAcls = false;
        boolean allowed = false;
        for (Rule rule : snapshot) {
            if (!rule.binding().pattern().covers(resource.resourceType(), resource.name())) {
                continue;
            }
            resourceHasAcls = true;
            AuthorizationResult result = applies(rule, context, action.operation());
            if (result == AuthorizationResult.DENIED) {
                return AuthorizationResult.DENIED;
            }
            allowed |= result == AuthorizationResult.ALLOWED;
        }
        if (allowed) {
            return AuthorizationResult.ALLOWED;
        }
        return resourceHasAcls ? AuthorizationResult.DENIED : noAclResult;
    }

    /** What one binding that covers the resource says of this requester and operation; null if nothing. */
    private static AuthorizationResult applies(Rule rule, AuthorizableRequestContext context, AclOperation operation) {
        AccessControlEntry entry = rule.binding().entry();
        if (!rule.principal().equals(context.principal())
                && !rule.principal().equals(AccessControlEntry.WILDCARD_PRINCIPAL)) {
            return null;
        }
        if (!entry.host().equals(AccessControlEntry.WILDCARD_HOST) && !entry.host().equals(context.clientAddress())) {
            return null;
        }
        boolean allow = entry.permissionType() == AclPermissionType.ALLOW;
        if (entry.operation() != AclOperation.ALL && !covers(entry.operation(), operation, allow)) {
            return null;
        }
        return allow ? AuthorizationResult.ALLOWED : AuthorizationResult.DENIED;
    }

    /** Whether an entry for {@code granted} speaks of {@code wanted}: itself, or, when it allows, what it implies. */
    private static boolean covers(AclOperation granted, AclOperation wanted, boolean allow) {
        if (!allow) {
            return granted == wanted;
        }
        return switch (wanted) {
            case DESCRIBE -> AclOperation.IMPLY_DESCRIBE.contains(granted);
            case DESCRIBE_CONFIGS -> AclOperation.IMPLY_DESCRIBE_CONFIGS.contains(granted);
            default -> granted == wanted;
        };
    }
    // end::authorizer[]

    @Override
    public synchronized List<AclCreateResult> createAcls(List<AclBinding> bindings) {
        List<Rule> changed = new ArrayList<>(rules);
        List<AclCreateResult> results = new ArrayList<>(bindings.size());
        for (AclBinding binding : bindings) {
            try {
                validateNewAcl(binding);
            } catch (InvalidRequestException e) {
                results.add(new AclCreateResult(e));
                continue;
            }
            if (changed.stream().noneMatch(rule -> rule.binding().equals(binding))) {
                changed.add(Rule.of(binding));
            }
            results.add(AclCreateResult.SUCCESS); // one already there is a success too, as in Kafka
        }
        publish(changed);
        return results;
    }

    /** Kafka's {@code AclControlManager.validateNewAcl}, in its words. */
    static void validateNewAcl(AclBinding binding) {
        ResourcePattern pattern = binding.pattern();
        AccessControlEntry entry = binding.entry();
        if (pattern.resourceType() == ResourceType.UNKNOWN || pattern.resourceType() == ResourceType.ANY) {
            throw new InvalidRequestException("Invalid resourceType " + pattern.resourceType());
        }
        if (!pattern.patternType().isSpecific()) {
            throw new InvalidRequestException("Invalid patternType " + pattern.patternType());
        }
        if (entry.operation() == AclOperation.UNKNOWN || entry.operation() == AclOperation.ANY) {
            throw new InvalidRequestException("Invalid operation " + entry.operation());
        }
        if (entry.permissionType() != AclPermissionType.DENY && entry.permissionType() != AclPermissionType.ALLOW) {
            throw new InvalidRequestException("Invalid permissionType " + entry.permissionType());
        }
        if (pattern.name().isEmpty()) {
            throw new InvalidRequestException("Resource name should not be empty");
        }
        if (entry.principal().indexOf(':') == -1) {
            throw new InvalidRequestException("Could not parse principal from `" + entry.principal() + "` (no colon"
                    + " is present separating the principal type from the principal name)");
        }
    }

    @Override
    public synchronized List<AclDeleteResult> deleteAcls(List<AclBindingFilter> filters) {
        List<Rule> changed = new ArrayList<>(rules);
        List<AclDeleteResult> results = new ArrayList<>(filters.size());
        for (AclBindingFilter filter : filters) {
            if (filter.patternFilter().isUnknown()) { // Kafka's AclControlManager.validateFilter
                results.add(new AclDeleteResult(new InvalidRequestException("Unknown patternFilter."), List.of()));
                continue;
            }
            if (filter.entryFilter().isUnknown()) {
                results.add(new AclDeleteResult(new InvalidRequestException("Unknown entryFilter."), List.of()));
                continue;
            }
            List<AclBinding> deleted = new ArrayList<>();
            changed.removeIf(rule -> filter.matches(rule.binding()) && deleted.add(rule.binding()));
            results.add(new AclDeleteResult(null, deleted));
        }
        publish(changed);
        return results;
    }

    @Override
    public List<AclBinding> acls(AclBindingFilter filter) {
        return rules.stream().map(Rule::binding).filter(filter::matches).toList();
    }

    /** Writes the new set down, then decides by it: a set that could not be written is never in force. */
    private void publish(List<Rule> changed) {
        if (changed.size() == rules.size() && changed.equals(rules)) {
            return;
        }
        store.save(changed.stream().map(Rule::binding).toList());
        rules = List.copyOf(changed);
    }
}
