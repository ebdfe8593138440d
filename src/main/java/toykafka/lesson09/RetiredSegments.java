package toykafka.lesson09;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import toykafka.lesson08.Segment;

/**
 * Segments taken out of a log whose files stay open a while: a reader that found a segment just before it
 * was replaced reads on from the open files. Each is closed once it has been retired longer than Kafka's
 * {@code file.delete.delay.ms} (60 s), or when the log closes. Thread-safe.
 */
final class RetiredSegments {

    // tag::grace[]
    private static final long GRACE_NANOS = 60_000_000_000L;

    private record Retired(Segment segment, long atNanos) {
    }

    private final List<Retired> retired = new ArrayList<>();

    synchronized void add(List<Segment> segments) {
        long now = System.nanoTime();
        segments.forEach(segment -> retired.add(new Retired(segment, now)));
    }

    /** Closes the segments retired longer than the grace period. Their files are deleted already. */
    void closeDue() {
        List<Segment> due = new ArrayList<>();
        synchronized (this) {
            long now = System.nanoTime();
            retired.removeIf(gone -> {
                boolean late = now - gone.atNanos() > GRACE_NANOS;
                if (late) {
                    due.add(gone.segment());
                }
                return late;
            });
        }
        for (Segment segment : due) {
            try {
                segment.close();
            } catch (IOException e) {
                // its files are gone already: nothing is lost if closing fails
            }
        }
    }
    // end::grace[]

    /** Every retired segment, for the log to close with its own; none is kept. */
    synchronized List<Segment> takeAll() {
        List<Segment> all = retired.stream().map(Retired::segment).toList();
        retired.clear();
        return all;
    }
}
