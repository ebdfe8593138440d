package toykafka.lesson08;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * A log's hold on its partition directory, and who answers for the directory's clean shutdown. A log on its own
 * locks the directory's {@code .lock} and leaves a clean-shutdown marker of its own; a log a
 * {@link DataDirectoryOwner} opened (the broker's storage) only checks that no log on its own holds the directory,
 * and the owner's one lock and one marker stand for its own.
 */
final class DirectoryClaim {

    private final Path dir;
    private final FileChannel lock; // the directory's .lock, held while the log is open; null if its owner holds one
    private final DataDirectoryOwner owner; // null for a log on its own

    private DirectoryClaim(Path dir, FileChannel lock, DataDirectoryOwner owner) {
        this.dir = dir;
        this.lock = lock;
        this.owner = owner;
    }

    /** Claims {@code dir} for a log, before anything in it is read: another writer may be at work. */
    static DirectoryClaim take(Path dir, DataDirectoryOwner owner) throws IOException {
        return new DirectoryClaim(dir, PartitionDirectory.own(dir, owner == null), owner);
    }

    /** Whether the log may trust its segments without recovering them: only at its first open after the owner's clean stop. */
    boolean trustsSegments() {
        return owner != null && owner.opening(dir);
    }

    /** Leaves the log's own clean-shutdown marker, unless the owner's one marker, written after every log, stands for it. */
    void markCleanShutdown() throws IOException {
        if (owner == null) {
            DiskFile.uninterruptibly(() -> {
                PartitionDirectory.markCleanShutdown(dir);
                return null;
            });
        }
    }

    /** Lets go of the directory's lock, if the log holds it; returns {@code failed}, with a failure to do so. */
    <E extends Exception> E release(E failed) {
        return lock == null ? failed : DiskFile.closeAll(List.of(lock), failed);
    }

    /** Tells the owner, if there is one, that the log has closed: flushed and checkpointed if {@code cleanly}. */
    void closed(boolean cleanly) {
        if (owner != null) {
            owner.closed(dir, cleanly);
        }
    }
}
