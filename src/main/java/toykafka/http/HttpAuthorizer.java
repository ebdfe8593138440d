package toykafka.http;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.Action;
import toykafka.broker.security.AuthorizableRequestContext;
import toykafka.broker.security.AuthorizationResult;
import toykafka.broker.security.Authorizer;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.UnknownTopicOrPartitionException;

/**
 * What the HTTP front end asks the broker's authorizer (the Kafka port's {@code AuthHelper}, for HTTP): may the
 * request's principal, from its host, do an operation to a topic, group or the cluster. A refusal is Kafka's
 * authorization error, which REST Proxy answers 403 with {@code error_code} 40301, in Kafka's words naming the
 * resource. With no authorizer every answer is yes, so a broker started as before serves as before.
 */
final class HttpAuthorizer {

    /** A request refused by the authorizer: Kafka's topic, group or cluster authorization error. */
    static final class Refused extends ApiException {
        Refused(Errors error, String message) {
            super(error, message);
        }
    }

    private final Authorizer authorizer; // null: none configured, everything allowed

    HttpAuthorizer(Broker broker) {
        this.authorizer = broker.access().authorizer().orElse(null);
    }

    /** Asks what the route's rule asks, of the resources its path's {@code variables} name, before it runs. */
    void check(RouteAccess access, AuthorizableRequestContext context, Map<String, String> variables, Broker broker) {
        if (authorizer == null) {
            return;
        }
        for (RouteAccess.Need need : access.needs()) {
            require(context, need.operation(), need.type(), nameOf(need, variables));
        }
        if (access.mayCreateTopic()) {
            for (RouteAccess.Need need : access.needs()) {
                if (need.type() == ResourceType.TOPIC) {
                    requireCreateIfMissing(context, broker, nameOf(need, variables));
                }
            }
        }
    }

    private static String nameOf(RouteAccess.Need need, Map<String, String> variables) {
        if (need.pathVariable() == null) {
            return ResourcePattern.CLUSTER_NAME;
        }
        String name = variables.get(need.pathVariable());
        if (name == null) { // the rule's own mistake: a 500 that names it
            throw new IllegalStateException("the access rule names a path variable {" + need.pathVariable()
                    + "} its route does not have");
        }
        return name;
    }

    /** Whether the principal may do {@code operation} to the resource. */
    boolean allowed(AuthorizableRequestContext context, AclOperation operation, ResourceType type, String name) {
        return authorizer == null || authorizer.authorize(context, Action.on(operation, type, name))
                == AuthorizationResult.ALLOWED;
    }

    /** Refuses, 403, unless the principal may do {@code operation} to the resource. */
    void require(AuthorizableRequestContext context, AclOperation operation, ResourceType type, String name) {
        if (!allowed(context, operation, type, name)) {
            throw refusal(context, operation, type, name);
        }
    }

    /** Those of {@code names} the principal may do {@code operation} to, in their order, each once. */
    List<String> authorizedOf(AuthorizableRequestContext context, AclOperation operation, ResourceType type,
                              Collection<String> names) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(names));
        if (authorizer == null) {
            return distinct;
        }
        List<AuthorizationResult> results = authorizer.authorize(context,
                distinct.stream().map(name -> Action.on(operation, type, name)).toList());
        List<String> allowed = new ArrayList<>();
        for (int i = 0; i < distinct.size(); i++) {
            if (results.get(i) == AuthorizationResult.ALLOWED) {
                allowed.add(distinct.get(i));
            }
        }
        return allowed;
    }

    /** A topic that is missing may be created only by a principal who may CREATE on the cluster or on that topic. */
    void requireCreateIfMissing(AuthorizableRequestContext context, Broker broker, String topic) {
        if (authorizer == null) {
            return;
        }
        try {
            broker.partitionCount(topic);
        } catch (UnknownTopicOrPartitionException missing) {
            if (!allowed(context, AclOperation.CREATE, ResourceType.CLUSTER, ResourcePattern.CLUSTER_NAME)) {
                require(context, AclOperation.CREATE, ResourceType.TOPIC, topic);
            }
        }
    }

    /** Kafka's exception for the resource's type, its message naming the resource and what was asked. */
    private static Refused refusal(AuthorizableRequestContext context, AclOperation operation, ResourceType type,
                                   String name) {
        String asked = " (" + context.principal() + " may not " + operation + " it)";
        return switch (type) {
            case TOPIC -> new Refused(Errors.TOPIC_AUTHORIZATION_FAILED, "Not authorized to access topics: [" + name + "]"
                    + asked);
            case GROUP -> new Refused(Errors.GROUP_AUTHORIZATION_FAILED, "Not authorized to access group: " + name
                    + asked);
            default -> new Refused(Errors.CLUSTER_AUTHORIZATION_FAILED, "Cluster authorization failed. ("
                    + context.principal() + " may not " + operation + " the cluster)");
        };
    }
}
