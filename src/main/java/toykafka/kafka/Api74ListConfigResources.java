package toykafka.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;

/**
 * ListConfigResources (key 74), versions 0–1: the resources that have configs to describe, which Kafka 4.1's
 * {@code kafka-configs --describe} asks for before it describes each (for groups, with {@code ListGroups};
 * for client metrics alone), and {@code Admin.listConfigResources}. Kafka's
 * {@code KafkaApis.handleListConfigResources}. Version 0 was KIP-714's ListClientMetricsResources. Every
 * version is flexible.
 *
 * <p>Version 0 lists client-metrics subscriptions: none here (this broker takes no client telemetry), so
 * the list is empty. Version 1 filters by resource type, none meaning every type Kafka lists: this broker
 * (type 4) by its node id; every topic (2), the broker's own among them, as Kafka lists
 * {@code __consumer_offsets}; each group with configs of its own (32), existing or not, first, as Kafka lists
 * them; and no client-metrics subscriptions (16) or broker loggers (8), since it has no subscriptions and no
 * loggers to configure (Kafka lists its node under type 8 too). A type Kafka lists none of is UNSUPPORTED_VERSION for the whole answer, as
 * Kafka answers it.
 * With an authorizer, a principal that may not DESCRIBE_CONFIGS the cluster gets CLUSTER_AUTHORIZATION_FAILED.
 */
final class Api74ListConfigResources extends BrokerApi {

    private static final byte TOPIC = 2;
    private static final byte BROKER = 4;
    private static final byte BROKER_LOGGER = 8;
    private static final byte CLIENT_METRICS = 16;
    private static final byte GROUP = 32;
    private static final List<Byte> TYPES = List.of(TOPIC, BROKER, BROKER_LOGGER, CLIENT_METRICS, GROUP);

    private record Resource(String name, byte type) {
    }

    private final AuthHelper auth;

    Api74ListConfigResources(Broker broker, AuthHelper auth) {
        super(broker, 74, "ListConfigResources", 0, 1, 0);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        List<Byte> asked = version >= 1 ? in.array("resource_types", type -> type.int8("resource type"))
                : List.of(CLIENT_METRICS);
        in.taggedFields("ListConfigResourcesRequest");
        List<Byte> types = asked.isEmpty() ? TYPES : asked;
        request.asked(asked.isEmpty() ? "every type" : "types " + asked);

        ProtocolWriter out = responseWithThrottleTime(request);
        if (!auth.authorize(request, AclOperation.DESCRIBE_CONFIGS, ResourceType.CLUSTER,
                ResourcePattern.CLUSTER_NAME)) {
            request.answered(Errors.CLUSTER_AUTHORIZATION_FAILED.toString());
            return CompletableFuture.completedFuture(out.int16(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .arrayLength(0).taggedFields());
        }
        List<Byte> unknown = types.stream().filter(type -> !TYPES.contains(type)).toList();
        if (!unknown.isEmpty()) {
            request.answered(Errors.UNSUPPORTED_VERSION + ": no resource type " + unknown);
            return CompletableFuture.completedFuture(out.int16(Errors.UNSUPPORTED_VERSION.code()).arrayLength(0)
                    .taggedFields());
        }
        List<Resource> resources = new ArrayList<>();
        if (types.contains(GROUP)) { // first, as Kafka lists them
            broker.groupConfigs().groups().forEach(group -> resources.add(new Resource(group, GROUP)));
        }
        if (types.contains(BROKER)) {
            resources.add(new Resource(String.valueOf(broker.nodeId()), BROKER));
        }
        if (types.contains(TOPIC)) {
            broker.listTopics().forEach(topic -> resources.add(new Resource(topic, TOPIC)));
        }
        request.answered(() -> Summaries.list(resources.stream().map(r -> r.name()).toList()));
        out.int16(Errors.NONE.code()).array(resources, (w, resource) -> {
            w.string(resource.name());
            if (version >= 1) {
                w.int8(resource.type());
            }
            w.taggedFields();
        });
        return CompletableFuture.completedFuture(out.taggedFields());
    }
}
