package toykafka.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import toykafka.common.Directories;
import toykafka.lesson09.DataDirectoryOwner;
import toykafka.lesson08.PartitionDirectory;

/**
 * The data directory's clean-shutdown marker, Kafka's {@code .kafka_cleanshutdown}: one file for every partition,
 * written last when the storage closes with every log flushed and checkpointed, and taken away as the storage
 * opens, before anything in the directory is written, so that a crash from then on is never mistaken for a
 * clean stop. While it is there, each log opens trusting its segments, reading no records but its tail. A
 * log alone keeps a marker of its own ({@link PartitionDirectory}); a broker's thousands of logs share this
 * one, which saves every log two fsyncs at its close and one at its open. It is the owner each log is opened for.
 */
final class CleanShutdown implements DataDirectoryOwner {

    /** Kafka's name for the marker in a log directory. */
    static final String MARKER = ".kafka_cleanshutdown";
    private static final Pattern PARTITION_DIRECTORY = Pattern.compile(".+-\\d+");

    private final Path dataDir;
    private final boolean startedClean;
    private final Set<Path> opened = ConcurrentHashMap.newKeySet();
    private final Set<Path> closedCleanly = ConcurrentHashMap.newKeySet();

    private CleanShutdown(Path dataDir, boolean startedClean) {
        this.dataDir = dataDir;
        this.startedClean = startedClean;
    }

    /** Takes the marker away, if there is one, and remembers whether it was there. */
    static CleanShutdown take(Path dataDir) throws IOException {
        boolean found = Files.deleteIfExists(dataDir.resolve(MARKER));
        if (found) {
            Directories.syncDirectory(dataDir); // gone on disk before any log writes
        }
        return new CleanShutdown(dataDir, found);
    }

    /**
     * A log opens in {@code dir}: true if it may trust its segments, which only its first open after a clean
     * stop may. Any later open of the same directory recovers as the log's own files say.
     */
    @Override
    public boolean opening(Path dir) {
        closedCleanly.remove(dir);
        return opened.add(dir) && startedClean;
    }

    /** The log in {@code dir} has closed: flushed and checkpointed if {@code cleanly}. */
    @Override
    public void closed(Path dir, boolean cleanly) {
        if (cleanly) {
            closedCleanly.add(dir);
        }
    }

    /**
     * Leaves the marker if every partition in the data directory may be trusted at the next start: closed cleanly
     * by now, or untouched since a clean start. A log that failed, crashed or is still open keeps it away, and so
     * does a partition a crashed run left that nothing has opened since. Returns whether it was written.
     */
    boolean markIfAllClean() throws IOException {
        try (Stream<Path> entries = Files.list(dataDir)) {
            boolean allClean = entries.filter(Files::isDirectory)
                    .filter(dir -> PARTITION_DIRECTORY.matcher(dir.getFileName().toString()).matches())
                    .allMatch(dir -> closedCleanly.contains(dir) || startedClean && !opened.contains(dir));
            if (!allClean) {
                return false;
            }
        }
        try (FileChannel marker = FileChannel.open(dataDir.resolve(MARKER), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            marker.force(true);
        }
        Directories.syncDirectory(dataDir);
        return true;
    }
}
