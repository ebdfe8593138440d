package toykafka.lesson18;

import java.util.List;
import java.util.Set;
import toykafka.broker.security.AclBinding;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.AuthorizationResult;
import toykafka.broker.security.KafkaPrincipal;
import toykafka.broker.security.ResourceType;

// tag::contract[]
/**
 * The authorizer's one question (Kafka's {@code StandardAuthorizer.authorize} for one action): may this principal,
 * connected from this host, do this operation to this resource, given these ACL bindings?
 *
 * <ul>
 * <li>A principal in {@code superUsers} (written {@code User:admin}) is ALLOWED, whatever the bindings say.</li>
 * <li>A binding takes part only if its pattern covers the resource: same resource type, and a LITERAL name equal
 * to the resource's or the literal {@code *}, or a PREFIXED name the resource's name starts with.</li>
 * <li>Of those, a binding speaks to this request only if its principal is the asker's or {@code User:*}, and its
 * host is the asker's or {@code *}.</li>
 * <li>One DENY that speaks to the request for this operation (or for ALL) denies it, whatever allows it.</li>
 * <li>Else one ALLOW for this operation, for ALL, or for an operation that implies it allows it: READ, WRITE,
 * DELETE and ALTER imply DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS. A DENY implies nothing.</li>
 * <li>Else, if no binding at all covers the resource (whoever it names), {@code allowEveryoneIfNoAclFound} decides;
 * if some do, the answer is DENIED.</li>
 * </ul>
 */
public interface AclDecision {

    /** One request to one resource: who asks, from which address, to do what, to which resource. */
    record Ask(KafkaPrincipal principal, String host, AclOperation operation, ResourceType resourceType,
               String resourceName) {
    }

    /**
     * ALLOWED or DENIED.
     *
     * @param bindings                  the ACLs, each a LITERAL or PREFIXED pattern and an ALLOW or DENY entry
     * @param superUsers                {@code super.users}, each written {@code Type:name}
     * @param allowEveryoneIfNoAclFound {@code allow.everyone.if.no.acl.found}
     */
    AuthorizationResult authorize(Ask ask, List<AclBinding> bindings, Set<String> superUsers,
                                  boolean allowEveryoneIfNoAclFound);
}
// end::contract[]
