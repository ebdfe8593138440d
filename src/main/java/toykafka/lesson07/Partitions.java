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
}
