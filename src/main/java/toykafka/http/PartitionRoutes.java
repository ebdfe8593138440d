package toykafka.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import toykafka.broker.Broker;
import toykafka.common.UnknownTopicOrPartitionException;

/**
 * A topic's partitions and their replicas as REST Proxy v3 serves them, each route Kafka's Metadata request
 * for what it names ({@link Broker#describeTopic}):
 *
 * <ul>
 * <li>{@code GET .../topics/<t>/partitions} and {@code .../partitions/<p>}: {@code KafkaPartition}s, linked
 *     to their leader, replicas and reassignment.</li>
 * <li>{@code GET .../partitions/<p>/replicas} and {@code .../replicas/<broker>}: the one replica each partition
 *     has, on this broker, leader and in sync; {@code GET .../brokers/<broker>/partition-replicas}: every
 *     replica on the broker.</li>
 * <li>{@code GET .../topics/-/partitions/-/reassignment} and {@code .../topics/<t>/partitions/-/reassignment}
 *     (ListPartitionReassignments): always empty, as one broker has nowhere to move a replica to; so
 *     {@code .../partitions/<p>/reassignment} is a 404.</li>
 * </ul>
 *
 * <p>This broker's own extensions: each partition also carries its {@code log_start_offset} and
 * {@code log_end_offset} (ListOffsets' earliest and latest), and {@code GET .../partitions?auto_create=true}
 * first asks for the topic as a producer's Metadata request does, creating an unknown topic if
 * auto.create.topics.enable says so.
 */
final class PartitionRoutes {

    private static final String PARTITIONS = TopicRoutes.TOPICS + "/{topic}/partitions";

    private final Broker broker;

    PartitionRoutes(Broker broker) {
        this.broker = broker;
    }

    void register(HttpFrontEnd front) {
        // the "-" routes first: the first route a path matches serves it
        front.route("GET", TopicRoutes.TOPICS + "/-/partitions/-/reassignment", exchange -> reassignments(exchange,
                V3Shapes.clusterUrl(exchange) + "/topics/-/partitions/-/reassignment"));
        front.route("GET", PARTITIONS + "/-/reassignment", exchange -> {
            TopicRoutes.requireCluster(exchange);
            broker.describeTopic(exchange.path("topic")); // an unknown topic is a 404, not an empty list
            return reassignments(exchange, TopicRoutes.topicUrl(exchange, exchange.path("topic")) + "/partitions/-/reassignment");
        });
        front.route("GET", PARTITIONS, this::partitions);
        front.route("GET", PARTITIONS + "/{partition}", this::partition);
        front.route("GET", PARTITIONS + "/{partition}/replicas", this::replicas);
        front.route("GET", PARTITIONS + "/{partition}/replicas/{broker}", this::replica);
        front.route("GET", PARTITIONS + "/{partition}/reassignment", this::reassignment);
        front.route("GET", TopicRoutes.CLUSTER + "/brokers/{broker}/partition-replicas", this::brokerReplicas);
    }

    /**
     * A topic's partitions. With {@code auto_create=true} this is Kafka's metadata request as a producer
     * sends it first: an unknown topic is created if auto.create.topics.enable says so.
     */
    private Reply partitions(Exchange exchange) {
        TopicRoutes.requireCluster(exchange);
        String name = exchange.path("topic");
        if (exchange.query("auto_create", "false").equals("true")) {
            broker.partitionsForWrite(name);
        }
        List<Object> data = new ArrayList<>();
        for (Broker.PartitionInfo partition : broker.describeTopic(name).partitions()) {
            data.add(partition(exchange, name, partition));
        }
        return Reply.json(200, Json.write(V3Shapes.list("KafkaPartitionList",
                TopicRoutes.topicUrl(exchange, name) + "/partitions", data)));
    }

    private Reply partition(Exchange exchange) {
        TopicRoutes.requireCluster(exchange);
        String topic = exchange.path("topic");
        return Reply.json(200, Json.write(partition(exchange, topic, find(topic, exchange.path("partition")))));
    }

    private Map<String, Object> partition(Exchange exchange, String topic, Broker.PartitionInfo partition) {
        int id = partition.partition();
        String self = partitionUrl(exchange, topic, id);
        Map<String, Object> json = V3Shapes.resource("KafkaPartition", self,
                V3Shapes.crn(exchange, "topic", topic, "partition", String.valueOf(id)));
        json.put("cluster_id", exchange.clusterId());
        json.put("topic_name", topic);
        json.put("partition_id", id);
        json.put("leader", V3Shapes.related(self + "/replicas/" + broker.nodeId()));
        json.put("replicas", V3Shapes.related(self + "/replicas"));
        json.put("reassignment", V3Shapes.related(self + "/reassignment"));
        json.put("log_start_offset", partition.logStartOffset());
        json.put("log_end_offset", partition.endOffset());
        return json;
    }

    private static String partitionUrl(Exchange exchange, String topic, int partition) {
        return TopicRoutes.topicUrl(exchange, topic) + "/partitions/" + partition;
    }

    /** The partition a path names; one the topic does not have is refused naming those it has. */
    private Broker.PartitionInfo find(String topic, String partition) {
        int id = Exchange.wholeNumber(partition).filter(p -> p >= 0 && p <= Integer.MAX_VALUE).map(Long::intValue)
                .orElseThrow(() -> new HttpError(400, "partition '" + partition + "' must be a whole number, 0 or more"));
        List<Broker.PartitionInfo> partitions = broker.describeTopic(topic).partitions();
        if (id >= partitions.size()) {
            throw UnknownTopicOrPartitionException.unknownPartition(topic, id, partitions.size());
        }
        return partitions.get(id);
    }

    private Reply replicas(Exchange exchange) {
        TopicRoutes.requireCluster(exchange);
        String topic = exchange.path("topic");
        int partition = find(topic, exchange.path("partition")).partition();
        return Reply.json(200, Json.write(V3Shapes.list("KafkaReplicaList",
                partitionUrl(exchange, topic, partition) + "/replicas", List.of(replica(exchange, topic, partition)))));
    }

    private Reply replica(Exchange exchange) {
        TopicRoutes.requireCluster(exchange);
        String topic = exchange.path("topic");
        int partition = find(topic, exchange.path("partition")).partition();
        ClusterRoutes.requireBroker(exchange, broker.nodeId());
        return Reply.json(200, Json.write(replica(exchange, topic, partition)));
    }

    /** The partition's one replica: on this broker, its leader, and in sync with itself. */
    private Map<String, Object> replica(Exchange exchange, String topic, int partition) {
        int node = broker.nodeId();
        Map<String, Object> json = V3Shapes.resource("KafkaReplica", partitionUrl(exchange, topic, partition)
                + "/replicas/" + node, V3Shapes.crn(exchange, "topic", topic, "partition", String.valueOf(partition),
                "replica", String.valueOf(node)));
        json.put("cluster_id", exchange.clusterId());
        json.put("topic_name", topic);
        json.put("partition_id", partition);
        json.put("broker_id", node);
        json.put("is_leader", true);
        json.put("is_in_sync", true);
        json.put("broker", V3Shapes.related(ClusterRoutes.brokerUrl(exchange, node)));
        return json;
    }

    private Reply brokerReplicas(Exchange exchange) {
        TopicRoutes.requireCluster(exchange);
        ClusterRoutes.requireBroker(exchange, broker.nodeId());
        List<Object> data = new ArrayList<>();
        for (String topic : broker.listTopics()) {
            for (Broker.PartitionInfo partition : broker.describeTopic(topic).partitions()) {
                data.add(replica(exchange, topic, partition.partition()));
            }
        }
        return Reply.json(200, Json.write(V3Shapes.list("KafkaReplicaList",
                ClusterRoutes.brokerUrl(exchange, broker.nodeId()) + "/partition-replicas", data)));
    }

    /** Reassignments in progress: none ever, with one broker. */
    private static Reply reassignments(Exchange exchange, String self) {
        TopicRoutes.requireCluster(exchange);
        return Reply.json(200, Json.write(V3Shapes.list("KafkaReassignmentList", self, List.of())));
    }

    private Reply reassignment(Exchange exchange) {
        TopicRoutes.requireCluster(exchange);
        String topic = exchange.path("topic");
        int partition = find(topic, exchange.path("partition")).partition();
        throw new HttpError(404, "partition " + partition + " of topic '" + topic + "' has no reassignment in progress:"
                + " this cluster is one broker, so a replica has nowhere to move");
    }
}
