package toykafka.exercises.lesson18;

import java.util.List;
import java.util.Set;
import toykafka.broker.security.AclBinding;
import toykafka.broker.security.AuthorizationResult;
import toykafka.lesson18.AclDecision;

/**
 * Exercise for lesson 18: the authorizer's decision, ALLOWED or DENIED, for one request against the ACL bindings.
 * Check your work with {@code ./toykafka check 18}; ask for help with {@code ./toykafka hint 18}.
 * Read the lesson with its code in place: {@code ./toykafka read 18} (add a section's name for one section).
 */
public class MyAclDecision implements AclDecision {

    @Override
    public AuthorizationResult authorize(Ask ask, List<AclBinding> bindings, Set<String> superUsers,
                                         boolean allowEveryoneIfNoAclFound) {
        throw new UnsupportedOperationException(
                "authorize() is yours to write: see section \"The authorizer's rule\" (./toykafka read 18 acls)");
    }
}
