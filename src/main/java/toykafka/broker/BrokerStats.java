package toykafka.broker;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the broker counts about its own work, per topic: records and bytes in and out, and requests refused.
 * Counting is a few adds per request; the broker writes a snapshot to its statistics topic on a schedule,
 * as Kaf writes its own log {@code _kaf}.
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

    void produced(String topic, long records, long bytes) {
        Counters counters = counters(topic);
        counters.recordsIn.add(records);
        counters.bytesIn.add(bytes);
    }

    void consumed(String topic, long records, long bytes) {
        Counters counters = counters(topic);
        counters.recordsOut.add(records);
        counters.bytesOut.add(bytes);
    }

    /** A request about this topic was refused. */
    public void refused(String topic) {
        counters(topic).errors.increment();
    }

    private Counters counters(String topic) {
        return topics.computeIfAbsent(topic, name -> new Counters());
    }

    /** Every topic's counts now, by name. */
    public SortedMap<String, TopicCounts> snapshot() {
        SortedMap<String, TopicCounts> snapshot = new TreeMap<>();
        topics.forEach((topic, c) -> snapshot.put(topic, new TopicCounts(c.recordsIn.sum(), c.bytesIn.sum(),
                c.recordsOut.sum(), c.bytesOut.sum(), c.errors.sum())));
        return snapshot;
    }
}
