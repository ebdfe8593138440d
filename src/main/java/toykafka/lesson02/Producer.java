package toykafka.lesson02;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import toykafka.common.EventLog;

/** Appends to a shared log and remembers the offsets it was given, so its own order can be checked. */
public final class Producer<E> {

    private final String name;
    private final EventLog<E> log;
    private final List<Long> sentOffsets = new ArrayList<>();

    public Producer(String name, EventLog<E> log) {
        this.name = Objects.requireNonNull(name, "a producer needs a name, such as \"P1\"");
        this.log = Objects.requireNonNull(log, "a producer needs a log to append to");
    }

    // tag::send[]
    /** Appends one event and returns the offset the log gave it. */
    public long send(E event) {
        long offset = log.append(event);
        sentOffsets.add(offset);
        return offset;
    }
    // end::send[]

    /** The offsets of this producer's events, in the order it sent them. */
    public List<Long> sentOffsets() {
        return List.copyOf(sentOffsets);
    }

    /** This producer's events as they stand in the log, in log order. */
    public List<E> eventsInLog() {
        return sentOffsets.stream().map(log::read).toList();
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "Producer[" + name + ", sent " + sentOffsets.size() + "]";
    }
}
