package toykafka.common;

import java.util.Objects;

/**
 * An event log that passes every call on to another: extend it and override only what should differ, as a
 * view that refuses writes or a test double that holds a write back does. The forwarding is written once,
 * here, so that a method added to the log cannot be forgotten in one of many copies. Kafka has no such class;
 * this is the forwarding pattern of Guava's {@code ForwardingObject}.
 *
 * @param <E> what the log holds
 */
public class ForwardingEventLog<E> implements EventLog<E> {

    private final EventLog<E> log;

    protected ForwardingEventLog(EventLog<E> log) {
        this.log = Objects.requireNonNull(log, "the log to forward to must not be null");
    }

    /** The log every call goes on to. */
    protected EventLog<E> delegate() {
        return log;
    }

    @Override
    public long append(E event) {
        return log.append(event);
    }

    @Override
    public E read(long offsetOrIndex) {
        return log.read(offsetOrIndex);
    }

    @Override
    public long earliest() {
        return log.earliest();
    }

    @Override
    public long endOffset() {
        return log.endOffset();
    }

    @Override
    public long resolve(long offsetOrIndex) {
        return log.resolve(offsetOrIndex);
    }

    @Override
    public long latest() {
        return log.latest();
    }

    @Override
    public long size() {
        return log.size();
    }

    @Override
    public String toString() {
        return log.toString();
    }
}
