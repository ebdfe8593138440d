package toykafka.lesson09;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import toykafka.common.Directories;
import toykafka.lesson08.PartitionDirectory;

/**
 * The checkpoints beside a log's segments, each one offset in a small file replaced atomically: the recovery
 * point, the log start offset, and how far the cleaner has cleaned. Kafka keeps the same three, one file per
 * log directory for all its partitions.
 */
public final class Checkpoints {

    public static final String RECOVERY_POINT = "recovery-point-offset-checkpoint";
    public static final String LOG_START = "log-start-offset-checkpoint";

    private Checkpoints() {
    }

    // tag::recovery-point[]
    /** The offset below which everything was flushed, indexes too; 0 if none was ever written. */
    public static long readRecoveryPoint(Path dir) throws IOException {
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

    public static void writeRecoveryPoint(Path dir, long offset) throws IOException {
        Directories.writeAtomically(dir.resolve(RECOVERY_POINT), offset + "\n");
    }
    // end::recovery-point[]

    /** The log start offset records were deleted up to (Kafka's log-start-offset-checkpoint); 0 if never. */
    public static long readLogStartOffset(Path dir) throws IOException {
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

    public static void writeLogStartOffset(Path dir, long offset) throws IOException {
        Directories.writeAtomically(dir.resolve(LOG_START), offset + "\n");
    }

    /** How far the cleaner has cleaned this log; 0 if never. A damaged file only costs a pass from the start. */
    public static long readCleanerCheckpoint(Path dir) throws IOException {
        Path file = dir.resolve(PartitionDirectory.CLEANER_CHECKPOINT);
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static void writeCleanerCheckpoint(Path dir, long offset) throws IOException {
        Directories.writeAtomically(dir.resolve(PartitionDirectory.CLEANER_CHECKPOINT), offset + "\n");
    }
}
