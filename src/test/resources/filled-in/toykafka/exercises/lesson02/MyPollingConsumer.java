package toykafka.exercises.lesson02;

import java.util.ArrayList;
import java.util.List;
import toykafka.common.EventLog;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.lesson02.EventAt;
import toykafka.lesson02.EventConsumer;
import toykafka.common.OffsetReset;

/** A learner's finished lesson 2 exercise, as the hints lead to it. */
public class MyPollingConsumer<E> implements EventConsumer<E> {

    private final EventLog<E> log;
    private final OffsetReset reset;
    private final int maxPollRecords;
    private long position = -1;

    public MyPollingConsumer(EventLog<E> log, OffsetReset reset, int maxPollRecords) {
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("max.poll.records = " + maxPollRecords + "? It has to be 1 or more");
        }
        this.log = log;
        this.reset = reset;
        this.maxPollRecords = maxPollRecords;
        if (reset == OffsetReset.EARLIEST) {
            position = log.earliest();
        } else if (reset == OffsetReset.LATEST) {
            position = log.endOffset();
        }
    }

    @Override
    public List<EventAt<E>> poll() {
        position();
        if (position < log.earliest() || position > log.endOffset()) {
            if (reset == OffsetReset.EARLIEST) {
                position = log.earliest();
            } else if (reset == OffsetReset.LATEST) {
                position = log.endOffset();
            } else {
                throw OffsetOutOfRangeException.of(position, log.earliest(), log.endOffset());
            }
        }
        List<EventAt<E>> batch = new ArrayList<>();
        long end = Math.min(log.endOffset(), position + maxPollRecords);
        for (; position < end; position++) {
            batch.add(new EventAt<>(position, log.read(position)));
        }
        return batch;
    }

    @Override
    public long position() {
        if (position == -1) {
            throw new IllegalStateException("no position: seek somewhere first");
        }
        return position;
    }

    @Override
    public void seek(long offsetOrIndex) {
        position = offsetOrIndex < 0 ? log.resolve(offsetOrIndex) : offsetOrIndex;
    }

    @Override
    public long lag() {
        return Math.max(0, log.endOffset() - position());
    }
}
