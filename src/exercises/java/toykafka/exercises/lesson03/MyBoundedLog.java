package toykafka.exercises.lesson03;

import java.time.Clock;
import toykafka.archive.Archive;
import toykafka.lesson03.BoundedEventLog;
import toykafka.lesson03.Retention;

/**
 * Exercise for lesson 3: a log that keeps only its newest events and archives the rest.
 * Check your work with {@code ./toykafka check 3}; ask for help with {@code ./toykafka hint 3}.
 */
public class MyBoundedLog<E> implements BoundedEventLog<E> {

    public MyBoundedLog(String name, Retention retention, Clock clock, Archive archive) {
        throw new UnsupportedOperationException("the constructor is yours to write: see"
                + " lessons/03-the-bounded-log.adoc, section \"A queue and an offset\"");
    }

    @Override
    public long append(E event) {
        throw new UnsupportedOperationException(
                "append() is yours to write: see lessons/03-the-bounded-log.adoc, section \"Retention by count\"");
    }

    @Override
    public E read(long offsetOrIndex) {
        throw new UnsupportedOperationException(
                "read() is yours to write: see lessons/03-the-bounded-log.adoc, section \"A queue and an offset\"");
    }

    @Override
    public long earliest() {
        throw new UnsupportedOperationException(
                "earliest() is yours to write: see lessons/03-the-bounded-log.adoc, section \"A queue and an offset\"");
    }

    @Override
    public long endOffset() {
        throw new UnsupportedOperationException(
                "endOffset() is yours to write: see lessons/03-the-bounded-log.adoc, section \"A queue and an offset\"");
    }

    @Override
    public int expireOld() {
        throw new UnsupportedOperationException(
                "expireOld() is yours to write: see lessons/03-the-bounded-log.adoc, section \"Retention by age\"");
    }

    @Override
    public int archiveBefore(long offset) {
        throw new UnsupportedOperationException(
                "archiveBefore() is yours to write: see lessons/03-the-bounded-log.adoc, section \"Archiving on request\"");
    }
}
