package toykafka.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import toykafka.common.OffsetReset;
import toykafka.common.TopicPartition;
import toykafka.lesson05.ConsumerRecord;

/**
 * Kafka's {@code KafkaConsumer} in a group, for the broker over HTTP: it joins the group for its topics,
 * {@link #poll} long-polls the partitions the group gives it, {@link #commitSync} commits what it has
 * handed out, and a background thread calls on its instance while the application is busy between polls,
 * so the broker keeps it (it deletes an instance left alone for consumer.instance.timeout.ms).
 * {@link #close} leaves the group, so the others take over its partitions at once.
 */
public final class HttpConsumer implements AutoCloseable {

    /** Kafka's default max.poll.records: the most records one {@link #poll(Duration)} returns. */
    public static final int MAX_POLL_RECORDS = 500;

    private final BrokerConnection broker;
    private final String member;
    private final Map<TopicPartition, Long> positions = new TreeMap<>(); // the next offset, after what poll returned
    private final Thread heartbeats;
    private volatile boolean closed;

    /**
     * Joins {@code group} as a member named {@code name} (null for one the broker picks), reading
     * {@code topics}, starting where the group committed or else where {@code reset} says.
     */
    public HttpConsumer(String address, String group, String name, OffsetReset reset, Set<String> topics,
                        Duration heartbeatInterval) {
        this.broker = new BrokerConnection(address);
        Objects.requireNonNull(reset, "auto.offset.reset");
        if (topics == null || topics.isEmpty()) {
            throw new IllegalArgumentException("a consumer must read at least one topic");
        }
        if (heartbeatInterval == null || heartbeatInterval.toMillis() < 1) {
            throw new IllegalArgumentException("heartbeat.interval.ms must be 1 or more, was "
                    + (heartbeatInterval == null ? "null" : heartbeatInterval.toMillis()));
        }
        String body = "{" + (name == null ? "" : "\"name\":" + BrokerConnection.quote(name) + ",")
                + "\"format\":\"binary\",\"auto.offset.reset\":\"" + reset.configValue() + "\"}";
        String id = broker.call("POST", "/consumers/" + BrokerConnection.segment(group), body).body()
                .get("instance_id").asText();
        this.member = "/consumers/" + BrokerConnection.segment(group) + "/instances/" + BrokerConnection.segment(id);
        List<String> names = topics.stream().map(BrokerConnection::quote).toList();
        try {
            broker.call("POST", member + "/subscription", "{\"topics\":[" + String.join(",", names) + "]}");
        } catch (RuntimeException refused) {
            try {
                broker.call("DELETE", member, null); // a consumer that could not subscribe leaves no member behind
            } catch (RuntimeException gone) {
                refused.addSuppressed(gone);
            }
            throw refused;
        }
        this.heartbeats = new Thread(() -> beat(heartbeatInterval), "toykafka-http-consumer-heartbeat");
        heartbeats.setDaemon(true);
        heartbeats.start();
    }

    private void beat(Duration interval) {
        while (!closed) {
            try {
                Thread.sleep(interval.toMillis());
                if (!closed) {
                    broker.call("GET", member + "/assignments", null); // any call keeps the instance
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException missed) {
                // the next poll says what went wrong, in the application's thread
            }
        }
    }

    /** Up to {@link #MAX_POLL_RECORDS} records from the member's partitions, waiting up to {@code timeout} for some. */
    public List<ConsumerRecord> poll(Duration timeout) {
        return poll(timeout, MAX_POLL_RECORDS);
    }

    /** Up to {@code maxRecords} records from the member's partitions, waiting up to {@code timeout} for some. */
    public synchronized List<ConsumerRecord> poll(Duration timeout, int maxRecords) {
        requireOpen();
        JsonNode records = broker.call("GET", member + "/records?max_records=" + maxRecords
                + "&timeout=" + Math.min(timeout.toMillis(), 60_000), null, BrokerConnection.BINARY_V2).body();
        List<ConsumerRecord> polled = new ArrayList<>(records.size());
        for (JsonNode json : records) {
            TopicPartition partition = new TopicPartition(json.get("topic").asText(), json.get("partition").asInt());
            long offset = json.get("offset").asLong();
            polled.add(new ConsumerRecord(partition, offset, BrokerConnection.record(json)));
            positions.put(partition, offset + 1);
        }
        return polled;
    }

    /**
     * Commits, for each partition, the offset after the last record poll returned (or where seek moved it);
     * on disk when it returns.
     */
    public synchronized void commitSync() {
        requireOpen();
        positions.keySet().retainAll(assignment()); // a partition the group moved elsewhere is no longer ours to commit
        if (positions.isEmpty()) {
            return;
        }
        List<String> entries = new ArrayList<>();
        // REST Proxy takes the last record processed, and commits the offset after it
        positions.forEach((partition, offset) -> entries.add("{\"topic\":" + BrokerConnection.quote(partition.topic())
                + ",\"partition\":" + partition.partition() + ",\"offset\":" + (offset - 1) + "}"));
        broker.call("POST", member + "/offsets", "{\"offsets\":[" + String.join(",", entries) + "]}");
    }

    /** The next poll reads this partition from {@code offset}, and the next commit commits it from there. */
    public synchronized void seek(TopicPartition partition, long offset) {
        requireOpen();
        broker.call("POST", member + "/positions", "{\"offsets\":[{\"topic\":" + BrokerConnection.quote(partition.topic())
                + ",\"partition\":" + partition.partition() + ",\"offset\":" + offset + "}]}");
        positions.put(partition, offset);
    }

    /** The partitions the group gives this member now. */
    public List<TopicPartition> assignment() {
        requireOpen();
        List<TopicPartition> owned = new ArrayList<>();
        for (JsonNode partition : broker.call("GET", member + "/assignments", null).body().get("partitions")) {
            owned.add(new TopicPartition(partition.get("topic").asText(), partition.get("partition").asInt()));
        }
        return owned;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this consumer is closed");
        }
    }

    /** Stops the heartbeats and leaves the group. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        heartbeats.interrupt();
        try {
            broker.call("DELETE", member, null);
        } catch (RuntimeException alreadyGone) {
            // the group dropped it already, or the broker is gone: either way it is out of the group
        }
    }

    @Override
    public String toString() {
        return "HttpConsumer[" + member + " at " + broker.address() + "]";
    }
}
