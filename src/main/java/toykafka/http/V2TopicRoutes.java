package toykafka.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.broker.OffsetAnswer;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/**
 * Topics, partitions and brokers as Confluent's REST Proxy v2 describes them, each one of the broker's own
 * operations:
 *
 * <ul>
 * <li>{@code GET /topics} is {@link Broker#listTopics} (Kafka's Metadata request, as {@code Admin.listTopics}
 *     sends it): a JSON list of names, without the broker's internal topics, as Kafka's listTopics leaves them
 *     out.</li>
 * <li>{@code GET /topics/<t>} is {@link Broker#describeTopic} (Metadata and DescribeConfigs):
 *     {@code {"name", "configs", "partitions"}}, {@code configs} being the topic's own overrides.</li>
 * <li>{@code GET /topics/<t>/partitions} and {@code GET /topics/<t>/partitions/<p>} are Metadata: each
 *     partition's {@code leader} and {@code replicas} (on one broker, that broker, leader and in sync).</li>
 * <li>{@code GET /topics/<t>/partitions/<p>/offsets} is {@link Partitions#listOffsets} (ListOffsets, earliest
 *     and latest): {@code {"beginning_offset", "end_offset"}}.</li>
 * <li>{@code GET /brokers} is Metadata's broker list: {@code {"brokers": [id]}}, this broker's node.id.</li>
 * </ul>
 *
 * <p>An unknown topic is a 404 with REST Proxy's code 40401, an unknown partition a 404 with 40402.
 */
final class V2TopicRoutes {

    private final Broker broker;

    V2TopicRoutes(Broker broker) {
        this.broker = broker;
    }

    void register(HttpFrontEnd front) {
        front.route("GET", "/topics", V2Replies.refusingAsV2(this::listTopics));
        front.route("GET", "/topics/{topic}", V2Replies.refusingAsV2(this::topic));
        front.route("GET", "/topics/{topic}/partitions", V2Replies.refusingAsV2(this::partitions));
        front.route("GET", "/topics/{topic}/partitions/{partition}", V2Replies.refusingAsV2(this::partition));
        front.route("GET", "/topics/{topic}/partitions/{partition}/offsets", V2Replies.refusingAsV2(this::offsets));
        front.route("GET", "/brokers", V2Replies.refusingAsV2(exchange -> V2Replies.json(
                V2Replies.type(exchange), Json.fields("brokers", List.of(broker.nodeId())))));
    }

    private Reply listTopics(Exchange exchange) {
        String type = V2Replies.type(exchange);
        List<String> names = exchange.authorizedOf(AclOperation.DESCRIBE, ResourceType.TOPIC, broker.listTopics())
                .stream().filter(name -> !Broker.isInternal(name)).toList();
        return V2Replies.json(type, names);
    }

    private Reply topic(Exchange exchange) {
        String type = V2Replies.type(exchange);
        Broker.TopicInfo topic = describe(broker, exchange.path("topic"));
        List<Object> partitions = new ArrayList<>();
        for (Broker.PartitionInfo partition : topic.partitions()) {
            partitions.add(partitionJson(partition.partition()));
        }
        return V2Replies.json(type, Json.fields("name", topic.name(), "configs", topic.overrides(),
                "partitions", partitions));
    }

    private Reply partitions(Exchange exchange) {
        String type = V2Replies.type(exchange);
        List<Object> partitions = new ArrayList<>();
        for (Broker.PartitionInfo partition : describe(broker, exchange.path("topic")).partitions()) {
            partitions.add(partitionJson(partition.partition()));
        }
        return V2Replies.json(type, partitions);
    }

    private Reply partition(Exchange exchange) {
        String type = V2Replies.type(exchange);
        Broker.TopicInfo topic = describe(broker, exchange.path("topic"));
        return V2Replies.json(type, partitionJson(partitionOf(topic, exchange.path("partition"))));
    }

    private Reply offsets(Exchange exchange) {
        String type = V2Replies.type(exchange);
        Broker.TopicInfo topic = describe(broker, exchange.path("topic"));
        TopicPartition partition = new TopicPartition(topic.name(), partitionOf(topic, exchange.path("partition")));
        long beginning = offset(partition, Partitions.EARLIEST);
        long end = offset(partition, Partitions.LATEST);
        return V2Replies.json(type, Json.fields("beginning_offset", beginning, "end_offset", end));
    }

    private long offset(TopicPartition partition, long which) {
        OffsetAnswer answer = broker.partitions().listOffsets(partition, which);
        if (answer.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION) { // deleted since it was described
            throw new HttpError(404, HttpError.PARTITION_NOT_FOUND, answer.error(), answer.message());
        }
        if (answer.error() != Errors.NONE) {
            throw RecordRoutes.refusal(answer.error(), answer.message());
        }
        return answer.offset();
    }

    /** One broker, so each partition's leader and only replica is this broker, always in sync. */
    private Map<String, Object> partitionJson(int partition) {
        return Json.fields("partition", partition, "leader", broker.nodeId(),
                "replicas", List.of(Json.fields("broker", broker.nodeId(), "leader", true, "in_sync", true)));
    }

    /**
     * The topic, or REST Proxy's 404 with 40401: a name no topic can have is not found either, and the message
     * says why.
     */
    static Broker.TopicInfo describe(Broker broker, String name) {
        try {
            return broker.describeTopic(name);
        } catch (ApiException unknown) {
            if (unknown.error() == Errors.UNKNOWN_TOPIC_OR_PARTITION || unknown.error() == Errors.INVALID_TOPIC_EXCEPTION) {
                throw new HttpError(404, HttpError.TOPIC_NOT_FOUND, Errors.UNKNOWN_TOPIC_OR_PARTITION, unknown.getMessage());
            }
            throw unknown;
        }
    }

    /** The path's partition number if the topic has it, else REST Proxy's 404 with 40402 naming the range. */
    static int partitionOf(Broker.TopicInfo topic, String text) {
        return partitionOf(topic.name(), topic.partitions().size(), text);
    }

    /** As {@link #partitionOf(Broker.TopicInfo, String)}, for a topic of {@code count} partitions. */
    static int partitionOf(String topic, int count, String text) {
        Optional<Long> number = Exchange.wholeNumber(text);
        if (number.isEmpty() || number.get() < 0 || number.get() >= count) {
            throw new HttpError(404, HttpError.PARTITION_NOT_FOUND, Errors.UNKNOWN_TOPIC_OR_PARTITION, "topic "
                    + topic + " has no partition " + text + "; its partitions are 0 to " + (count - 1));
        }
        return number.get().intValue();
    }
}
