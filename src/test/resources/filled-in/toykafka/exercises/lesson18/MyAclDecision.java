package toykafka.exercises.lesson18;

import java.util.List;
import java.util.Set;
import toykafka.broker.security.AccessControlEntry;
import toykafka.broker.security.AclBinding;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.AclPermissionType;
import toykafka.broker.security.AuthorizationResult;
import toykafka.broker.security.PatternType;
import toykafka.broker.security.ResourcePattern;
import toykafka.lesson18.AclDecision;

/** A learner's answer, written from the lesson's text: super users, then DENY first, then ALLOW, then the default. */
public class MyAclDecision implements AclDecision {

    @Override
    public AuthorizationResult authorize(Ask ask, List<AclBinding> bindings, Set<String> superUsers,
                                         boolean allowEveryoneIfNoAclFound) {
        if (superUsers.contains(ask.principal().toString())) {
            return AuthorizationResult.ALLOWED;
        }
        boolean anyCovers = false;
        boolean allowed = false;
        for (AclBinding binding : bindings) {
            if (!covers(binding.pattern(), ask)) {
                continue;
            }
            anyCovers = true;
            AccessControlEntry entry = binding.entry();
            boolean principalMatches = entry.principal().equals(ask.principal().toString())
                    || entry.principal().equals("User:*");
            boolean hostMatches = entry.host().equals("*") || entry.host().equals(ask.host());
            if (!principalMatches || !hostMatches) {
                continue;
            }
            if (entry.permissionType() == AclPermissionType.DENY) {
                if (entry.operation() == AclOperation.ALL || entry.operation() == ask.operation()) {
                    return AuthorizationResult.DENIED;
                }
            } else if (allows(entry.operation(), ask.operation())) {
                allowed = true;
            }
        }
        if (allowed) {
            return AuthorizationResult.ALLOWED;
        }
        if (anyCovers) {
            return AuthorizationResult.DENIED;
        }
        return allowEveryoneIfNoAclFound ? AuthorizationResult.ALLOWED : AuthorizationResult.DENIED;
    }

    private static boolean covers(ResourcePattern pattern, Ask ask) {
        if (pattern.resourceType() != ask.resourceType()) {
            return false;
        }
        if (pattern.patternType() == PatternType.PREFIXED) {
            return ask.resourceName().startsWith(pattern.name());
        }
        return pattern.name().equals("*") || pattern.name().equals(ask.resourceName());
    }

    private static boolean allows(AclOperation granted, AclOperation wanted) {
        if (granted == AclOperation.ALL || granted == wanted) {
            return true;
        }
        if (wanted == AclOperation.DESCRIBE) {
            return granted == AclOperation.READ || granted == AclOperation.WRITE || granted == AclOperation.DELETE
                    || granted == AclOperation.ALTER;
        }
        return wanted == AclOperation.DESCRIBE_CONFIGS && granted == AclOperation.ALTER_CONFIGS;
    }
}
