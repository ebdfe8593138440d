package toykafka.lesson04;

/** What creating a topic does when the name is taken. */
public enum OnDuplicate {
    /** Refuse, as Kafka does: the caller learns the name was taken. */
    FAIL,
    /** Katar's way: create "name__0", or "name__1" if that is taken too, and so on. */
    RENAME
}
