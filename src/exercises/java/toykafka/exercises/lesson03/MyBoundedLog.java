package toykafka.exercises.lesson03;

import java.time.Clock;
import toykafka.archive.Archive;
import toykafka.lesson03.BoundedEventLog;
import toykafka.lesson03.Retention;

/**
 * Exercise for lesson 3: a log that keeps only its newest events and archives the rest.
 * Check your work with {@code ./toykafka check 3}; ask for help with {@code ./toykafka hint 3}.
 * Read the lesson with its code in place: {@code ./toykafka read 3} (add a section's name for one section).
 */
public class MyBoundedLog<E> implements BoundedEventLog<E> {

    public MyBoundedLog(String name, Retention retention, Clock clock, Archive archive) {
        throw new UnsupportedOperationException("the constructor is yours to write: see"
                + " section \"A queue and an offset\" (./toykafka read 3 queue-offset)");
    }

    @Override
    public long append(E event) {
        throw new UnsupportedOperationException(
                "append() is yours to write: see section \"Retention by count\" (./toykafka read 3 retention-count)");
    }

    @Override
    public E read(long offsetOrIndex) {
        throw new UnsupportedOperationException(
                "read() is yours to write: see section \"A queue and an offset\" (./toykafka read 3 queue-offset)");
    }

    @Override
    public long earliest() {
        throw new UnsupportedOperationException(
                "earliest() is yours to write: see section \"A queue and an offset\""
                + " (./toykafka read 3 queue-offset)");
    }

    @Override
    public long endOffset() {
        throw new UnsupportedOperationException(
                "endOffset() is yours to write: see section \"A queue and an offset\""
                + " (./toykafka read 3 queue-offset)");
    }

    @Override
    public int expireOld() {
        throw new UnsupportedOperationException(
                "expireOld() is yours to write: see section \"Retention by age\" (./toykafka read 3 retention-age)");
    }

    @Override
    public int archiveBefore(long offset) {
        throw new UnsupportedOperationException(
                "archiveBefore() is yours to write: see section \"Archiving on request\""
                + " (./toykafka read 3 archiving)");
    }
}
