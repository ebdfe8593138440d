package toykafka.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import toykafka.common.Record;
import toykafka.lesson07.BatchingProducer;
import toykafka.lesson07.ConcurrentProducer;

/**
 * Kafka's {@code KafkaProducer} for the broker over HTTP: lesson 7's {@link BatchingProducer}, whose sender sends
 * each batch as one request. Any thread may send; records wait in a batch per partition until {@code batch.size}
 * records are there or {@code linger.ms} has passed; the one sender thread sends the batches one after another, so
 * a partition's records keep the order they were sent in.
 */
public final class HttpProducer implements ConcurrentProducer<Record> {

    /** The most records one request may carry. */
    private static final int MOST_PER_REQUEST = 10_000;

    private final BrokerConnection broker;
    private final String topic;
    private final int partitions;
    private final int batchSize;
    private final Duration linger;
    private final BatchingProducer<Record> batching;

    /**
     * @param batchSize most records in one request (Kafka's batch.size counts bytes; here it counts records)
     * @param linger    how long a record may wait for others to share its request (linger.ms)
     */
    public HttpProducer(String address, String topic, int batchSize, Duration linger) {
        this.broker = new BrokerConnection(address);
        this.topic = Objects.requireNonNull(topic, "topic");
        if (batchSize < 1 || batchSize > MOST_PER_REQUEST) {
            throw new IllegalArgumentException("batch.size must be from 1 to " + MOST_PER_REQUEST + " records, was "
                    + batchSize);
        }
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must be 0 or more, was " + linger);
        }
        this.batchSize = batchSize;
        this.linger = linger;
        this.partitions = new HttpTopics(address).partitionsFor(topic); // Kafka's first request: the metadata
        this.batching = new BatchingProducer<>(partitions, this::sendBatch, batchSize, linger,
                "toykafka-http-producer-" + topic);
    }

    /** How many partitions the topic had when the producer started: it sends to 0 up to one less. */
    public int partitions() {
        return partitions;
    }

    @Override
    public CompletableFuture<Long> send(int partition, Record record) {
        Objects.requireNonNull(record, "an event (record) must not be null");
        if (partition < 0 || partition >= partitions) { // Kafka's producer refuses it the same way
            throw new IllegalArgumentException("partition " + partition + " is not one of topic " + topic
                    + "'s partitions, 0.." + (partitions - 1));
        }
        return batching.send(partition, record);
    }

    @Override
    public void flush() {
        batching.flush();
    }

    /** One batch as one request; the broker writes all of it or none, so a refusal fails every record in it. */
    private void sendBatch(int partition, List<Record> records, LongConsumer written) {
        List<String> json = new ArrayList<>(records.size());
        records.forEach(record -> json.add(BrokerConnection.json(record, partition)));
        JsonNode replies = broker.call("POST", BrokerConnection.TOPICS + "/" + BrokerConnection.segment(topic)
                + "/records", "[" + String.join(",", json) + "]").body();
        for (int i = 0; i < records.size(); i++) {
            written.accept(replies.get(i).get("offset").asLong());
        }
    }

    /** How many requests the sender has made: fewer than records sent, when batching works. */
    public long batchesSent() {
        return batching.batchesSent();
    }

    /** Sends everything accepted, then stops the sender thread; sends after this are refused. */
    @Override
    public void close() {
        batching.close();
    }

    @Override
    public String toString() {
        return "HttpProducer[" + topic + " at " + broker.address() + ", batches of " + batchSize + ", linger "
                + linger.toMillis() + " ms]";
    }
}
