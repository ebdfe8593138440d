package toykafka.exercises.lesson02;

import java.util.List;
import toykafka.common.EventLog;
import toykafka.lesson02.EventAt;
import toykafka.lesson02.EventConsumer;
import toykafka.common.OffsetReset;

/**
 * Exercise for lesson 2: a consumer with its own position, batches, seek, lag and a reset policy.
 * Check your work with {@code ./toykafka check 2}; ask for help with {@code ./toykafka hint 2}.
 */
public class MyPollingConsumer<E> implements EventConsumer<E> {

    public MyPollingConsumer(EventLog<E> log, OffsetReset reset, int maxPollRecords) {
        throw new UnsupportedOperationException("the constructor is yours to write: see"
                + " lessons/02-many-producers-consumers.adoc, section \"Where a consumer starts\"");
    }

    @Override
    public List<EventAt<E>> poll() {
        throw new UnsupportedOperationException(
                "poll() is yours to write: see lessons/02-many-producers-consumers.adoc, section \"Polling in batches\"");
    }

    @Override
    public long position() {
        throw new UnsupportedOperationException(
                "position() is yours to write: see lessons/02-many-producers-consumers.adoc, section \"Polling in batches\"");
    }

    @Override
    public void seek(long offsetOrIndex) {
        throw new UnsupportedOperationException(
                "seek() is yours to write: see lessons/02-many-producers-consumers.adoc, section \"Seek and reset\"");
    }

    @Override
    public long lag() {
        throw new UnsupportedOperationException(
                "lag() is yours to write: see lessons/02-many-producers-consumers.adoc, section \"Lag\"");
    }
}
