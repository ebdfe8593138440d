package toykafka.lesson08;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The directory of one partition, {@code <data dir>/<topic>-<partition>} as in Kafka, and the small files
 * in it besides the segments: the recovery point checkpoint and the clean-shutdown marker.
 */
public final class PartitionDirectory {

    /** Kafka's rule for topic names: letters, digits, '.', '_' and '-', at most 249 of them. */
    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern SEGMENT_FILE = Pattern.compile("\\d{20}\\.(log|index|timeindex)");
    /** What deleting a segment renames its log to first, so that a crash mid-way leaves proof of the intent. */
    public static final String DELETED = ".deleted";
    /** What retention renames a segment too damaged to archive to. */
    public static final String DAMAGED = ".damaged";

    static final String RECOVERY_POINT = "recovery-point-offset-checkpoint";
    /** A log's own clean-shutdown marker, left by a log that owns its directory alone. */
    public static final String CLEAN_SHUTDOWN = "clean-shutdown";
    static final String LOG_START = "log-start-offset-checkpoint";
    /** Kafka's name: how far the log cleaner has cleaned, so its next pass starts from there. */
    static final String CLEANER_CHECKPOINT = "cleaner-offset-checkpoint";
    /** The file whose lock says a log owns the directory, as Kafka's {@code .lock} in each log directory. */
    public static final String LOCK_FILE = ".lock";

    private PartitionDirectory() {
    }

    // tag::resolve[]
    /** The partition's directory inside {@code dataDir}; refuses names that would lead anywhere else. */
    public static Path resolve(Path dataDir, String topic, int partition) {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("a topic needs a name");
        }
        if (topic.equals(".") || topic.equals("..") || !LEGAL_TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException("'" + topic + "' is not a legal topic name: use 1 to 249 letters,"
                    + " digits, '.', '_' or '-', and not '.' or '..' alone, so the name stays inside the data directory");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition " + partition + " does not exist: partitions are numbered"
                    + " from 0");
        }
        Path base = dataDir.toAbsolutePath().normalize();
        Path dir = base.resolve(topic + "-" + partition).normalize();
        if (!base.equals(dir.getParent())) { // the name check makes this impossible; stay safe if it changes
            throw new IllegalArgumentException("topic '" + topic + "' would be stored outside " + dataDir);
        }
        return dir;
    }
    // end::resolve[]

    /** The file name of a segment's file: the base offset in 20 digits, then the extension. */
    public static String fileName(long baseOffset, String extension) {
        return String.format("%020d.%s", baseOffset, extension);
    }

    /** The base offsets of the segments in the directory, in order. Reads only: changes nothing. */
    public static List<Long> segmentBaseOffsets(Path dir) throws IOException {
        List<Long> bases = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (SEGMENT_FILE.matcher(name).matches() && name.endsWith(".log")) {
                    bases.add(baseOffsetOf(file));
                }
            }
        }
        bases.sort(null);
        return bases;
    }

    /** Whether a file's name is a segment's: its base offset in 20 digits, then .log, .index or .timeindex. */
    static boolean isSegmentFile(String name) {
        return SEGMENT_FILE.matcher(name).matches();
    }

    /**
     * Removes what an interrupted write leaves behind: a checkpoint's temporary file, and the files of a
     * segment whose deletion stopped half-way (its log renamed to {@code .deleted}, or moved aside as
     * {@code .damaged}). Index files without their log and without that proof are not leftovers but the
     * evidence of a lost log: they stay, for {@link MissingSegments} to refuse. Only opening a log does this,
     * never a tool that looks.
     */
    static void removeLeftovers(Path dir) throws IOException {
        List<Path> leftovers = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.equals(RECOVERY_POINT + ".tmp") || name.equals(LOG_START + ".tmp")
                        || name.equals(CLEANER_CHECKPOINT + ".tmp")) {
                    leftovers.add(file);
                } else if (name.endsWith(DELETED) && isSegmentFile(name.substring(0, name.length() - DELETED.length()))) {
                    leftovers.add(file);
                } else if (isSegmentFile(name) && !name.endsWith(".log")
                        && !Files.exists(dir.resolve(fileName(baseOffsetOf(file), "log")))
                        && (Files.exists(dir.resolve(fileName(baseOffsetOf(file), "log") + DELETED))
                        || Files.exists(dir.resolve(fileName(baseOffsetOf(file), "log") + DAMAGED)))) {
                    leftovers.add(file);
                }
            }
        }
        for (Path leftover : leftovers) {
            Files.deleteIfExists(leftover);
        }
    }

    /**
     * Deletes a segment's files, renaming its log to {@code .deleted} first: a crash part-way leaves that file
     * as proof that the indexes beside it are leftovers, and opening removes them. An index found without its
     * log and without that proof means a lost log, and the log refuses to open (see {@link MissingSegments}).
     */
    static void deleteSegmentFiles(Path dir, long baseOffset) throws IOException {
        Path log = dir.resolve(fileName(baseOffset, "log"));
        Path deleted = log.resolveSibling(log.getFileName() + DELETED);
        if (Files.exists(log)) {
            Files.move(log, deleted, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        }
        Files.deleteIfExists(dir.resolve(fileName(baseOffset, "index")));
        Files.deleteIfExists(dir.resolve(fileName(baseOffset, "timeindex")));
        Files.deleteIfExists(deleted);
    }

    /** Renames a segment's files to end in {@code .damaged}, the log first, where no log will read them. */
    static void moveSegmentFilesAside(Path dir, long baseOffset) throws IOException {
        for (String extension : List.of("log", "index", "timeindex")) {
            Path file = dir.resolve(fileName(baseOffset, extension));
            if (Files.exists(file)) {
                Files.move(file, file.resolveSibling(file.getFileName() + DAMAGED), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The base offset in a segment file's 20-digit name; refuses a name above the largest offset there can be. */
    public static long baseOffsetOf(Path file) {
        String digits = file.getFileName().toString().substring(0, 20);
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + " is not a segment this log can have: its name gives base"
                    + " offset " + digits.replaceFirst("^0+(?=.)", "") + ", but an offset is at most "
                    + Long.MAX_VALUE);
        }
    }

    /** The offset below which everything was flushed, indexes too; 0 if none was ever written. */
    static long readRecoveryPoint(Path dir) throws IOException {
        Path file = dir.resolve(RECOVERY_POINT);
        if (!Files.exists(file)) {
            return 0;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        long offset;
        try {
            offset = Long.parseLong(text);
        } catch (NumberFormatException e) {
            offset = -1;
        }
        if (offset < 0) { // not what this log writes: something else changed the directory, so look before trusting it
            throw new IOException(file + " holds \"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
                    + "\", not an offset: check the segments with toykafka verify, then delete the file, and the"
                    + " next open will check every record instead of trusting the flushed segments");
        }
        return offset;
    }

    // tag::checkpoint[]
    /** Replaces the checkpoint atomically: write a temporary file, force it, rename it over the old one. */
    /** How far the cleaner has cleaned this log; 0 if never. A damaged file only costs a pass from the start. */
    static long readCleanerCheckpoint(Path dir) throws IOException {
        Path file = dir.resolve(CLEANER_CHECKPOINT);
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Whether the cleaner ever rewrote a segment here: only then may offsets have gaps between batches. */
    public static boolean wasEverCleaned(Path dir) {
        return Files.exists(dir.resolve(CLEANER_CHECKPOINT));
    }

    static void writeCleanerCheckpoint(Path dir, long offset) throws IOException {
        writeAtomically(dir.resolve(CLEANER_CHECKPOINT), offset + "\n");
    }

    static void writeRecoveryPoint(Path dir, long offset) throws IOException {
        writeAtomically(dir.resolve(RECOVERY_POINT), offset + "\n");
    }

    /** The log start offset records were deleted up to (Kafka's log-start-offset-checkpoint); 0 if never. */
    static long readLogStartOffset(Path dir) throws IOException {
        Path file = dir.resolve(LOG_START);
        if (!Files.exists(file)) {
            return 0;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        try {
            long offset = Long.parseLong(text);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IOException(file + " holds \"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
                + "\", not an offset: it names the first offset records were deleted up to; restore it, or delete it"
                + " to read from the oldest segment again");
    }

    static void writeLogStartOffset(Path dir, long offset) throws IOException {
        writeAtomically(dir.resolve(LOG_START), offset + "\n");
    }

    /** Replaces a file so that a crash leaves the old text or the new, never a mix or nothing. */
    public static void writeAtomically(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(StandardCharsets.UTF_8.encode(text));
            channel.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(file.getParent()); // the rename itself must reach the disk too
    }
    // end::checkpoint[]

    static void markCleanShutdown(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir.resolve(CLEAN_SHUTDOWN), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        syncDirectory(dir);
    }

    /** True if the last shutdown was clean. */
    static boolean wasShutDownCleanly(Path dir) {
        return Files.exists(dir.resolve(CLEAN_SHUTDOWN));
    }

    /** Removes the clean-shutdown marker once the log is open, so a crash from now on is noticed. */
    static void takeCleanShutdownMarker(Path dir) throws IOException {
        if (Files.deleteIfExists(dir.resolve(CLEAN_SHUTDOWN))) {
            syncDirectory(dir);
        }
    }

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

    /**
     * Takes a partition's directory for its log. A log on its own locks the directory's {@code .lock}, after
     * checking that no broker holds the data directory. A broker's log ({@code alone} false) only checks that
     * no log on its own holds it: the broker holds its data directory's lock, as Kafka does, so a partition
     * costs no descriptor for a lock. Returns the lock held, or null.
     */
    static FileChannel own(Path dir, boolean alone) throws IOException {
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

    /** Forces a directory's entries (new, renamed and deleted files) to disk. */
    public static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for this; the file data is forced all the same.
        }
    }

    /** A failed file operation, naming the directory or file it was on. */
    public static UncheckedIOException failure(String what, Path where, IOException cause) {
        return new UncheckedIOException(what + " " + where + ": " + describe(cause), cause);
    }

    /** An exception's kind and message, such as "ClosedByInterruptException": never "null". */
    static String describe(Exception cause) {
        String kind = cause.getClass().getSimpleName();
        String message = cause.getMessage();
        return message == null || message.isBlank() ? kind : kind + ": " + message;
    }

    /** Deletes a directory and everything under it; a missing directory is already deleted. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
