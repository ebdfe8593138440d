package toykafka.exercises.lesson01;

import toykafka.common.EventLog;

/**
 * Exercise for lesson 1: write the log yourself.
 * Check your work with {@code ./toykafka check 1}; ask for help with {@code ./toykafka hint 1}.
 * The interface already gives you resolve(), latest() and size(): read them before you start.
 */
public class MyListLog<E> implements EventLog<E> {

    @Override
    public long append(E event) {
        throw new UnsupportedOperationException(
                "append() is yours to write: see lessons/01-the-log.adoc, section \"Appending returns the offset\"");
    }

    @Override
    public E read(long offsetOrIndex) {
        throw new UnsupportedOperationException(
                "read() is yours to write: see lessons/01-the-log.adoc, section \"Reading never removes\"");
    }

    @Override
    public long earliest() {
        throw new UnsupportedOperationException(
                "earliest() is yours to write: see lessons/01-the-log.adoc, section \"Earliest, latest and -1\"");
    }

    @Override
    public long endOffset() {
        throw new UnsupportedOperationException(
                "endOffset() is yours to write: see lessons/01-the-log.adoc, section \"Earliest, latest and -1\"");
    }
}
