package toykafka.http;

import java.util.ArrayList;
import java.util.List;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;

/**
 * What a route asks the authorizer before it runs, as Kafka's handlers ask for each API: an operation on the topic
 * or group its path names, or on the cluster. A route whose resources are in its body, or which lists resources,
 * asks for those itself ({@link Exchange#require}, {@link Exchange#authorizedOf}); {@link #authenticated()} says
 * so. Without an authorizer nothing is asked.
 */
public record RouteAccess(List<Need> needs, boolean mayCreateTopic) {

    /** One question: {@code operation} on the resource of {@code type} the path variable names (the cluster: null). */
    public record Need(AclOperation operation, ResourceType type, String pathVariable) {
    }

    public RouteAccess {
        needs = List.copyOf(needs);
    }

    /** Nothing asked before the route runs: it filters what it lists, or asks about what its body names. */
    public static RouteAccess authenticated() {
        return new RouteAccess(List.of(), false);
    }

    /** {@code operation} on the cluster. */
    public static RouteAccess cluster(AclOperation operation) {
        return new RouteAccess(List.of(new Need(operation, ResourceType.CLUSTER, null)), false);
    }

    /** {@code operation} on the topic of the path variable {@code {topic}}. */
    public static RouteAccess topic(AclOperation operation) {
        return topic("topic", operation);
    }

    /** {@code operation} on the topic the path variable {@code variable} names. */
    public static RouteAccess topic(String variable, AclOperation operation) {
        return new RouteAccess(List.of(new Need(operation, ResourceType.TOPIC, variable)), false);
    }

    /** {@code operation} on the group of the path variable {@code {group}}. */
    public static RouteAccess group(AclOperation operation) {
        return new RouteAccess(List.of(new Need(operation, ResourceType.GROUP, "group")), false);
    }

    /** This rule's questions, then {@code other}'s. */
    public RouteAccess and(RouteAccess other) {
        List<Need> both = new ArrayList<>(needs);
        both.addAll(other.needs);
        return new RouteAccess(both, mayCreateTopic || other.mayCreateTopic);
    }

    /**
     * The route creates its topic when missing (auto.create.topics.enable): then, as Kafka's Metadata asks before
     * it creates one, also CREATE on the cluster or on that topic.
     */
    RouteAccess creatingMissingTopic() {
        return new RouteAccess(needs, true);
    }
}
