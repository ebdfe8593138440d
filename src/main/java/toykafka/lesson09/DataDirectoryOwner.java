package toykafka.lesson09;

import java.nio.file.Path;

/**
 * What owns a whole data directory of logs, as a broker owns each of its {@code log.dirs}: it holds the
 * directory's one {@code .lock} and one clean-shutdown marker for all its logs, so a log it opens neither locks
 * its own directory nor leaves a marker of its own. The broker's storage ({@code toykafka.storage}) is one.
 */
public interface DataDirectoryOwner {

    /**
     * A log opens in {@code dir}: true if it may trust its segments and skip recovery, which only its first open
     * after a clean stop of the whole directory may.
     */
    boolean opening(Path dir);

    /** The log in {@code dir} has closed: flushed and checkpointed if {@code cleanly}. */
    void closed(Path dir, boolean cleanly);
}
