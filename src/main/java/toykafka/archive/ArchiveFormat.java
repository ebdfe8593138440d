package toykafka.archive;

/**
 * How an event becomes the key and value text of an archive row. Lessons 1 to 3 keep plain events
 * with no key; from lesson 4, records bring their own.
 */
public interface ArchiveFormat<E> {

    /** The event's key as text, or null if it has none. */
    String key(E event);

    /** The event's value as text, or null if it has none (a tombstone). */
    String value(E event);

    /** No key; the value is the event's {@code toString()}. */
    static <E> ArchiveFormat<E> plain() {
        return new ArchiveFormat<>() {
            @Override
            public String key(E event) {
                return null;
            }

            @Override
            public String value(E event) {
                return String.valueOf(event);
            }
        };
    }
}
