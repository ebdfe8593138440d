package toykafka.archive;

import java.util.List;

/**
 * Where events go when they leave a log. A log calls this before it forgets the events, so if the
 * archive fails, the events stay in the log.
 */
@FunctionalInterface
public interface Archive {

    /** Stores the rows, or throws and stores none of them. */
    void append(List<ArchivedEvent> rows);

    /** An archive that keeps nothing, for logs whose old events may simply go. */
    static Archive discard() {
        return rows -> { };
    }
}
