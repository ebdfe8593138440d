package toykafka.lesson08;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import toykafka.common.Directories;

/**
 * The directory of one partition, {@code <data dir>/<topic>-<partition>} as in Kafka: the names of its segment
 * files, and how a segment's files go. Lesson 9's {@code Checkpoints} and {@code DirectoryClaim} keep the other
 * files there.
 */
public final class PartitionDirectory {

    /** Kafka's rule for topic names: letters, digits, '.', '_' and '-', at most 249 of them. */
    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern SEGMENT_FILE = Pattern.compile("\\d{20}\\.(log|index|timeindex)");
    /** What deleting a segment renames its log to first, so that a crash mid-way leaves proof of the intent. */
    public static final String DELETED = ".deleted";
    /** What retention renames a segment too damaged to archive to. */
    public static final String DAMAGED = ".damaged";

    /**
     * A segment's aborted-transaction index, which the broker writes beside it (lesson 15) and which goes when the
     * segment goes. The log never reads it, so it is no file a segment must have.
     */
    public static final String TRANSACTION_INDEX = "txnindex";

    /** Kafka's name: how far the log cleaner has cleaned, so its next pass starts from there. */
    public static final String CLEANER_CHECKPOINT = "cleaner-offset-checkpoint";
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
    public static boolean isSegmentFile(String name) {
        return SEGMENT_FILE.matcher(name).matches();
    }

    /**
     * Deletes a segment's files, renaming its log to {@code .deleted} first: a crash part-way leaves that file
     * as proof that the indexes beside it are leftovers, and opening removes them. An index found without its
     * log and without that proof means a lost log, and the log refuses to open (see lesson 9's {@code MissingSegments}).
     */
    static void deleteSegmentFiles(Path dir, long baseOffset) throws IOException {
        Path log = dir.resolve(fileName(baseOffset, "log"));
        Path deleted = log.resolveSibling(log.getFileName() + DELETED);
        if (Files.exists(log)) {
            Files.move(log, deleted, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Directories.syncDirectory(dir);
        }
        Files.deleteIfExists(dir.resolve(fileName(baseOffset, "index")));
        Files.deleteIfExists(dir.resolve(fileName(baseOffset, "timeindex")));
        Files.deleteIfExists(dir.resolve(fileName(baseOffset, TRANSACTION_INDEX)));
        Files.deleteIfExists(deleted);
    }

    /** Renames a segment's files to end in {@code .damaged}, the log first, where no log will read them. */
    static void moveSegmentFilesAside(Path dir, long baseOffset) throws IOException {
        for (String extension : List.of("log", "index", "timeindex", TRANSACTION_INDEX)) {
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

    /** Whether the cleaner ever rewrote a segment here: only then may offsets have gaps between batches. */
    public static boolean wasEverCleaned(Path dir) {
        return Files.exists(dir.resolve(CLEANER_CHECKPOINT));
    }

    /** A failed file operation, naming the directory or file it was on. */
    public static UncheckedIOException failure(String what, Path where, IOException cause) {
        return new UncheckedIOException(what + " " + where + ": " + describe(cause), cause);
    }

    /** An exception's kind and message, such as "ClosedByInterruptException": never "null". */
    public static String describe(Exception cause) {
        String kind = cause.getClass().getSimpleName();
        String message = cause.getMessage();
        return message == null || message.isBlank() ? kind : kind + ": " + message;
    }
}
