package toykafka.exercises.lesson01;

import toykafka.common.EventLog;

/**
 * Exercise for lesson 1: write the log yourself.
 * Check your work with {@code ./toykafka check 1}; ask for help with {@code ./toykafka hint 1}.
 * Read the lesson with its code in place: {@code ./toykafka read 1} (add a section's name for one section).
 * The interface already gives you resolve(), latest() and size(): read them before you start.
 */
public class MyListLog<E> implements EventLog<E> {

    @Override
    public long append(E event) {
        throw new UnsupportedOperationException(
                "append() is yours to write: see section \"Appending returns the offset\""
                + " (./toykafka read 1 appending)");
    }

    @Override
    public E read(long offsetOrIndex) {
        throw new UnsupportedOperationException(
                "read() is yours to write: see section \"Reading never removes\" (./toykafka read 1 reading)");
    }

    @Override
    public long earliest() {
        throw new UnsupportedOperationException(
                "earliest() is yours to write: see section \"Earliest, latest and -1\""
                + " (./toykafka read 1 earliest-latest)");
    }

    @Override
    public long endOffset() {
        throw new UnsupportedOperationException(
                "endOffset() is yours to write: see section \"Earliest, latest and -1\""
                + " (./toykafka read 1 earliest-latest)");
    }
}
