package toykafka.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.Record;
import toykafka.common.RecordLog;
import toykafka.common.TopicConfig;

/**
 * One partition of a topic on a broker, as lesson 1's and lesson 8's log: every call is a request. The
 * same contract tests that the in-memory and file logs keep run against it, through HTTP.
 */
public final class HttpPartitionLog implements RecordLog {

    private final BrokerConnection broker;
    private final String topic;
    private final int partition;
    private final boolean writable;

    HttpPartitionLog(BrokerConnection broker, String topic, int partition, boolean writable) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.partition = partition;
        this.writable = writable;
    }

    /** A partition's log on the broker at {@code address}, to read and to append to. */
    public static HttpPartitionLog of(String address, String topic, int partition) {
        return new HttpPartitionLog(new BrokerConnection(address), topic, partition, true);
    }

    @Override
    public long appendAll(List<Record> records) {
        if (!writable) {
            throw new IllegalStateException("the log of " + topic + "-" + partition + " is for reading: append"
                    + " through Topics.append(topic, partition, record), which applies the topic's config");
        }
        Objects.requireNonNull(records, "a batch must not be null");
        if (records.isEmpty()) {
            throw new toykafka.common.InvalidRecordException("an empty batch has nothing to append");
        }
        List<String> json = new ArrayList<>(records.size());
        for (Record record : records) {
            json.add(BrokerConnection.json(Objects.requireNonNull(record, "a record must not be null"), partition));
        }
        JsonNode replies = broker.call("POST", BrokerConnection.TOPICS + "/" + BrokerConnection.segment(topic) + "/records",
                "[" + String.join(",", json) + "]").body();
        return replies.get(0).get("offset").asLong();
    }

    @Override
    public Record read(long offsetOrIndex) {
        long offset = resolve(offsetOrIndex);
        return readBatch(offset, 1).get(0);
    }

    @Override
    public List<Record> readBatch(long fromOffset, int maxRecords) {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("a batch holds at least 1 record; maxRecords was " + maxRecords);
        }
        long offset = fromOffset < 0 ? resolve(fromOffset) : fromOffset;
        JsonNode records;
        try {
            records = broker.call("GET", "/topics/" + BrokerConnection.segment(topic) + "/partitions/" + partition
                    + "/records?format=binary&timeout=0&max_records=" + Math.min(maxRecords, 10_000) + "&offset=" + offset,
                    null).body();
        } catch (OffsetOutOfRangeException refused) {
            // worded as every RecordLog words it: the offsets of the records held
            throw OffsetOutOfRangeException.of(refused.requested(), refused.logStartOffset(), refused.logEndOffset());
        }
        List<Record> read = new ArrayList<>();
        records.forEach(record -> read.add(BrokerConnection.record(record)));
        return read;
    }

    @Override
    public OptionalLong offsetForTime(Instant time) {
        JsonNode records = broker.call("GET", "/topics/" + BrokerConnection.segment(topic) + "/partitions/" + partition
                + "/records?format=binary&timeout=0&max_records=1&timestamp=" + time.toEpochMilli(), null).body();
        return records.isEmpty() ? OptionalLong.empty() : OptionalLong.of(records.get(0).get("offset").asLong());
    }

    @Override
    public TopicConfig config() {
        Map<String, String> overrides = new TreeMap<>();
        for (JsonNode entry : broker.call("GET", BrokerConnection.TOPICS + "/" + BrokerConnection.segment(topic) + "/configs", null).body().get("data")) {
            if (!entry.get("is_default").asBoolean()) {
                overrides.put(entry.get("name").asText(), entry.get("value").asText());
            }
        }
        return TopicConfig.of(overrides);
    }

    @Override
    public void reconfigure(TopicConfig config) {
        if (!writable) {
            throw new IllegalStateException("the log of " + topic + "-" + partition + " is for reading: change its"
                    + " config through Topics.patchConfig or Topics.replaceConfig");
        }
        broker.call("PUT", BrokerConnection.TOPICS + "/" + BrokerConnection.segment(topic) + "/configs", HttpTopics.configList(config.overrides()));
    }

    @Override
    public long earliest() {
        return broker.partition(topic, partition).logStart();
    }

    @Override
    public long endOffset() {
        return broker.partition(topic, partition).end();
    }

    @Override
    public void close() {
        // nothing is held open: each call is a request of its own
    }

    @Override
    public String toString() {
        return "HttpPartitionLog[" + topic + "-" + partition + " at " + broker.address() + "]";
    }
}
