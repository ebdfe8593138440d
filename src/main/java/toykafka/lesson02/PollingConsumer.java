package toykafka.lesson02;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import toykafka.common.EventLog;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetRange;
import toykafka.common.OffsetReset;

/** The reference consumer: a position, a reset policy and a batch size, over any event log. */
public final class PollingConsumer<E> implements EventConsumer<E> {

    private static final long NO_POSITION = -1;

    private final EventLog<E> log;
    private final OffsetReset reset;
    private final int maxPollRecords;
    private long position;

    // tag::start[]
    public PollingConsumer(EventLog<E> log, OffsetReset reset, int maxPollRecords) {
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException(
                    "max.poll.records must be at least 1 (a batch of 1 or more events), was " + maxPollRecords);
        }
        this.log = Objects.requireNonNull(log, "log");
        this.reset = Objects.requireNonNull(reset, "reset");
        this.maxPollRecords = maxPollRecords;
        this.position = switch (reset) {
            case EARLIEST -> log.earliest();
            case LATEST -> log.endOffset();
            case NONE -> NO_POSITION;
        };
    }
    // end::start[]

    // tag::poll[]
    @Override
    public List<EventAt<E>> poll() {
        requirePosition();
        if (!OffsetRange.holds(position, log)) {
            position = resetFromOutOfRange();
        }
        long end = Math.min(log.endOffset(), position + maxPollRecords);
        List<EventAt<E>> batch = new ArrayList<>();
        for (long offset = position; offset < end; offset++) {
            batch.add(new EventAt<>(offset, log.read(offset)));
        }
        position = end;
        return batch;
    }
    // end::poll[]

    // tag::reset[]
    private long resetFromOutOfRange() {
        return switch (reset) {
            case EARLIEST -> log.earliest();
            case LATEST -> log.endOffset();
            case NONE -> throw OffsetOutOfRangeException.withNoResetPolicy(position, log.earliest(), log.endOffset());
        };
    }
    // end::reset[]

    @Override
    public long position() {
        requirePosition();
        return position;
    }

    // tag::seek[]
    @Override
    public void seek(long offsetOrIndex) {
        // A negative index is resolved now, so the position is always a real offset. A too-large offset
        // is allowed, as in Kafka: the next poll finds it out of range and applies the reset policy.
        position = offsetOrIndex < 0 ? log.resolve(offsetOrIndex) : offsetOrIndex;
    }
    // end::seek[]

    // tag::lag[]
    @Override
    public long lag() {
        requirePosition();
        return Math.max(0, log.endOffset() - position);
    }
    // end::lag[]

    private void requirePosition() {
        if (position == NO_POSITION) {
            throw new IllegalStateException("this consumer has no position yet: with auto.offset.reset=none,"
                    + " call seek(offset) before poll()");
        }
    }

    @Override
    public String toString() {
        String where = position == NO_POSITION ? "none" : String.valueOf(position);
        return "PollingConsumer[position=" + where + ", auto.offset.reset=" + reset.configValue()
                + ", max.poll.records=" + maxPollRecords + "]";
    }
}
