package toykafka.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import toykafka.lesson08.PartitionDirectory;

/**
 * The batches a partition's segment files hold, read by Kafka's own kafka-dump-log: how a test sees what a
 * client's produce became on disk (its codec, its producer id and sequence), not what our code says it is.
 */
public final class StoredBatches {

    /** A field of a batch line the tool prints: "baseOffset: 0 lastOffset: 2 count: 3 ...". */
    private static final Pattern FIELD = Pattern.compile("(\\w+): (\\S+)");

    /** One stored batch's header, as Kafka's reader sees it. */
    public record Batch(long baseOffset, long lastOffset, String compression, long producerId, short producerEpoch,
                        int baseSequence, int partitionLeaderEpoch, boolean crcValid) {
    }

    private StoredBatches() {
    }

    public static List<Batch> of(Path dataDir, String topic, int partition) {
        List<String> files = segmentFiles(dataDir, topic, partition, ".log").stream().map(Path::toString).toList();
        if (files.isEmpty()) {
            return List.of();
        }
        ChildProcess.Result dump = KafkaTool.DUMP_LOG.run(null, "--files", String.join(",", files)).assertSucceeded();
        List<Batch> batches = new ArrayList<>();
        for (String line : dump.lines()) {
            if (line.startsWith("baseOffset:")) {
                Map<String, String> fields = new HashMap<>();
                Matcher field = FIELD.matcher(line);
                while (field.find()) {
                    fields.putIfAbsent(field.group(1), field.group(2));
                }
                batches.add(new Batch(Long.parseLong(fields.get("baseOffset")), Long.parseLong(fields.get("lastOffset")),
                        fields.get("compresscodec"), Long.parseLong(fields.get("producerId")),
                        Short.parseShort(fields.get("producerEpoch")), Integer.parseInt(fields.get("baseSequence")),
                        Integer.parseInt(fields.get("partitionLeaderEpoch")),
                        Boolean.parseBoolean(fields.get("isvalid"))));
            }
        }
        return batches;
    }

    /**
     * What Kafka's kafka-dump-log prints for these segment files with these options ("--deep-iteration",
     * "--print-data-log", "--index-sanity-check"): for a test outside this package to read its own files with it.
     */
    public static List<String> dump(List<Path> files, String... options) {
        List<String> args = new ArrayList<>(List.of("--files", String.join(",", files.stream().map(Path::toString).toList())));
        args.addAll(List.of(options));
        return KafkaTool.DUMP_LOG.run(null, args.toArray(String[]::new)).assertSucceeded().lines();
    }

    /** The partition's files ending in {@code suffix} (".log", ".index", ".timeindex"), in offset order. */
    static List<Path> segmentFiles(Path dataDir, String topic, int partition, String suffix) {
        try (Stream<Path> files = Files.list(PartitionDirectory.resolve(dataDir, topic, partition))) {
            return files.filter(file -> file.getFileName().toString().matches("\\d{20}\\Q" + suffix + "\\E")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + topic + "-" + partition + " in " + dataDir, e);
        }
    }
}
