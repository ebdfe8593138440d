package toykafka.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownTopicOrPartitionException;

/**
 * The broker's consumer groups, read over HTTP: what Kafka's {@code Admin} client reads for
 * kafka-consumer-groups.sh ({@code listConsumerGroups}, {@code describeConsumerGroups},
 * {@code listConsumerGroupOffsets} and {@code listOffsets}), through REST Proxy v3's read-only
 * consumer-group routes. A group of Kafka consumers and a group of REST consumer instances read the same:
 * both are members of the broker's one coordinator. Nothing here joins, commits or changes a group.
 */
public final class HttpGroups {

    private static final String GROUPS = "/v3/clusters/toykafka/consumer-groups";

    private final BrokerConnection broker;

    /** @param address the broker's address, such as http://127.0.0.1:8082 */
    public HttpGroups(String address) {
        this.broker = new BrokerConnection(address);
    }

    /** A group as the list shows it: its id, its state as the coordinator names it (STABLE, EMPTY...), its members. */
    public record Listing(String groupId, String state, int members) {
    }

    /**
     * One member: the id the coordinator gave it, a static member's {@code group.instance.id} (null for any other),
     * the client id it joined with (a REST instance's name, a Kafka consumer's client.id), and the partitions it was
     * assigned, in order.
     */
    public record Member(String memberId, String instanceId, String clientId, List<TopicPartition> assignment) {
    }

    /**
     * One partition of the group: its committed offset (none if the group has committed nothing there yet), the
     * partition's end offset, and the member that owns it, if any does.
     */
    public record Position(TopicPartition partition, OptionalLong committed, long end, Optional<Member> owner) {

        /** The end offset minus the committed offset, as kafka-consumer-groups.sh shows it; none without a commit. */
        public OptionalLong lag() {
            return committed.isPresent() ? OptionalLong.of(end - committed.getAsLong()) : OptionalLong.empty();
        }
    }

    /**
     * One group described. {@code assignor} is empty for a group that has chosen none (a group that only commits
     * offsets); {@code generation} is the course's addition, which Kafka's DescribeGroups leaves out.
     * {@code positions} are the partitions the group has committed offsets for or that a member owns, in topic
     * and partition order (an owned partition of a topic deleted since is left out: it has no end offset).
     */
    public record Description(String groupId, String state, String assignor, int generation, List<Member> members,
                              List<Position> positions) {
    }

    /** Every consumer group, in group id order, whoever made it: Kafka consumers, REST instances, commits alone. */
    public List<Listing> listGroups() {
        List<Listing> groups = new ArrayList<>();
        for (JsonNode group : broker.call("GET", GROUPS, null).body().get("data")) {
            String groupId = group.get("consumer_group_id").asText();
            // a group may be gone since the list was made: it then has no members to count
            int members = broker.find(group(groupId) + "/consumers").map(list -> list.get("data").size()).orElse(0);
            groups.add(new Listing(groupId, group.get("state").asText(), members));
        }
        return groups;
    }

    /** The group, or empty when the broker has no such group (REST Proxy's 404, where Kafka says Dead). */
    public Optional<Description> describe(String groupId) {
        Optional<JsonNode> found = broker.find(group(groupId));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        JsonNode group = found.get();
        List<Member> members = new ArrayList<>();
        for (JsonNode consumer : entries(groupId, "/consumers")) {
            String memberId = consumer.get("consumer_id").asText();
            List<TopicPartition> assignment = new ArrayList<>();
            entries(groupId, "/consumers/" + BrokerConnection.segment(memberId) + "/assignments")
                    .forEach(owned -> assignment.add(partition(owned)));
            JsonNode instance = consumer.get("instance_id");
            members.add(new Member(memberId, instance == null || instance.isNull() ? null : instance.asText(),
                    consumer.get("client_id").asText(), List.copyOf(assignment)));
        }
        return Optional.of(new Description(group.get("consumer_group_id").asText(), group.get("state").asText(),
                group.get("partition_assignor").asText(), group.get("generation").asInt(), List.copyOf(members),
                positions(groupId, members)));
    }

    /**
     * The committed partitions with their lags, as the broker worked them out, then each partition a member owns
     * without a commit, with its end offset asked of the topic: kafka-consumer-groups.sh shows both.
     */
    private List<Position> positions(String groupId, List<Member> members) {
        SortedMap<TopicPartition, Position> positions = new TreeMap<>();
        for (JsonNode lag : entries(groupId, "/lags")) { // none: the group has committed nothing (REST Proxy's 404)
            TopicPartition partition = partition(lag);
            positions.put(partition, new Position(partition, OptionalLong.of(lag.get("current_offset").asLong()),
                    lag.get("log_end_offset").asLong(), ownerOf(members, partition)));
        }
        Map<String, List<BrokerConnection.Offsets>> ends = new TreeMap<>();
        for (Member member : members) {
            for (TopicPartition partition : member.assignment()) {
                List<BrokerConnection.Offsets> topic = ends.computeIfAbsent(partition.topic(), this::offsets);
                if (!positions.containsKey(partition) && partition.partition() < topic.size()) {
                    positions.put(partition, new Position(partition, OptionalLong.empty(),
                            topic.get(partition.partition()).end(), Optional.of(member)));
                }
            }
        }
        return List.copyOf(positions.values());
    }

    /** A topic's partitions' offsets; none for a topic deleted since it was assigned, whose partitions have no end. */
    private List<BrokerConnection.Offsets> offsets(String topic) {
        try {
            return broker.partitions(topic);
        } catch (UnknownTopicOrPartitionException gone) {
            return List.of();
        }
    }

    private static Optional<Member> ownerOf(List<Member> members, TopicPartition partition) {
        return members.stream().filter(member -> member.assignment().contains(partition)).findFirst();
    }

    private static String group(String groupId) {
        return GROUPS + "/" + BrokerConnection.segment(groupId);
    }

    /** A v3 list's entries under the group; none when the broker answers 404. */
    private List<JsonNode> entries(String groupId, String path) {
        List<JsonNode> entries = new ArrayList<>();
        broker.find(group(groupId) + path).ifPresent(list -> list.get("data").forEach(entries::add));
        return entries;
    }

    private static TopicPartition partition(JsonNode json) {
        return new TopicPartition(json.get("topic_name").asText(), json.get("partition_id").asInt());
    }

    @Override
    public String toString() {
        return "HttpGroups[" + broker.address() + "]";
    }
}
