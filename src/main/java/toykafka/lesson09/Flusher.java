package toykafka.lesson09;

import java.io.IOException;

/** Carries out a {@link Durability} policy for one log. */
interface Flusher extends AutoCloseable {

    /** What a flusher needs from the log: force what has been written, and say how far that reached. */
    interface Target {
        /** Forces every record appended so far to disk; returns the end offset that is now durable. */
        long forceWritten() throws IOException;

        /** The end offset of what has been written so far, durable or not. */
        default long writtenEnd() {
            return 0;
        }

        /** How many appends (each one batch, of one record or many) have been written so far. */
        default long appendsWritten() {
            return 0;
        }
    }

    /** Called after each append, outside the log's lock, with the end offset just after it. */
    void afterAppend(long endOffset);

    @Override
    void close();

    // tag::for-policy[]
    static Flusher forPolicy(Durability durability, Target target) {
        return switch (durability.mode()) {
            case OS -> new Flusher() {
                @Override
                public void afterAppend(long endOffset) {
                    // the page cache has the bytes; the OS writes them back when it chooses
                }

                @Override
                public void close() {
                }
            };
            case INTERVAL -> new PeriodicFlush(target, durability.interval());
            case EVERY_APPEND -> new GroupCommit(target);
        };
    }
    // end::for-policy[]
}
