package toykafka.lesson02;

import java.util.List;

/**
 * A reader of one log that keeps its own position and reads in batches. Any number of them can read
 * the same log; none of them changes it.
 */
public interface EventConsumer<E> {

    /** Up to max.poll.records events from the position on, in offset order; the position moves past them. */
    List<EventAt<E>> poll();

    /** The offset of the next event this consumer will read. */
    long position();

    /** Moves the position: to an offset, or to a negative index such as -1 for the latest event. */
    void seek(long offsetOrIndex);

    /** How far behind the producers this consumer is: the log end offset minus the position. */
    long lag();
}
