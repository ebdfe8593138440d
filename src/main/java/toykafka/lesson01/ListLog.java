package toykafka.lesson01;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import toykafka.common.EventLog;

/**
 * The simplest log there is: a list. An event's offset is its position in the list.
 */
public final class ListLog<E> implements EventLog<E> {

    private final List<E> events = new ArrayList<>();

    // tag::append[]
    @Override
    public long append(E event) {
        events.add(Objects.requireNonNull(event, "an event must not be null"));
        return events.size() - 1;
    }
    // end::append[]

    // tag::read[]
    @Override
    public E read(long offsetOrIndex) {
        return events.get((int) resolve(offsetOrIndex));
    }
    // end::read[]

    @Override
    public long earliest() {
        return 0;
    }

    @Override
    public long endOffset() {
        return events.size();
    }

    @Override
    public String toString() {
        return "ListLog" + events;
    }
}
