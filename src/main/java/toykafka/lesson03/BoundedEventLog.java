package toykafka.lesson03;

import toykafka.common.EventLog;

/**
 * A log that keeps only part of its history. What leaves goes to an archive, and every offset
 * keeps naming the same event for as long as the event is held.
 */
public interface BoundedEventLog<E> extends EventLog<E> {

    /** Moves out every event older than the retention's maximum age; returns how many left. */
    int expireOld();

    /** Moves every event before {@code offset} to the archive; returns how many left. */
    int archiveBefore(long offset);
}
