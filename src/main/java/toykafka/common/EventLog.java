package toykafka.common;

/**
 * An append-only sequence of events, each known by its offset.
 * In Kafka, every partition of a topic is one of these logs.
 *
 * @param <E> the type of the events
 */
public interface EventLog<E> {

    /** Adds an event at the end and returns its offset. Offsets start at 0 and are never reused. */
    long append(E event);

    /** Returns the event at an offset, or at a negative index counted from the end. Reading never removes. */
    E read(long offsetOrIndex);

    /** The offset of the oldest event still held: Kafka's log start offset. */
    long earliest();

    /** The offset the next append will get: Kafka's log end offset. */
    long endOffset();

    // tag::resolve[]
    /**
     * Turns what a reader asked for into a real offset. A non-negative number is an offset and must
     * be held; a negative one counts back from the end, so -1 is the latest event.
     */
    default long resolve(long offsetOrIndex) {
        long offset = offsetOrIndex < 0 ? endOffset() + offsetOrIndex : offsetOrIndex;
        if (offset < earliest() || offset >= endOffset()) {
            throw OffsetOutOfRangeException.of(offsetOrIndex, earliest(), endOffset());
        }
        return offset;
    }
    // end::resolve[]

    /** The offset of the newest event; fails on an empty log, which has none. */
    default long latest() {
        return resolve(-1);
    }

    /** How many events the log holds now. */
    default long size() {
        return endOffset() - earliest();
    }
}
