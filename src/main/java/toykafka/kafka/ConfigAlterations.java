package toykafka.kafka;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.config.DynamicBrokerConfigs;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.common.ApiException;
import toykafka.common.Errors;

/**
 * What AlterConfigs (key 33) and IncrementalAlterConfigs (key 44) share: the same resources in the request
 * (the incremental one adds an operation to each config), the same answer, and the same refusals before a
 * topic or a broker's settings are changed, as Kafka's {@code ConfigAdminManager.preprocess} makes them. A
 * resource named twice is INVALID_REQUEST for each; so is a config key named twice in one resource, a null
 * value where one is needed, a resource type other than topic (2), broker (4) or group (32), and a broker
 * named by another node's id. A broker named by this node's id changes this broker's own level of its dynamic
 * settings, the empty name their cluster-wide default ({@code DynamicBrokerConfigs}); a group, existing or not,
 * its own configs ({@code DynamicGroupConfigs}), the empty name being INVALID_REQUEST as Kafka's controller
 * answers it. With an authorizer, each resource needs ALTER_CONFIGS, as Kafka's controller asks ({@code
 * authorizeAlterResource}): on the topic, on the group, or on the cluster for a broker; else it is answered
 * TOPIC_, GROUP_ or CLUSTER_AUTHORIZATION_FAILED and left unchanged. Each API says how it makes its changes.
 */
final class ConfigAlterations {

    static final byte SET = 0;
    static final byte DELETE = 1;
    static final byte APPEND = 2;
    static final byte SUBTRACT = 3;

    /** One config of a resource: its key, what to do to it, and the value (null to delete). */
    record Change(String key, byte operation, String value) {
    }

    /** One resource of a request: its type, its name, and the changes to it. */
    record Resource(byte type, String name, List<Change> changes) {
    }

    /** How an API changes one topic; throws an {@link ApiException} to refuse. */
    interface TopicChanges {
        void apply(String topic, List<Change> changes, boolean validateOnly);
    }

    /** How an API changes one level of the broker's dynamic settings; throws an {@link ApiException} to refuse. */
    interface BrokerChanges {
        void apply(DynamicBrokerConfigs.Level level, List<Change> changes, boolean validateOnly);
    }

    /** How an API changes one group's configs; throws an {@link ApiException} to refuse. */
    interface GroupChanges {
        void apply(String group, List<Change> changes, boolean validateOnly);
    }

    /** How an API changes each type of resource. */
    record Changes(TopicChanges topics, BrokerChanges brokers, GroupChanges groups) {
    }

    private record Result(Resource resource, Errors error, String message) {
    }

    private ConfigAlterations() {
    }

    /**
     * Reads the request (each config with an operation when {@code withOperations}, else SET), changes the
     * topics, and answers for each resource in the order asked.
     */
    static CompletableFuture<ProtocolWriter> handle(Request request, boolean withOperations, int nodeId,
                                                    Changes makers, AuthHelper auth) {
        ProtocolReader in = request.body();
        List<Resource> resources = in.array("resources", resource -> {
            byte type = resource.int8("resource_type");
            String name = resource.string("resource_name");
            List<Change> changes = resource.array("configs", config -> {
                String key = config.string("config name");
                byte operation = withOperations ? config.int8("config_operation") : SET;
                Change change = new Change(key, operation, config.nullableString("config value"));
                config.taggedFields("AlterableConfig");
                return change;
            });
            resource.taggedFields("AlterConfigsResource");
            return new Resource(type, name, changes);
        });
        boolean validateOnly = in.bool("validate_only");
        in.taggedFields(request.header().apiKey() == 33 ? "AlterConfigsRequest" : "IncrementalAlterConfigsRequest");
        request.asked((validateOnly ? "validate only: " : "") + Summaries.list(resources.stream()
                .map(r -> Api32DescribeConfigs.typeName(r.type()) + " " + r.name() + " " + r.changes().stream()
                        .map(c -> operationName(c.operation()) + " " + c.key() + (c.value() == null ? "" : "=" + c.value()))
                        .toList()).toList()));

        Set<String> repeated = RepeatedNames.of(resources.stream().map(r -> r.type() + "/" + r.name()).toList());
        List<Result> results = new ArrayList<>();
        for (Resource resource : resources) {
            results.add(repeated.contains(resource.type() + "/" + resource.name())
                    ? new Result(resource, Errors.INVALID_REQUEST, Api32DescribeConfigs.typeName(resource.type())
                    + " '" + resource.name() + "' is named more than once in this request: name each resource once")
                    : authorized(request, auth, resource) ? alter(resource, validateOnly, nodeId, makers)
                    : refusedAuthorization(resource));
        }
        request.answered(Summaries.list(results.stream().map(r -> r.resource().name() + " " + r.error()
                + (r.message() == null ? "" : " (" + r.message() + ")")).toList()));

        ProtocolWriter out = Api.responseWithThrottleTime(request);
        out.array(results, (w, result) -> w.int16(result.error().code())
                .nullableString(result.message()).int8(result.resource().type())
                .string(result.resource().name()).taggedFields());
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    private static boolean authorized(Request request, AuthHelper auth, Resource resource) {
        return switch (resource.type()) {
            case Api32DescribeConfigs.TOPIC -> auth.authorize(request, AclOperation.ALTER_CONFIGS, ResourceType.TOPIC,
                    resource.name());
            case Api32DescribeConfigs.GROUP -> auth.authorize(request, AclOperation.ALTER_CONFIGS, ResourceType.GROUP,
                    resource.name());
            case Api32DescribeConfigs.BROKER -> auth.authorize(request, AclOperation.ALTER_CONFIGS,
                    ResourceType.CLUSTER, ResourcePattern.CLUSTER_NAME);
            default -> true; // refused below as a type this broker does not change
        };
    }

    /** A resource the principal may not ALTER_CONFIGS, in Kafka's words. */
    private static Result refusedAuthorization(Resource resource) {
        return switch (resource.type()) {
            case Api32DescribeConfigs.TOPIC -> new Result(resource, Errors.TOPIC_AUTHORIZATION_FAILED,
                    "Topic authorization failed.");
            case Api32DescribeConfigs.GROUP -> new Result(resource, Errors.GROUP_AUTHORIZATION_FAILED,
                    "Group authorization failed.");
            default -> new Result(resource, Errors.CLUSTER_AUTHORIZATION_FAILED, "Cluster authorization failed.");
        };
    }

    private static Result alter(Resource resource, boolean validateOnly, int nodeId, Changes changes) {
        String refused = refusal(resource, nodeId);
        if (refused != null) {
            return new Result(resource, Errors.INVALID_REQUEST, refused);
        }
        try {
            if (resource.type() == Api32DescribeConfigs.BROKER) {
                changes.brokers().apply(resource.name().isEmpty() ? DynamicBrokerConfigs.Level.CLUSTER_DEFAULT
                        : DynamicBrokerConfigs.Level.BROKER, resource.changes(), validateOnly);
            } else if (resource.type() == Api32DescribeConfigs.GROUP) {
                changes.groups().apply(resource.name(), resource.changes(), validateOnly);
            } else {
                changes.topics().apply(resource.name(), resource.changes(), validateOnly);
            }
            return new Result(resource, Errors.NONE, null);
        } catch (ApiException e) {
            return new Result(resource, e.error(), e.getMessage());
        }
    }

    /** Why a resource is refused before anything is changed, or null for one whose changes may be tried. */
    private static String refusal(Resource resource, int nodeId) {
        Set<String> keys = new HashSet<>();
        for (Change change : resource.changes()) {
            if (!keys.add(change.key())) {
                return "config '" + change.key() + "' is named more than once for "
                        + Api32DescribeConfigs.typeName(resource.type()) + " '" + resource.name()
                        + "': name each config once";
            }
            if (change.operation() < SET || change.operation() > SUBTRACT) {
                return "config '" + change.key() + "' has operation " + change.operation() + ", which is none of"
                        + " SET (0), DELETE (1), APPEND (2) and SUBTRACT (3)";
            }
            if (change.value() == null && change.operation() != DELETE) {
                return "config '" + change.key() + "' has a null value: only DELETE takes none";
            }
        }
        return switch (resource.type()) {
            case Api32DescribeConfigs.TOPIC, Api32DescribeConfigs.GROUP -> null;
            case Api32DescribeConfigs.BROKER -> resource.name().isEmpty() || resource.name().equals(String.valueOf(nodeId))
                    ? null : "broker '" + resource.name() + "' is not this broker: its node id is " + nodeId
                    + " (or give an empty name for cluster defaults)";
            default -> "resource type " + resource.type() + " is not one this broker changes: it changes topics (2),"
                    + " brokers (4) and groups (32)";
        };
    }

    static String operationName(byte operation) {
        return switch (operation) {
            case SET -> "SET";
            case DELETE -> "DELETE";
            case APPEND -> "APPEND";
            case SUBTRACT -> "SUBTRACT";
            default -> "operation " + operation;
        };
    }
}
