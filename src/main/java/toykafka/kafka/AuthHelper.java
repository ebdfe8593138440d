package toykafka.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import toykafka.broker.Broker;
import toykafka.broker.group.base.DescribableTopics;
import toykafka.broker.group.streams.CreatableTopics;
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

// tag::auth-helper[]
/**
 * What the Kafka front end asks the authorizer before it calls the core (Kafka's {@code AuthHelper}): may this
 * request's principal, from its host, do an operation to a topic, group, transactional id or the cluster. With no
 * authorizer configured every answer is yes, as in Kafka, so a broker started as before behaves as before.
 */
final class AuthHelper {

    /** A whole request refused for want of a cluster permission (Kafka's {@code ClusterAuthorizationException}). */
    static final class ClusterAuthorizationException extends ApiException {
        ClusterAuthorizationException(String message) {
            super(Errors.CLUSTER_AUTHORIZATION_FAILED, message);
        }
    }

    private final Authorizer authorizer; // null: none configured, everything allowed

    AuthHelper(Broker broker) {
        this.authorizer = broker.access().authorizer().orElse(null);
    }

    /** Whether an authorizer is configured. */
    boolean enabled() {
        return authorizer != null;
    }

    /** The authorizer itself, for the ACL APIs; only when {@link #enabled()}. */
    Authorizer authorizer() {
        return authorizer;
    }

    /** Whether the request's principal may do {@code operation} to the resource {@code type} named {@code name}. */
    boolean authorize(Request request, AclOperation operation, ResourceType type, String name) {
        return authorizer == null || authorizer.authorize(context(request), Action.on(operation, type, name))
                == AuthorizationResult.ALLOWED;
    }

    /**
     * Whether a topic the request names may be used as this broker auto-creates a missing one: always when it is
     * there, else only for a principal who may CREATE on the cluster or on that topic, as Kafka's Metadata asks.
     */
    boolean mayCreateIfMissing(Request request, Broker broker, String topic) {
        if (authorizer == null) {
            return true;
        }
        try {
            broker.partitionCount(topic);
            return true;
        } catch (UnknownTopicOrPartitionException missing) {
            return authorize(request, AclOperation.CREATE, ResourceType.CLUSTER, ResourcePattern.CLUSTER_NAME)
                    || authorize(request, AclOperation.CREATE, ResourceType.TOPIC, topic);
        }
    }

    /** Whether the principal may do {@code operation} to some resource of {@code type} (Kafka's same-named check). */
    boolean authorizeByResourceType(Request request, AclOperation operation, ResourceType type) {
        return authorizer == null
                || authorizer.authorizeByResourceType(context(request), operation, type) == AuthorizationResult.ALLOWED;
    }

    /** Refuses the whole request unless its principal may do {@code operation} to the cluster. */
    void authorizeClusterOperation(Request request, AclOperation operation) {
        if (!authorize(request, operation, ResourceType.CLUSTER, ResourcePattern.CLUSTER_NAME)) {
            throw new ClusterAuthorizationException(clusterRefusal(request, operation));
        }
    }

    /** Why a request is refused for want of {@code operation} on the cluster, in the words every such refusal uses. */
    static String clusterRefusal(Request request, AclOperation operation) {
        return "Request with api key " + request.header().apiKey() + " from " + request.principal()
                + " is not authorized: it needs " + operation + " on the cluster";
    }

    /** The names of {@code names} the principal may do {@code operation} to, in their order, each once. */
    Set<String> filterByAuthorized(Request request, AclOperation operation, ResourceType type,
                                   Collection<String> names) {
        Set<String> distinct = new LinkedHashSet<>(names);
        if (authorizer == null) {
            return distinct;
        }
        return allowed(context(request), operation, type, new ArrayList<>(distinct));
    }

    /** The names of {@code ordered} the context may do {@code operation} to, asked in one call, in their order. */
    private Set<String> allowed(AuthorizableRequestContext context, AclOperation operation, ResourceType type,
                                List<String> ordered) {
        List<AuthorizationResult> results = authorizer.authorize(context,
                ordered.stream().map(name -> Action.on(operation, type, name)).toList());
        Set<String> allowed = new LinkedHashSet<>();
        for (int i = 0; i < ordered.size(); i++) {
            if (results.get(i) == AuthorizationResult.ALLOWED) {
                allowed.add(ordered.get(i));
            }
        }
        return allowed;
    }

    /**
     * Which topics the request's principal may DESCRIBE, for the group coordinator to filter a regular expression's
     * matches by (Kafka's {@code TopicRegexResolver}); it keeps the principal and host, not the request.
     */
    DescribableTopics describableTopics(Request request) {
        if (authorizer == null) {
            return DescribableTopics.ALL;
        }
        AuthorizableRequestContext context = context(request);
        return topics -> List.copyOf(allowed(context, AclOperation.DESCRIBE, ResourceType.TOPIC, topics));
    }

    /**
     * Which of a streams group's missing internal topics the request's principal may not have made: none with CREATE
     * on the cluster, else those it may not CREATE, as Kafka's {@code handleStreamsGroupHeartbeat} asks.
     */
    CreatableTopics creatableTopics(Request request) {
        if (authorizer == null) {
            return CreatableTopics.ALL;
        }
        AuthorizableRequestContext context = context(request);
        return topics -> {
            if (topics.isEmpty() || authorizer.authorize(context, Action.on(AclOperation.CREATE, ResourceType.CLUSTER,
                    ResourcePattern.CLUSTER_NAME)) == AuthorizationResult.ALLOWED) {
                return List.of();
            }
            Set<String> allowed = allowed(context, AclOperation.CREATE, ResourceType.TOPIC, topics);
            return topics.stream().filter(topic -> !allowed.contains(topic)).toList();
        };
    }

    /** The names of {@code names} the principal may not do {@code operation} to: none without an authorizer. */
    Set<String> refusedOf(Request request, AclOperation operation, ResourceType type, Collection<String> names) {
        if (authorizer == null) {
            return Set.of();
        }
        Set<String> refused = new LinkedHashSet<>(names);
        refused.removeAll(filterByAuthorized(request, operation, type, names));
        return refused;
    }

    /**
     * The operations the principal may do to a resource, of those its type has, as the describe APIs' bit field
     * (KIP-430): bit n set for the operation of code n. With no authorizer, all of them.
     */
    int authorizedOperations(Request request, ResourceType type, String name) {
        List<AclOperation> supported = AuthorizedOperations.supported(type);
        List<AuthorizationResult> results = authorizer == null ? null : authorizer.authorize(context(request),
                supported.stream().map(operation -> Action.on(operation, type, name)).toList());
        int field = 0;
        for (int i = 0; i < supported.size(); i++) {
            if (results == null || results.get(i) == AuthorizationResult.ALLOWED) {
                field |= 1 << supported.get(i).code();
            }
        }
        return field;
    }

    /** What Kafka's describes of groups answer for a group whose members own topics the principal may not DESCRIBE. */
    static final String DESCRIBED_TOPICS_REFUSED =
            "The group has described topic(s) that the client is not authorized to describe.";

    /**
     * Why a heartbeat of a consumer or streams group is refused before its coordinator hears of it, as Kafka's handlers
     * check: GROUP_AUTHORIZATION_FAILED without READ on the group, TOPIC_AUTHORIZATION_FAILED without DESCRIBE on
     * each topic it names (null or none: nothing to check); else NONE.
     */
    Errors heartbeatRefusal(Request request, String groupId, Collection<String> subscribedTopics) {
        if (!authorize(request, AclOperation.READ, ResourceType.GROUP, groupId)) {
            return Errors.GROUP_AUTHORIZATION_FAILED;
        }
        return mayDescribeTopics(request, subscribedTopics) ? Errors.NONE : Errors.TOPIC_AUTHORIZATION_FAILED;
    }

    /** Whether the principal may DESCRIBE each of {@code topics}: yes when null or empty. */
    boolean mayDescribeTopics(Request request, Collection<String> topics) {
        return topics == null || refusedOf(request, AclOperation.DESCRIBE, ResourceType.TOPIC, topics).isEmpty();
    }

    /** The topics of a request, those the principal was refused first, as Kafka's handlers answer them. */
    static <T> List<T> refusedFirst(List<T> topics, Function<T, String> name, Set<String> refused) {
        List<T> ordered = new ArrayList<>(topics.stream().filter(t -> refused.contains(name.apply(t))).toList());
        topics.stream().filter(t -> !refused.contains(name.apply(t))).forEach(ordered::add);
        return ordered;
    }

    /** The principal, and the address the request came from without its port, as an ACL's host is written. */
    private static AuthorizableRequestContext context(Request request) {
        String peer = request.peer();
        int colon = peer.lastIndexOf(':');
        return new AuthorizableRequestContext(request.principal(), colon < 0 ? peer : peer.substring(0, colon));
    }
}
// end::auth-helper[]
