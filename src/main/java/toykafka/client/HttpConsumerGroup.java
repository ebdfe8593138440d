package toykafka.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import toykafka.common.CommitFailedException;
import toykafka.common.NoOffsetForPartitionException;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetReset;
import toykafka.common.TopicPartition;
import toykafka.lesson05.ConsumerGroup;

/**
 * Lesson 5's consumer group, kept by a broker and reached over HTTP. Kafka has no one class for this:
 * {@link #join}, {@link #heartbeat}, {@link #leave} and {@link #commit} are the requests a
 * {@code KafkaConsumer} sends for its member (JoinGroup, Heartbeat, LeaveGroup, OffsetCommit), and the
 * members, generation, assignment and committed offsets are what {@code Admin.describeConsumerGroups} and
 * {@code listConsumerGroupOffsets} show. Where to start and how far behind the group is are worked out
 * here, from the committed offsets and each partition's offsets, as Kafka's consumer applies
 * auto.offset.reset itself and {@code kafka-consumer-groups.sh} computes lag.
 *
 * <p>What it hides: the broker keeps a member as a consumer instance that is created, then subscribed;
 * a join here is both, or neither. The broker chooses the assignor ({@link #assignor()}) and the session
 * timeout (its session.timeout.ms) for every group.
 */
public final class HttpConsumerGroup implements ConsumerGroup {

    private static final String GROUPS = "/v3/clusters/toykafka/consumer-groups";

    private final BrokerConnection broker;
    private final String groupId;
    private final OffsetReset reset;

    /** The group {@code groupId} on the broker at {@code address}; its members start where {@code reset} says. */
    public HttpConsumerGroup(String address, String groupId, OffsetReset reset) {
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("a consumer group needs a group.id that is not blank, was "
                    + (groupId == null ? "null" : "'" + groupId + "'"));
        }
        this.broker = new BrokerConnection(address);
        this.groupId = groupId;
        this.reset = Objects.requireNonNull(reset, "auto.offset.reset");
    }

    @Override
    public String groupId() {
        return groupId;
    }

    private String member(String memberId) {
        return "/consumers/" + BrokerConnection.segment(groupId) + "/instances/" + BrokerConnection.segment(memberId);
    }

    @Override
    public void join(String memberId, Set<String> topics) {
        if (memberId == null || memberId.isBlank()) { // the broker would pick an id: here the caller names the member
            throw new IllegalArgumentException("a member needs an id that is not blank, was "
                    + (memberId == null ? "null" : "'" + memberId + "'"));
        }
        if (topics == null || topics.isEmpty()) {
            throw new IllegalArgumentException("member '" + memberId + "' must read at least one topic");
        }
        broker.call("POST", "/consumers/" + BrokerConnection.segment(groupId), "{\"name\":" + BrokerConnection.quote(memberId)
                + ",\"auto.offset.reset\":\"" + reset.configValue() + "\"}");
        List<String> names = new TreeSet<>(topics).stream().map(BrokerConnection::quote).toList();
        try {
            broker.call("POST", member(memberId) + "/subscription", "{\"topics\":[" + String.join(",", names) + "]}");
        } catch (RuntimeException refused) {
            try {
                leave(memberId); // a refused join leaves no member behind
            } catch (RuntimeException gone) {
                refused.addSuppressed(gone);
            }
            throw refused;
        }
    }

    /** Any call on an instance is a heartbeat: this one asks for its partitions, and drops the answer. */
    @Override
    public void heartbeat(String memberId) {
        broker.call("GET", member(memberId) + "/assignments", null);
    }

    @Override
    public void leave(String memberId) {
        broker.call("DELETE", member(memberId), null);
    }

    private String group() {
        return GROUPS + "/" + BrokerConnection.segment(groupId);
    }

    /** A v3 list's entries under the group, none when the broker knows no such group (or, for lags, no commit). */
    private List<JsonNode> entries(String path) {
        List<JsonNode> entries = new ArrayList<>();
        broker.find(group() + path).ifPresent(list -> list.get("data").forEach(entries::add));
        return entries;
    }

    @Override
    public List<String> members() {
        return List.copyOf(assignment().keySet());
    }

    @Override
    public int generation() {
        return broker.find(group()).map(group -> group.get("generation").asInt()).orElse(0);
    }

    /** Each member by the name it was made with (REST Proxy's client_id), and the partitions it owns. */
    @Override
    public SortedMap<String, List<TopicPartition>> assignment() {
        SortedMap<String, List<TopicPartition>> assignment = new TreeMap<>();
        for (JsonNode consumer : entries("/consumers")) {
            List<TopicPartition> partitions = new ArrayList<>();
            entries("/consumers/" + BrokerConnection.segment(consumer.get("consumer_id").asText()) + "/assignments")
                    .forEach(owned -> partitions.add(partition(owned)));
            assignment.put(consumer.get("client_id").asText(), partitions);
        }
        return assignment;
    }

    /** The name of the assignor the broker shares out partitions with, such as "range". */
    public String assignor() {
        return broker.find(group()).map(group -> group.get("partition_assignor").asText()).orElse("");
    }

    private static TopicPartition partition(JsonNode json) {
        return new TopicPartition(json.get("topic_name").asText(), json.get("partition_id").asInt());
    }

    /**
     * Lesson 5's group takes a commit from the partition's owner only. Kafka's coordinator, and REST Proxy over
     * it, fence a commit by generation alone, so this client applies lesson 5's rule before it commits.
     */
    @Override
    public void commit(String memberId, TopicPartition partition, long nextOffset) {
        SortedMap<String, List<TopicPartition>> owners = assignment();
        if (owners.containsKey(memberId) && !owners.get(memberId).contains(partition)) { // no member: the broker says
            String owner = owners.entrySet().stream().filter(member -> member.getValue().contains(partition))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            throw CommitFailedException.notOwner(groupId, memberId, partition, owner, generation());
        }
        broker.call("POST", member(memberId) + "/offsets", "{\"offsets\":[{\"topic\":" + BrokerConnection.quote(partition.topic())
                + ",\"partition\":" + partition.partition() + ",\"offset\":" + (nextOffset - 1) + "}]}"); // REST Proxy's: the last processed
    }

    /** The group's committed offsets, as its lags name them (current_offset). */
    private SortedMap<TopicPartition, Long> committedOffsets() {
        SortedMap<TopicPartition, Long> committed = new TreeMap<>();
        entries("/lags").forEach(lag -> committed.put(partition(lag), lag.get("current_offset").asLong()));
        return committed;
    }

    @Override
    public OptionalLong committed(TopicPartition partition) {
        Long offset = committedOffsets().get(partition);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    @Override
    public long startingOffset(TopicPartition partition) {
        BrokerConnection.Offsets log = broker.partition(partition.topic(), partition.partition());
        OptionalLong committed = committed(partition);
        if (committed.isPresent() && committed.getAsLong() >= log.logStart() && committed.getAsLong() <= log.end()) {
            return committed.getAsLong();
        }
        return switch (reset) {
            case EARLIEST -> log.logStart();
            case LATEST -> log.end();
            case NONE -> throw committed.isEmpty() ? NoOffsetForPartitionException.of(groupId, partition)
                    : OffsetOutOfRangeException.of(committed.getAsLong(), log.logStart(), log.end());
        };
    }

    @Override
    public long lag(TopicPartition partition) {
        return lag(broker.partition(partition.topic(), partition.partition()), committed(partition));
    }

    private static long lag(BrokerConnection.Offsets log, OptionalLong committed) {
        return log.end() - Math.max(log.logStart(), committed.orElse(log.logStart()));
    }

    /** Sums the lag of every partition of the topics the members read and the topics the group committed in. */
    @Override
    public long lag() {
        SortedMap<TopicPartition, Long> committed = committedOffsets();
        Set<String> topics = new TreeSet<>();
        assignment().values().forEach(owned -> owned.forEach(partition -> topics.add(partition.topic())));
        committed.keySet().forEach(partition -> topics.add(partition.topic()));
        long total = 0;
        for (String topic : topics) {
            List<BrokerConnection.Offsets> partitions = broker.partitions(topic);
            for (int p = 0; p < partitions.size(); p++) {
                Long offset = committed.get(new TopicPartition(topic, p));
                total += lag(partitions.get(p), offset == null ? OptionalLong.empty() : OptionalLong.of(offset));
            }
        }
        return total;
    }

    @Override
    public String toString() {
        return "HttpConsumerGroup[" + groupId + " at " + broker.address() + ", auto.offset.reset=" + reset.configValue() + "]";
    }
}
