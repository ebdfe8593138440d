package toykafka.http;

import java.util.List;
import java.util.Map;
import toykafka.broker.Broker;
import toykafka.broker.config.ListenerEndpoints;

/**
 * The cluster and its brokers as REST Proxy v3 serves them, from Kafka's Metadata request (DescribeCluster):
 *
 * <ul>
 * <li>{@code GET /v3/clusters}: a {@code KafkaClusterList} of the one cluster this broker is, by its real id
 *     (what {@code kcat -L} and Kafka's Metadata show); {@code GET /v3/clusters/<id>} that cluster, linked to its
 *     controller, brokers, topics, consumer groups, configs, ACLs and reassignments, as REST Proxy links them.</li>
 * <li>{@code GET .../brokers} and {@code .../brokers/<id>}: this broker, by its node.id, with the host and port
 *     of its Kafka listener as its Metadata advertises them.</li>
 * <li>{@code GET .../acls}: refused, naming why: this broker has no authorizer (Kafka answers
 *     SECURITY_DISABLED).</li>
 * </ul>
 */
final class ClusterRoutes {

    private final Broker broker;

    ClusterRoutes(Broker broker) {
        this.broker = broker;
    }

    void register(HttpFrontEnd front) {
        front.route("GET", "/v3/clusters", exchange -> Reply.json(200, Json.write(V3Shapes.list("KafkaClusterList",
                exchange.baseUri() + "/v3/clusters", List.of(cluster(exchange))))));
        front.route("GET", TopicRoutes.CLUSTER, exchange -> {
            TopicRoutes.requireCluster(exchange);
            return Reply.json(200, Json.write(cluster(exchange)));
        });
        front.route("GET", TopicRoutes.CLUSTER + "/brokers", exchange -> {
            TopicRoutes.requireCluster(exchange);
            return Reply.json(200, Json.write(V3Shapes.list("KafkaBrokerList", V3Shapes.clusterUrl(exchange) + "/brokers",
                    List.of(brokerData(exchange)))));
        });
        front.route("GET", TopicRoutes.CLUSTER + "/brokers/{broker}", exchange -> {
            TopicRoutes.requireCluster(exchange);
            requireBroker(exchange, broker.nodeId());
            return Reply.json(200, Json.write(brokerData(exchange)));
        });
        front.route("GET", TopicRoutes.CLUSTER + "/acls", exchange -> {
            TopicRoutes.requireCluster(exchange);
            if (broker.access().authorizer().isPresent()) {
                throw new HttpError(400, "this broker's ACLs are listed and changed on its Kafka port (kafka-acls),"
                        + " not over HTTP");
            }
            throw new HttpError(400, "this broker keeps no ACLs: it has no authorizer, so every client may do"
                    + " everything (Kafka answers SECURITY_DISABLED)");
        });
    }

    /** {@code .../brokers/<id>}: a broker's own URL. */
    static String brokerUrl(Exchange exchange, int node) {
        return V3Shapes.clusterUrl(exchange) + "/brokers/" + node;
    }

    /** Refuses a path that names a broker other than this one, the cluster's only broker. */
    static void requireBroker(Exchange exchange, int node) {
        String named = exchange.path("broker");
        if (!named.equals(String.valueOf(node))) {
            throw new HttpError(404, "there is no broker '" + named + "' in this cluster: it is one broker, node "
                    + node + " (GET " + "/v3/clusters/" + exchange.clusterId() + "/brokers lists it)");
        }
    }

    private Map<String, Object> cluster(Exchange exchange) {
        String self = V3Shapes.clusterUrl(exchange);
        Map<String, Object> json = V3Shapes.resource("KafkaCluster", self, V3Shapes.crn(exchange));
        json.put("cluster_id", exchange.clusterId());
        json.put("controller", V3Shapes.related(brokerUrl(exchange, broker.nodeId())));
        json.put("acls", V3Shapes.related(self + "/acls"));
        json.put("brokers", V3Shapes.related(self + "/brokers"));
        json.put("broker_configs", V3Shapes.related(self + "/broker-configs"));
        json.put("consumer_groups", V3Shapes.related(self + "/consumer-groups"));
        json.put("topics", V3Shapes.related(self + "/topics"));
        json.put("partition_reassignments", V3Shapes.related(self + "/topics/-/partitions/-/reassignment"));
        return json;
    }

    private Map<String, Object> brokerData(Exchange exchange) {
        int node = broker.nodeId();
        String self = brokerUrl(exchange, node);
        Map<String, Object> json = V3Shapes.resource("KafkaBroker", self, V3Shapes.crn(exchange, "broker",
                String.valueOf(node)));
        ListenerEndpoints.EndPoint first = ListenerEndpoints.of(broker.config()).get(0); // Kafka's protocol, first listener
        int port = first.advertisedPort() != 0 ? first.advertisedPort() : first.port();
        json.put("cluster_id", exchange.clusterId());
        json.put("broker_id", node);
        json.put("host", first.advertisedHost());
        json.put("port", port == 0 ? null : port); // 0: the listener picks its port, which only it knows
        json.put("rack", null);
        json.put("configs", V3Shapes.related(self + "/configs"));
        json.put("partition_replicas", V3Shapes.related(self + "/partition-replicas"));
        return json;
    }
}
