package toykafka.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetReset;
import toykafka.common.Record;
import toykafka.lesson02.EventAt;
import toykafka.lesson02.EventConsumer;

/**
 * Lesson 2's consumer of one partition, reading from a broker over HTTP: Kafka's {@code KafkaConsumer}
 * given a partition with {@code assign} rather than a group, so it commits nothing and shares with no one.
 * It keeps its own position, asks for up to max.poll.records from there, and moves to where the broker
 * says the next read starts. What it hides: a position the broker refuses as out of range is reset the
 * way auto.offset.reset says, to the range the refusal names, without another request to find it.
 */
public final class HttpPartitionConsumer implements EventConsumer<Record> {

    private static final long NO_POSITION = -1;
    /** The most records the broker returns to one read. */
    private static final int MOST_PER_READ = 10_000;

    private final BrokerConnection broker;
    private final String topic;
    private final int partition;
    private final OffsetReset reset;
    private final int maxPollRecords;
    private long position;

    /** Reads {@code topic}'s {@code partition} on the broker at {@code address}, starting where {@code reset} says. */
    public HttpPartitionConsumer(String address, String topic, int partition, OffsetReset reset, int maxPollRecords) {
        if (maxPollRecords < 1 || maxPollRecords > MOST_PER_READ) {
            throw new IllegalArgumentException("max.poll.records must be from 1 to " + MOST_PER_READ + " (the most"
                    + " one read returns), was " + maxPollRecords);
        }
        this.broker = new BrokerConnection(address);
        this.topic = Objects.requireNonNull(topic, "topic");
        this.partition = partition;
        this.reset = Objects.requireNonNull(reset, "auto.offset.reset");
        this.maxPollRecords = maxPollRecords;
        BrokerConnection.Offsets log = broker.partition(topic, partition); // an unknown partition is refused now
        this.position = switch (reset) {
            case EARLIEST -> log.logStart();
            case LATEST -> log.end();
            case NONE -> NO_POSITION;
        };
    }

    /** Up to max.poll.records records from the position on; empty at once if there are none yet. */
    @Override
    public List<EventAt<Record>> poll() {
        return poll(Duration.ZERO);
    }

    /** As {@link #poll()}, but at the end of the partition waits up to {@code timeout} for records to arrive. */
    public List<EventAt<Record>> poll(Duration timeout) {
        requirePosition();
        long wait = Math.min(Math.max(0, timeout.toMillis()), 60_000);
        BrokerConnection.Answer answer;
        try {
            answer = read(position, wait);
        } catch (OffsetOutOfRangeException refused) { // auto.offset.reset, applied to the range the broker named
            position = reset.applyTo(refused.requested(), refused.logStartOffset(), refused.logEndOffset());
            answer = read(position, wait);
        }
        List<EventAt<Record>> batch = new ArrayList<>();
        for (JsonNode json : answer.body()) {
            batch.add(new EventAt<>(json.get("offset").asLong(), BrokerConnection.record(json)));
        }
        position = Long.parseLong(answer.header("X-Next-Offset"));
        return batch;
    }

    private BrokerConnection.Answer read(long from, long waitMs) {
        return broker.call("GET", "/topics/" + BrokerConnection.segment(topic) + "/partitions/" + partition
                + "/records?format=binary&offset=" + from + "&max_records=" + maxPollRecords + "&timeout=" + waitMs, null);
    }

    @Override
    public long position() {
        requirePosition();
        return position;
    }

    /**
     * Moves the position. A negative index such as -1 (the latest record) is turned into its offset now; an
     * offset past the end is kept, as Kafka keeps it, and the next poll applies auto.offset.reset.
     */
    @Override
    public void seek(long offsetOrIndex) {
        if (offsetOrIndex >= 0) {
            position = offsetOrIndex;
            return;
        }
        BrokerConnection.Offsets log = broker.partition(topic, partition);
        long offset = log.end() + offsetOrIndex;
        if (offset < log.logStart()) {
            throw OffsetOutOfRangeException.of(offsetOrIndex, log.logStart(), log.end());
        }
        position = offset;
    }

    @Override
    public long lag() {
        requirePosition();
        return Math.max(0, broker.partition(topic, partition).end() - position);
    }

    private void requirePosition() {
        if (position == NO_POSITION) {
            throw new IllegalStateException("this consumer of " + topic + "-" + partition + " has no position yet:"
                    + " with auto.offset.reset=none, call seek(offset) before poll()");
        }
    }

    @Override
    public String toString() {
        return "HttpPartitionConsumer[" + topic + "-" + partition + " at " + broker.address() + ", position "
                + (position == NO_POSITION ? "none" : String.valueOf(position)) + ", auto.offset.reset="
                + reset.configValue() + ", max.poll.records=" + maxPollRecords + "]";
    }
}
