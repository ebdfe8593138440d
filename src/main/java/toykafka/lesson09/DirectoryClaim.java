package toykafka.lesson09;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import toykafka.common.Directories;
import toykafka.common.Failures;
import toykafka.lesson08.DiskFile;

/**
 * A log's hold on its partition directory, and who answers for the directory's clean shutdown. A log on its own
 * locks the directory's {@code .lock} and leaves a clean-shutdown marker of its own; a log a
 * {@link DataDirectoryOwner} opened (the broker's storage) only checks that no log on its own holds the directory,
 * and the owner's one lock and one marker stand for its own.
 */
public final class DirectoryClaim {

    /** The file whose lock says a log owns the directory, as Kafka's {@code .lock} in each log directory. */
    public static final String LOCK_FILE = ".lock";

    /** A log's own clean-shutdown marker, left by a log that owns its directory alone. */
    public static final String CLEAN_SHUTDOWN = "clean-shutdown";

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
        return new DirectoryClaim(dir, own(dir, owner == null), owner);
    }

    /** Whether the log may trust its segments without recovering them: only at its first open after the owner's clean stop. */
    boolean trustsSegments() {
        return owner != null && owner.opening(dir);
    }

    /** Leaves the log's own clean-shutdown marker, unless the owner's one marker, written after every log, stands for it. */
    void markCleanShutdown() throws IOException {
        if (owner == null) {
            DiskFile.uninterruptibly(() -> {
                markCleanShutdownIn(dir);
                return null;
            });
        }
    }

    /** Lets go of the directory's lock, if the log holds it; returns {@code failed}, with a failure to do so. */
    <E extends Exception> E release(E failed) {
        return lock == null ? failed : Failures.closeAll(List.of(lock), failed);
    }

    /** Tells the owner, if there is one, that the log has closed: flushed and checkpointed if {@code cleanly}. */
    void closed(boolean cleanly) {
        if (owner != null) {
            owner.closed(dir, cleanly);
        }
    }

    public static void markCleanShutdownIn(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir.resolve(CLEAN_SHUTDOWN), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Directories.syncDirectory(dir);
    }

    /** True if the last shutdown was clean. */
    public static boolean wasShutDownCleanly(Path dir) {
        return Files.exists(dir.resolve(CLEAN_SHUTDOWN));
    }

    /** Removes the clean-shutdown marker once the log is open, so a crash from now on is noticed. */
    public static void takeCleanShutdownMarker(Path dir) throws IOException {
        if (Files.deleteIfExists(dir.resolve(CLEAN_SHUTDOWN))) {
            Directories.syncDirectory(dir);
        }
    }

    // tag::lock[]
    /**
     * Takes the directory for one owner: an exclusive lock on its {@code .lock} file, held until the
     * returned channel is closed (or the process dies, when the operating system lets go of it). A second
     * owner, in this process or another, is refused: two writers would give out the same offsets.
     */
    public static FileChannel lock(Path dir) throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            if (channel.tryLock() != null) {
                return channel;
            }
        } catch (OverlappingFileLockException heldInThisProcess) {
            // the JVM keeps one lock per file: another owner in this process has it
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        channel.close();
        throw new IllegalStateException(dir + " is in use: another owner, in this process or another, holds its "
                + LOCK_FILE + ". Two writers on one directory would hand out the same offsets; close the other one"
                + " (or stop its process) first");
    }
    // end::lock[]

    /**
     * Takes a partition's directory for its log. A log on its own locks the directory's {@code .lock}, after
     * checking that no broker holds the data directory. A broker's log ({@code alone} false) only checks that
     * no log on its own holds it: the broker holds its data directory's lock, as Kafka does, so a partition
     * costs no descriptor for a lock. Returns the lock held, or null.
     */
    public static FileChannel own(Path dir, boolean alone) throws IOException {
        if (!alone) {
            return requireUnlocked(dir);
        }
        requireUnlocked(dir.getParent());
        return lock(dir);
    }

    /** Refuses a directory another owner holds, without holding it; returns null, the lock it does not keep. */
    private static FileChannel requireUnlocked(Path dir) throws IOException {
        if (!Files.exists(dir.resolve(LOCK_FILE))) {
            return null; // nothing has ever held it
        }
        lock(dir).close();
        return null;
    }
}
