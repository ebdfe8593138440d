package toykafka.broker.stats;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * What the broker counts about its own work, per topic: records and bytes in and out, and requests refused.
 * Counting is a few adds per request; the broker writes a snapshot to its statistics topic on a schedule,
 * as Kaf writes its own log {@code _kaf}. Kafka's counterpart is {@code BrokerTopicStats} (its
 * {@code MessagesInPerSec}, {@code BytesInPerSec}, {@code BytesOutPerSec} and failed-request meters).
 *
 * <p>Only topics the broker has get counters: a refusal naming a topic that does not exist is counted once
 * for all such names, so made-up names cannot grow the counters (or the statistics record) without end.
 */
public final class BrokerStats {

    /** One topic's counts since the broker started. */
    public record TopicCounts(long recordsIn, long bytesIn, long recordsOut, long bytesOut, long errors) {
    }

    private static final class Counters {
        final LongAdder recordsIn = new LongAdder();
        final LongAdder bytesIn = new LongAdder();
        final LongAdder recordsOut = new LongAdder();
        final LongAdder bytesOut = new LongAdder();
        final LongAdder errors = new LongAdder();
    }

    private final Map<String, Counters> topics = new ConcurrentHashMap<>();
    private final LongAdder refusedUnknownTopics = new LongAdder();
    private final Predicate<String> isTopic;

    /** @param isTopic whether the broker has a topic of this name now */
    public BrokerStats(Predicate<String> isTopic) {
        this.isTopic = isTopic;
    }

    public void produced(String topic, long records, long bytes) {
        Counters counters = counters(topic);
        counters.recordsIn.add(records);
        counters.bytesIn.add(bytes);
    }

    public void consumed(String topic, long records, long bytes) {
        Counters counters = counters(topic);
        counters.recordsOut.add(records);
        counters.bytesOut.add(bytes);
    }

    /** A request about this topic was refused; one about a topic the broker does not have counts without a name. */
    public void refused(String topic) {
        Counters counters = topic == null ? null : topics.get(topic);
        if (counters == null && topic != null && isTopic.test(topic)) {
            counters = counters(topic);
        }
        if (counters == null) {
            refusedUnknownTopics.increment();
        } else {
            counters.errors.increment();
        }
    }

    // tag::refused-read[]
    /**
     * The hook for a front end that refuses a read after the data path answered it (HTTP's 406: a record
     * that cannot be shown in the format asked for): the records and bytes the data path counted out were
     * never delivered, so they are taken back, and the read counts as refused.
     */
    public void refusedRead(String topic, long records, long bytes) {
        Counters counters = topics.get(topic);
        if (counters != null) {
            counters.recordsOut.add(-records);
            counters.bytesOut.add(-bytes);
        }
        refused(topic);
    }
    // end::refused-read[]

    /** A deleted topic's counters go with it. */
    public void forget(String topic) {
        topics.remove(topic);
    }

    private Counters counters(String topic) {
        return topics.computeIfAbsent(topic, name -> new Counters());
    }

    /** Requests refused that named a topic the broker does not have (or none), since it started. */
    public long refusedUnknownTopics() {
        return refusedUnknownTopics.sum();
    }

    /** Every topic's counts now, by name. */
    public SortedMap<String, TopicCounts> snapshot() {
        SortedMap<String, TopicCounts> snapshot = new TreeMap<>();
        topics.forEach((topic, c) -> snapshot.put(topic, new TopicCounts(c.recordsIn.sum(), c.bytesIn.sum(),
                c.recordsOut.sum(), c.bytesOut.sum(), c.errors.sum())));
        return snapshot;
    }
}
