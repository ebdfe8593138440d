package toykafka.lesson19;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import toykafka.lesson08.PartitionDirectory;

/** Apache Kafka's partition folders, handed to our broker: its segments in, our files of the same partition out. */
final class KafkasSegments {

    /** The mark of a clean stop in a data directory: Kafka's name, which our storage uses too. */
    private static final String CLEAN_SHUTDOWN = ".kafka_cleanshutdown";

    private KafkasSegments() {
    }

    /**
     * Replaces the segments in our partition folder {@code to} by the {@code .log} files of Kafka's {@code from}.
     * Kafka's indexes, producer snapshots and checkpoints stay behind: our log builds its own from the batches.
     */
    static void adopt(Path from, Path to) throws IOException {
        for (Path ours : list(to)) {
            String name = ours.getFileName().toString();
            if (PartitionDirectory.isSegmentFile(name) || name.endsWith("." + PartitionDirectory.TRANSACTION_INDEX)) {
                Files.delete(ours);
            }
        }
        for (Path theirs : list(from)) {
            if (theirs.getFileName().toString().matches("\\d{20}\\.log")) {
                Files.copy(theirs, to.resolve(theirs.getFileName()));
            }
        }
    }

    /** Takes away the mark of a clean stop, so that every log recovers at the next start: it reads each batch. */
    static void forgetCleanShutdown(Path dataDir) throws IOException {
        Files.deleteIfExists(dataDir.resolve(CLEAN_SHUTDOWN));
    }

    /** The partition folder's non-empty {@code .txnindex} files, by name, their bytes in hex. */
    static Map<String, String> transactionIndexes(Path dir) throws IOException {
        Map<String, String> indexes = new TreeMap<>();
        for (Path file : list(dir)) {
            String name = file.getFileName().toString();
            if (name.endsWith("." + PartitionDirectory.TRANSACTION_INDEX) && Files.size(file) > 0) {
                indexes.put(name, HexFormat.of().formatHex(Files.readAllBytes(file)));
            }
        }
        return indexes;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
