package toykafka.lesson08;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import toykafka.common.Failures;

/**
 * A log's segments by base offset, the active one last. Kafka's {@code LogSegments}. Not thread-safe: used only
 * under the log's lock.
 */
final class LogSegments {

    // tag::segments[]
    private final TreeMap<Long, Segment> byBase = new TreeMap<>();
    private Segment active;

    /** The segments recovery loaded, at least one: the newest is the active one. */
    LogSegments(List<Segment> loaded) {
        loaded.forEach(segment -> byBase.put(segment.baseOffset(), segment));
        active = byBase.lastEntry().getValue();
    }

    TreeMap<Long, Segment> byBase() {
        return byBase;
    }

    Segment active() {
        return active;
    }

    /** {@code next} becomes the active segment; the one before it is sealed and no longer held open for appends. */
    void roll(Segment next) {
        byBase.put(next.baseOffset(), next);
        active.sealedForAppends();
        active = next;
    }
    // end::segments[]

    /** Takes {@code old} out and puts {@code replacement} in; closing {@code old} is the caller's. */
    void replace(List<Segment> old, Segment replacement) {
        old.forEach(segment -> byBase.remove(segment.baseOffset()));
        byBase.put(replacement.baseOffset(), replacement);
    }

    /** The bytes of the segments' {@code .log} files. */
    long bytes() {
        long bytes = 0;
        for (Segment segment : byBase.values()) {
            bytes += segment.size();
        }
        return bytes;
    }

    List<SegmentInfo> infos() {
        return byBase.values().stream().map(Segment::info).toList();
    }

    /** Closes every segment, even if some fail; returns the first failure, with the others added. */
    <E extends Exception> E closeAll(E failed) {
        return Failures.closeAll(new ArrayList<>(byBase.values()), failed);
    }
}
