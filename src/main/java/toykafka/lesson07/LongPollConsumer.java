package toykafka.lesson07;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import toykafka.lesson02.EventAt;
import toykafka.lesson02.EventConsumer;
import toykafka.common.OffsetReset;
import toykafka.lesson02.PollingConsumer;

/**
 * Lesson 2's consumer, with a poll that can wait. {@code poll(timeout)} returns at once if there is
 * something to read, else sleeps until an append or the timeout, whichever comes first: Kafka's long
 * poll. Like Kafka's consumer, one consumer belongs to one thread; the log may be shared by many.
 */
public final class LongPollConsumer<E> implements EventConsumer<E> {

    private final LockedLog<E> log;
    private final PollingConsumer<E> consumer;

    public LongPollConsumer(LockedLog<E> log, OffsetReset reset, int maxPollRecords) {
        this.log = Objects.requireNonNull(log, "log");
        this.consumer = new PollingConsumer<>(log, reset, maxPollRecords);
    }

    // tag::poll[]
    /**
     * The next batch, waiting up to {@code timeout} for one if the consumer has caught up. Returns an empty
     * batch if the time runs out, or at once if the thread is interrupted (the flag stays set, so a
     * consuming loop can see it and stop).
     */
    public List<EventAt<E>> poll(Duration timeout) {
        log.awaitEventAt(consumer.position(), timeout);
        return consumer.poll();
    }
    // end::poll[]

    /** Does not wait: what is there now, as in lesson 2. */
    @Override
    public List<EventAt<E>> poll() {
        return consumer.poll();
    }

    @Override
    public long position() {
        return consumer.position();
    }

    @Override
    public void seek(long offsetOrIndex) {
        consumer.seek(offsetOrIndex);
    }

    @Override
    public long lag() {
        return consumer.lag();
    }

    @Override
    public String toString() {
        return "LongPollConsumer[position=" + consumer.position() + "]";
    }
}
