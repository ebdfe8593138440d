package toykafka.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.common.Record;
import toykafka.common.RecordLog;
import toykafka.common.RecordMetadata;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson04.TopicDescription;
import toykafka.lesson04.Topics;

/**
 * Lesson 4's topics, kept by a broker and reached over HTTP: what Kafka's {@code Admin} client does for
 * topics, plus the producer's appends. The broker's own topics ({@code __consumer_offsets},
 * {@code __broker_stats}) are left out of the list, as {@code Admin.listTopics()} leaves out Kafka's.
 */
public final class HttpTopics implements Topics {

    private final BrokerConnection broker;

    /** @param address the broker's address, such as http://127.0.0.1:8082 */
    public HttpTopics(String address) {
        this.broker = new BrokerConnection(address);
    }

    @Override
    public String createTopic(String name, int partitions, OnDuplicate onDuplicate) {
        Objects.requireNonNull(onDuplicate, "onDuplicate is null: pass OnDuplicate.FAIL or OnDuplicate.RENAME");
        String body = "{\"topic_name\":" + (name == null ? "null" : BrokerConnection.quote(name))
                + ",\"partitions_count\":" + partitions + ",\"on_duplicate\":\""
                + (onDuplicate == OnDuplicate.RENAME ? "rename" : "fail") + "\"}";
        return broker.call("POST", BrokerConnection.TOPICS, body).body().get("topic_name").asText();
    }

    /**
     * Creates a topic with a config of its own, as {@code Admin.createTopics} does with a {@code NewTopic}'s
     * configs; with {@code partitions} null the broker's num.partitions decides. Returns how many it has.
     */
    public int createTopic(String name, Integer partitions, Map<String, String> config) {
        String body = "{\"topic_name\":" + BrokerConnection.quote(name)
                + (partitions == null ? "" : ",\"partitions_count\":" + partitions)
                + ",\"configs\":" + configs(config) + "}";
        return broker.call("POST", BrokerConnection.TOPICS, body).body().get("partitions_count").asInt();
    }

    @Override
    public List<String> listTopics() {
        return listAllTopics().stream().filter(topic -> !topic.internal()).map(Listing::name).toList();
    }

    /** A topic as the broker lists it: its name, its partition count, and whether it is one of the broker's own. */
    public record Listing(String name, int partitions, boolean internal) {
    }

    /** Every topic, the broker's own among them: {@code Admin.listTopics} with {@code listInternal(true)}. */
    public List<Listing> listAllTopics() {
        List<Listing> topics = new ArrayList<>();
        for (JsonNode topic : broker.call("GET", BrokerConnection.TOPICS, null).body().get("data")) {
            topics.add(new Listing(topic.get("topic_name").asText(), topic.get("partitions_count").asInt(),
                    topic.get("is_internal").asBoolean()));
        }
        return topics;
    }

    /** Each partition's log start and end offsets, in partition order: what {@code Admin.listOffsets} tells. */
    public List<BrokerConnection.Offsets> offsets(String topic) {
        return broker.partitions(topic);
    }

    @Override
    public TopicDescription describeTopic(String name) {
        JsonNode topic = broker.call("GET", BrokerConnection.TOPICS + "/" + BrokerConnection.segment(name), null).body();
        SortedMap<String, String> config = new TreeMap<>();
        SortedMap<String, String> overrides = new TreeMap<>();
        for (JsonNode entry : broker.call("GET", BrokerConnection.TOPICS + "/" + BrokerConnection.segment(name) + "/configs", null).body().get("data")) {
            config.put(entry.get("name").asText(), entry.get("value").asText());
            if (!entry.get("is_default").asBoolean()) {
                overrides.put(entry.get("name").asText(), entry.get("value").asText());
            }
        }
        return new TopicDescription(name, topic.get("partitions_count").asInt(), config, overrides);
    }

    @Override
    public void replaceConfig(String topic, Map<String, String> config) {
        broker.call("PUT", BrokerConnection.TOPICS + "/" + BrokerConnection.segment(topic) + "/configs", configList(config));
    }

    @Override
    public void patchConfig(String topic, Map<String, String> changes) {
        broker.call("PATCH", BrokerConnection.TOPICS + "/" + BrokerConnection.segment(topic) + "/configs", configList(changes));
    }

    static String configList(Map<String, String> config) {
        return "{\"data\":" + configs(config) + "}";
    }

    /** A config as the broker takes it: a list of names with their values. */
    private static String configs(Map<String, String> config) {
        Objects.requireNonNull(config, "a config must not be null: pass an empty map to set nothing");
        List<String> entries = new ArrayList<>();
        config.forEach((key, value) -> entries.add("{\"name\":" + BrokerConnection.quote(key) + ",\"value\":"
                + (value == null ? "null" : BrokerConnection.quote(value)) + "}"));
        return "[" + String.join(",", entries) + "]";
    }

    @Override
    public void deleteTopic(String name) {
        broker.call("DELETE", BrokerConnection.TOPICS + "/" + BrokerConnection.segment(name), null);
    }

    /** Kafka's metadata request: creates an unknown topic if the broker's auto.create.topics.enable says so. */
    @Override
    public int partitionsFor(String topic) {
        return broker.call("GET", BrokerConnection.TOPICS + "/" + BrokerConnection.segment(topic) + "/partitions?auto_create=true", null)
                .body().get("data").size();
    }

    @Override
    public RecordMetadata appendAll(String topic, int partition, List<Record> records) {
        Objects.requireNonNull(records, "records must not be null: send a list of 1 or more");
        List<String> json = new ArrayList<>(records.size());
        for (Record record : records) {
            json.add(BrokerConnection.json(Objects.requireNonNull(record, "a record must not be null"), partition));
        }
        JsonNode first = broker.call("POST", BrokerConnection.TOPICS + "/" + BrokerConnection.segment(topic) + "/records",
                "[" + String.join(",", json) + "]").body().get(0);
        return new RecordMetadata(new TopicPartition(topic, first.get("partition_id").asInt()),
                first.get("offset").asLong(), java.time.Instant.parse(first.get("timestamp").asText()));
    }

    @Override
    public RecordLog log(String topic, int partition) {
        int partitions = partitionsFor(topic); // an unknown topic or partition is refused now, not at the first read
        if (partition < 0 || partition >= partitions) {
            throw toykafka.common.UnknownTopicOrPartitionException.unknownPartition(topic, partition, partitions);
        }
        return new HttpPartitionLog(broker, topic, partition, false);
    }

    @Override
    public String toString() {
        return "HttpTopics[" + broker.address() + "]";
    }
}
