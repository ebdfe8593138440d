package toykafka.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import toykafka.broker.Broker;
import toykafka.broker.GroupsView;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;
import toykafka.restproxy.ConsumerInstances;

/**
 * Consumer groups as REST Proxy v3 shows them, under {@code /v3/clusters/<cluster>/consumer-groups}, read from
 * {@link GroupsView}: groups of Kafka consumers and of REST consumer instances alike. Every route is a read.
 *
 * <ul>
 * <li>{@code GET .../consumer-groups} is Kafka's ListGroups, then DescribeGroups for each.</li>
 * <li>{@code GET .../consumer-groups/<group>} is DescribeGroups: state, assignor, links to its consumers and lag
 *     summary. A group the coordinator does not hold is a 404, as REST Proxy answers where Kafka says Dead.</li>
 * <li>{@code GET .../<group>/consumers[/<consumer>]} and {@code .../consumers/<consumer>/assignments[/<topic>/partitions/<p>]}
 *     are DescribeGroups' members and the partitions each was assigned.</li>
 * <li>{@code GET .../<group>/lags[/<topic>/partitions/<p>]} and {@code .../<group>/lag-summary} are OffsetFetch
 *     and ListOffsets (latest): each committed partition's lag, and the largest and the total.</li>
 * </ul>
 *
 * <p>One extension: a group carries its {@code generation}, which Kafka's DescribeGroups leaves out.
 */
final class ConsumerGroupRoutes {

    private static final String GROUP = "/v3/clusters/{cluster}/consumer-groups/{group}";

    private final GroupsView groups;

    ConsumerGroupRoutes(Broker broker, ConsumerInstances instances) {
        // REST instances silent past consumer.instance.timeout.ms are gone as the clock says now, not as the
        // last scheduled drop left them
        this.groups = new GroupsView(broker, instances::expireIdle);
    }

    void register(HttpFrontEnd front) {
        front.route("GET", "/v3/clusters/{cluster}/consumer-groups", this::listGroups);
        front.route("GET", GROUP, this::getGroup);
        front.route("GET", GROUP + "/consumers", this::listConsumers);
        front.route("GET", GROUP + "/consumers/{consumer}", this::getConsumer);
        front.route("GET", GROUP + "/consumers/{consumer}/assignments", this::listAssignments);
        front.route("GET", GROUP + "/consumers/{consumer}/assignments/{topic}/partitions/{partition}", this::getAssignment);
        front.route("GET", GROUP + "/lags", this::listLags);
        front.route("GET", GROUP + "/lags/{topic}/partitions/{partition}", this::getLag);
        front.route("GET", GROUP + "/lag-summary", this::getLagSummary);
    }

    // ---- groups ----

    private Reply listGroups(Exchange exchange) {
        TopicRoutes.requireCluster(exchange);
        List<Object> data = new ArrayList<>();
        List<GroupsView.Group> all = groups.groups();
        List<String> described = exchange.authorizedOf(AclOperation.DESCRIBE, ResourceType.GROUP,
                all.stream().map(GroupsView.Group::groupId).toList()); // as ListGroups shows only these
        all.stream().filter(group -> described.contains(group.groupId())).forEach(group -> data.add(group(exchange, group)));
        return ok(V3Shapes.list("KafkaConsumerGroupList", V3Shapes.clusterUrl(exchange) + "/consumer-groups", data));
    }

    private Reply getGroup(Exchange exchange) {
        return ok(group(exchange, requireGroup(exchange)));
    }

    private static Map<String, Object> group(Exchange exchange, GroupsView.Group group) {
        String self = groupUrl(exchange, group.groupId());
        Map<String, Object> json = V3Shapes.resource("KafkaConsumerGroup", self,
                V3Shapes.crn(exchange, "consumer-group", group.groupId()));
        json.put("cluster_id", exchange.clusterId());
        json.put("consumer_group_id", group.groupId());
        json.put("is_simple", group.simple());
        json.put("partition_assignor", group.assignor());
        json.put("state", group.state());
        json.put("generation", group.generation());
        json.put("coordinator", V3Shapes.related(V3Shapes.clusterUrl(exchange) + "/brokers/" + group.coordinator()));
        json.put("consumers", V3Shapes.related(self + "/consumers"));
        json.put("lag_summary", V3Shapes.related(self + "/lag-summary"));
        return json;
    }

    // ---- consumers and their assignments ----

    private Reply listConsumers(Exchange exchange) {
        GroupsView.Group group = requireGroup(exchange);
        List<Object> data = new ArrayList<>();
        group.members().forEach(member -> data.add(consumer(exchange, group, member)));
        return ok(V3Shapes.list("KafkaConsumerList", groupUrl(exchange, group.groupId()) + "/consumers", data));
    }

    private Reply getConsumer(Exchange exchange) {
        GroupsView.Group group = requireGroup(exchange);
        return ok(consumer(exchange, group, requireMember(exchange, group)));
    }

    private static Map<String, Object> consumer(Exchange exchange, GroupsView.Group group, GroupsView.Member member) {
        String self = consumerUrl(exchange, group.groupId(), member.consumerId());
        Map<String, Object> json = V3Shapes.resource("KafkaConsumer", self,
                V3Shapes.crn(exchange, "consumer-group", group.groupId(), "consumer", member.consumerId()));
        json.put("cluster_id", exchange.clusterId());
        json.put("consumer_group_id", group.groupId());
        json.put("consumer_id", member.consumerId());
        json.put("instance_id", member.instanceId());
        json.put("client_id", member.clientId());
        json.put("assignments", V3Shapes.related(self + "/assignments"));
        return json;
    }

    private Reply listAssignments(Exchange exchange) {
        GroupsView.Group group = requireGroup(exchange);
        GroupsView.Member member = requireMember(exchange, group);
        List<Object> data = new ArrayList<>();
        member.assignment().forEach(partition -> data.add(assignment(exchange, group, member, partition)));
        return ok(V3Shapes.list("KafkaConsumerAssignmentList",
                consumerUrl(exchange, group.groupId(), member.consumerId()) + "/assignments", data));
    }

    private Reply getAssignment(Exchange exchange) {
        GroupsView.Group group = requireGroup(exchange);
        GroupsView.Member member = requireMember(exchange, group);
        TopicPartition partition = pathPartition(exchange);
        if (!member.assignment().contains(partition)) {
            throw notFound("consumer '" + member.consumerId() + "' of consumer group '" + group.groupId()
                    + "' is not assigned " + partition + "; it is assigned " + member.assignment());
        }
        return ok(assignment(exchange, group, member, partition));
    }

    private static Map<String, Object> assignment(Exchange exchange, GroupsView.Group group, GroupsView.Member member,
                                                  TopicPartition partition) {
        String self = consumerUrl(exchange, group.groupId(), member.consumerId()) + "/assignments/"
                + segment(partition.topic()) + "/partitions/" + partition.partition();
        Map<String, Object> json = V3Shapes.resource("KafkaConsumerAssignment", self,
                V3Shapes.crn(exchange, "consumer-group", group.groupId(), "consumer", member.consumerId(),
                        "assignment", partition.topic(), "partition", Integer.toString(partition.partition())));
        json.put("cluster_id", exchange.clusterId());
        json.put("consumer_group_id", group.groupId());
        json.put("consumer_id", member.consumerId());
        json.put("topic_name", partition.topic());
        json.put("partition_id", partition.partition());
        json.put("partition", V3Shapes.related(partitionUrl(exchange, partition)));
        json.put("lag", V3Shapes.related(lagUrl(exchange, group.groupId(), partition)));
        return json;
    }

    // ---- lags ----

    /** Largest lag first, then by topic and partition, as REST Proxy orders them. */
    private Reply listLags(Exchange exchange) {
        GroupsView.Group group = requireGroup(exchange);
        List<GroupsView.Lag> lags = new ArrayList<>(requireLags(group));
        lags.sort(Comparator.comparingLong(GroupsView.Lag::lag).reversed()
                .thenComparing(lag -> lag.partition().topic()).thenComparingInt(lag -> lag.partition().partition()));
        List<Object> data = new ArrayList<>();
        lags.forEach(lag -> data.add(lag(exchange, group, lag)));
        return ok(V3Shapes.list("KafkaConsumerLagList", groupUrl(exchange, group.groupId()) + "/lags", data));
    }

    private Reply getLag(Exchange exchange) {
        GroupsView.Group group = requireGroup(exchange);
        TopicPartition partition = pathPartition(exchange);
        GroupsView.Lag lag = groups.lags(group).stream().filter(each -> each.partition().equals(partition)).findFirst()
                .orElseThrow(() -> notFound("consumer group '" + group.groupId() + "' has committed no offset for "
                        + partition + ", so it has no lag there; GET .../lags lists the partitions it has"));
        return ok(lag(exchange, group, lag));
    }

    private static Map<String, Object> lag(Exchange exchange, GroupsView.Group group, GroupsView.Lag lag) {
        TopicPartition partition = lag.partition();
        Map<String, Object> json = V3Shapes.resource("KafkaConsumerLag", lagUrl(exchange, group.groupId(), partition),
                V3Shapes.crn(exchange, "consumer-group", group.groupId(), "lag", partition.topic(),
                        "partition", Integer.toString(partition.partition())));
        json.put("cluster_id", exchange.clusterId());
        json.put("consumer_group_id", group.groupId());
        json.put("topic_name", partition.topic());
        json.put("partition_id", partition.partition());
        // an unowned partition: REST Proxy's empty ids, since the fields are required
        json.put("consumer_id", lag.owner().map(GroupsView.Member::consumerId).orElse(""));
        json.put("instance_id", lag.owner().map(GroupsView.Member::instanceId).orElse(null));
        json.put("client_id", lag.owner().map(GroupsView.Member::clientId).orElse(""));
        json.put("current_offset", lag.currentOffset());
        json.put("log_end_offset", lag.logEndOffset());
        json.put("lag", lag.lag());
        return json;
    }

    /**
     * The largest lag and the sum, each partition's lag counted from 0 (a commit past the end is no negative lag);
     * the first partition in topic and partition order wins a tie.
     */
    private Reply getLagSummary(Exchange exchange) {
        GroupsView.Group group = requireGroup(exchange);
        GroupsView.Lag max = null;
        long total = 0;
        for (GroupsView.Lag lag : requireLags(group)) {
            long counted = Math.max(0, lag.lag());
            total += counted;
            if (max == null || counted > Math.max(0, max.lag())) {
                max = lag;
            }
        }
        String self = groupUrl(exchange, group.groupId()) + "/lag-summary";
        Map<String, Object> json = V3Shapes.resource("KafkaConsumerGroupLagSummary", self,
                V3Shapes.crn(exchange, "consumer-group", group.groupId()) + "/lag-summary");
        String consumerId = max.owner().map(GroupsView.Member::consumerId).orElse("");
        json.put("cluster_id", exchange.clusterId());
        json.put("consumer_group_id", group.groupId());
        json.put("max_lag_consumer_id", consumerId);
        json.put("max_lag_instance_id", max.owner().map(GroupsView.Member::instanceId).orElse(null));
        json.put("max_lag_client_id", max.owner().map(GroupsView.Member::clientId).orElse(""));
        json.put("max_lag_topic_name", max.partition().topic());
        json.put("max_lag_partition_id", max.partition().partition());
        json.put("max_lag", Math.max(0, max.lag()));
        json.put("total_lag", total);
        json.put("max_lag_consumer", V3Shapes.related(consumerUrl(exchange, group.groupId(), consumerId)));
        json.put("max_lag_partition", V3Shapes.related(partitionUrl(exchange, max.partition())));
        return ok(json);
    }

    /** A group's lags; one with no committed offset has none to show, and REST Proxy answers 404. */
    private List<GroupsView.Lag> requireLags(GroupsView.Group group) {
        List<GroupsView.Lag> lags = groups.lags(group);
        if (lags.isEmpty()) {
            throw notFound("consumer group '" + group.groupId() + "' has committed no offsets, so it has no lag;"
                    + " a lag is the end offset minus the committed offset");
        }
        return lags;
    }

    // ---- lookups and links ----

    private GroupsView.Group requireGroup(Exchange exchange) {
        TopicRoutes.requireCluster(exchange);
        String groupId = exchange.path("group");
        return groups.group(groupId).orElseThrow(() -> new HttpError(404, Errors.GROUP_ID_NOT_FOUND,
                "there is no consumer group '" + groupId + "': a group exists while it has members or committed"
                        + " offsets; GET /v3/clusters/" + exchange.path("cluster") + "/consumer-groups lists them"));
    }

    private static GroupsView.Member requireMember(Exchange exchange, GroupsView.Group group) {
        String consumerId = exchange.path("consumer");
        return group.member(consumerId).orElseThrow(() -> new HttpError(404, Errors.UNKNOWN_MEMBER_ID,
                "consumer group '" + group.groupId() + "' has no consumer '" + consumerId + "'; its consumers are "
                        + group.members().stream().map(GroupsView.Member::consumerId).toList()));
    }

    /** {@code {topic}/partitions/{partition}}; a partition that is not a number names nothing, hence a 404. */
    private static TopicPartition pathPartition(Exchange exchange) {
        String text = exchange.path("partition");
        Optional<Long> number = Exchange.wholeNumber(text).filter(p -> p >= 0 && p <= Integer.MAX_VALUE);
        return new TopicPartition(exchange.path("topic"), number.map(Long::intValue).orElseThrow(() ->
                notFound("partition '" + text + "' must be a whole number, 0 or more")));
    }

    private static HttpError notFound(String message) {
        return new HttpError(404, Errors.UNKNOWN_TOPIC_OR_PARTITION, message);
    }

    private static Reply ok(Map<String, Object> json) {
        return Reply.json(200, Json.write(json));
    }

    private static String groupUrl(Exchange exchange, String groupId) {
        return V3Shapes.clusterUrl(exchange) + "/consumer-groups/" + segment(groupId);
    }

    private static String consumerUrl(Exchange exchange, String groupId, String consumerId) {
        return groupUrl(exchange, groupId) + "/consumers/" + segment(consumerId);
    }

    private static String lagUrl(Exchange exchange, String groupId, TopicPartition partition) {
        return groupUrl(exchange, groupId) + "/lags/" + segment(partition.topic()) + "/partitions/" + partition.partition();
    }

    private static String partitionUrl(Exchange exchange, TopicPartition partition) {
        return V3Shapes.clusterUrl(exchange) + "/topics/" + segment(partition.topic()) + "/partitions/" + partition.partition();
    }

    /** A group or member id as one path segment: any character a client chose, escaped. */
    private static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
