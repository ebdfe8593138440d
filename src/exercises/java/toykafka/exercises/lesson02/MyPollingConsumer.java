package toykafka.exercises.lesson02;

import java.util.List;
import toykafka.common.EventLog;
import toykafka.lesson02.EventAt;
import toykafka.lesson02.EventConsumer;
import toykafka.common.OffsetReset;

/**
 * Exercise for lesson 2: a consumer with its own position, batches, seek, lag and a reset policy.
 * Check your work with {@code ./toykafka check 2}; ask for help with {@code ./toykafka hint 2}.
 * Read the lesson with its code in place: {@code ./toykafka read 2} (add a section's name for one section).
 */
public class MyPollingConsumer<E> implements EventConsumer<E> {

    public MyPollingConsumer(EventLog<E> log, OffsetReset reset, int maxPollRecords) {
        throw new UnsupportedOperationException("the constructor is yours to write: see"
                + " section \"Where a consumer starts\" (./toykafka read 2 starting)");
    }

    @Override
    public List<EventAt<E>> poll() {
        throw new UnsupportedOperationException(
                "poll() is yours to write: see section \"Polling in batches\" (./toykafka read 2 polling)");
    }

    @Override
    public long position() {
        throw new UnsupportedOperationException(
                "position() is yours to write: see section \"Polling in batches\" (./toykafka read 2 polling)");
    }

    @Override
    public void seek(long offsetOrIndex) {
        throw new UnsupportedOperationException(
                "seek() is yours to write: see section \"Seek and reset\" (./toykafka read 2 seek-reset)");
    }

    @Override
    public long lag() {
        throw new UnsupportedOperationException(
                "lag() is yours to write: see section \"Lag\" (./toykafka read 2 lag)");
    }
}
