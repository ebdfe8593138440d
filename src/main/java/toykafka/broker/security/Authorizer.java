package toykafka.broker.security;

import java.util.List;

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
}
