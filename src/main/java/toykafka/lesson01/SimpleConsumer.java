package toykafka.lesson01;

import java.util.Optional;
import toykafka.common.EventLog;

/**
 * Reads a log one event at a time and keeps its own note of where it is.
 * The log knows nothing about its readers.
 */
public final class SimpleConsumer<E> {

    private final EventLog<E> log;
    private long position;

    private SimpleConsumer(EventLog<E> log, long position) {
        this.log = log;
        this.position = position;
    }

    // tag::start[]
    /** Starts reading at an offset, or at a negative index such as -1 for the latest event. */
    public static <E> SimpleConsumer<E> startingAt(EventLog<E> log, long offsetOrIndex) {
        // Record a real offset, never -1: "-1" would name a different event once the log grows.
        return new SimpleConsumer<>(log, log.resolve(offsetOrIndex));
    }
    // end::start[]

    /** Starts at the oldest event the log holds, or waits for the first one if it holds none. */
    public static <E> SimpleConsumer<E> fromEarliest(EventLog<E> log) {
        return new SimpleConsumer<>(log, log.earliest());
    }

    // tag::next[]
    /** The next event, or empty when the consumer has caught up with the producer. */
    public Optional<E> next() {
        if (position >= log.endOffset()) {
            return Optional.empty();
        }
        E event = log.read(position);
        position++;
        return Optional.of(event);
    }
    // end::next[]

    /** The offset of the next event this consumer will read. */
    public long position() {
        return position;
    }

    @Override
    public String toString() {
        return "SimpleConsumer[position=" + position + "]";
    }
}
