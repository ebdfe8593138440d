package toykafka.lesson07;

import java.util.List;
import java.util.Objects;

/** The checks every producer of this lesson makes before it accepts an event, worded the same way. */
final class Partitions {

    private Partitions() {
    }

    static <L> List<L> require(List<L> partitions) {
        Objects.requireNonNull(partitions, "partitions must not be null");
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("a producer needs at least one partition to write to");
        }
        partitions.forEach(log -> Objects.requireNonNull(log, "a partition's log must not be null"));
        return List.copyOf(partitions);
    }

    static void checkSend(int partition, Object event, int partitions) {
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("partition " + partition + " does not exist: this producer writes to"
                    + " partitions 0.." + (partitions - 1));
        }
        Objects.requireNonNull(event, "an event must not be null");
    }

    static IllegalStateException closed() {
        return new IllegalStateException("this producer is closed: it accepts no more events");
    }

    /** An Error stopped one of the producer's threads: what was waiting failed with it, and nothing more is taken. */
    static IllegalStateException broken(String thread, Throwable cause) {
        return new IllegalStateException("this producer is broken: " + thread + " stopped on " + cause
                + "; the events it had not written failed with that error, and it accepts no more", cause);
    }

    /** A callback on a future runs on the thread that completed it: the producer's own, which must never wait for itself. */
    static IllegalStateException waitingForItself(String call, String thread) {
        return new IllegalStateException(call + " was called on " + thread + ", the producer's own thread, which runs"
                + " the callbacks of its futures: there it would wait for itself for ever. Call " + call
                + " from another thread");
    }
}
