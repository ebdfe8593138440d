package toykafka.lesson18;

import java.util.List;
import java.util.Set;
import toykafka.broker.security.AclBinding;
import toykafka.broker.security.AclFile;
import toykafka.broker.security.Action;
import toykafka.broker.security.AuthorizableRequestContext;
import toykafka.broker.security.AuthorizationResult;
import toykafka.broker.security.StandardAuthorizer;

/**
 * The lesson's question put to the broker's own {@link StandardAuthorizer}: a fresh authorizer holding just these
 * bindings, kept in memory, asked once. The reference the exercise's contract runs first.
 */
public final class BrokerAclDecision implements AclDecision {

    // tag::ask-the-broker[]
    @Override
    public AuthorizationResult authorize(Ask ask, List<AclBinding> bindings, Set<String> superUsers,
                                         boolean allowEveryoneIfNoAclFound) {
        StandardAuthorizer authorizer = new StandardAuthorizer(superUsers, allowEveryoneIfNoAclFound,
                AclFile.inMemory());
        authorizer.createAcls(bindings);
        return authorizer.authorize(new AuthorizableRequestContext(ask.principal(), ask.host()),
                List.of(Action.on(ask.operation(), ask.resourceType(), ask.resourceName()))).get(0);
    }
    // end::ask-the-broker[]
}
