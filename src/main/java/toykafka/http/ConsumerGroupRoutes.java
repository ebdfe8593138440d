package toykafka.http;

import java.util.ArrayList;
import java.util.List;
import toykafka.broker.Broker;
import toykafka.broker.ConsumerInstances;

/**
 * Consumer groups as REST Proxy v3 shows them, under {@code /v3/clusters/<cluster>/consumer-groups}:
 *
 * <ul>
 * <li>{@code GET .../consumer-groups/<group>} is {@link ConsumerInstances#describe} (Kafka's DescribeGroups and
 *     OffsetFetch). Nothing is created by looking.</li>
 * </ul>
 *
 * <p>The group's description holds its members' partitions and its committed offsets inline, with the
 * generation, instead of links.
 */
final class ConsumerGroupRoutes {

    private final ConsumerInstances instances;

    ConsumerGroupRoutes(Broker broker) {
        this.instances = broker.consumerInstances();
    }

    void register(HttpFrontEnd front) {
        front.route("GET", "/v3/clusters/{cluster}/consumer-groups/{group}", this::describeGroup);
    }

    /**
     * A group as REST Proxy v3 shows one, with what Kafka's admin tools show beside it: the generation, each
     * consumer's partitions, and the committed offsets. Nothing is created by looking.
     */
    private Reply describeGroup(Exchange exchange) {
        TopicRoutes.requireCluster(exchange);
        ConsumerInstances.GroupInfo group = instances.describe(exchange.path("group"));
        List<Object> consumers = new ArrayList<>();
        group.assignment().forEach((member, partitions) -> {
            List<Object> assignments = new ArrayList<>();
            partitions.forEach(partition -> assignments.add(Json.fields("topic_name", partition.topic(),
                    "partition_id", partition.partition())));
            consumers.add(Json.fields("consumer_id", member, "assignments", assignments));
        });
        List<Object> offsets = new ArrayList<>();
        group.committed().forEach((partition, offset) -> offsets.add(Json.fields("topic_name", partition.topic(),
                "partition_id", partition.partition(), "committed_offset", offset)));
        return Reply.json(200, Json.write(Json.fields("kind", "KafkaConsumerGroup", "cluster_id", exchange.clusterId(),
                "consumer_group_id", group.groupId(), "partition_assignor", group.assignor(), "generation", group.generation(),
                "consumers", consumers, "offsets", offsets)));
    }

}
