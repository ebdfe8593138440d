package toykafka.lesson08;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import toykafka.archive.Archive;
import toykafka.common.LogStorage;
import toykafka.common.RecordLog;
import toykafka.common.TopicConfig;
import toykafka.common.TopicExistsException;
import toykafka.common.TopicMetadata;
import toykafka.common.TopicPartition;

/**
 * Topics on disk: every partition a {@link FileLog} in {@code <dataDir>/<topic>-<partition>}, and every
 * topic's partition count and config in {@code <topic>-0/topic.properties}, so a broker restarted on the
 * same directory finds all its topics again. Kafka keeps the same facts in its metadata log (KRaft), and
 * a {@code partition.metadata} file in each partition's directory; the course keeps one small file a
 * topic, in its first partition's directory, replaced atomically whenever the topic changes.
 *
 * <p>Deleting is crash-safe: the topic's file is first rewritten to say it is being deleted, then the
 * partitions' directories go, the first one (with the file) last. A crash part-way leaves the mark, and
 * the next start finishes the job, so a deleted topic never comes back and its records never outlive it.
 */
public final class FileLogStorage implements LogStorage {

    /** The file, in a topic's first partition, that says what the topic is. */
    public static final String TOPIC_FILE = "topic.properties";
    private static final String FIRST_PARTITION = "-0";
    private static final String PARTITIONS = "partitions";
    private static final String DELETING = "deleting";
    private static final String CONFIG_PREFIX = "config.";

    private final Path dataDir;
    private final Clock clock;
    private final Archive archive;
    private final FileChannel ownership;

    /** Topics under {@code dataDir}, whose retention archives to {@code archive}. */
    public FileLogStorage(Path dataDir, Clock clock, Archive archive) {
        this.dataDir = Objects.requireNonNull(dataDir, "a data directory is needed").toAbsolutePath().normalize();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.archive = Objects.requireNonNull(archive, "archive");
        try {
            Files.createDirectories(this.dataDir);
            this.ownership = PartitionDirectory.lock(this.dataDir); // one broker per data directory, as in Kafka
        } catch (IOException e) {
            throw PartitionDirectory.failure("cannot take the data directory", this.dataDir, e);
        }
    }

    /** Topics under {@code dataDir}, on the system clock, with nothing archived. */
    public FileLogStorage(Path dataDir) {
        this(dataDir, Clock.systemUTC(), Archive.discard());
    }

    @Override
    public SortedMap<String, TopicMetadata> storedTopics() {
        SortedMap<String, TopicMetadata> topics = new TreeMap<>();
        try (Stream<Path> dirs = Files.list(dataDir)) {
            for (Path file : dirs.filter(dir -> dir.getFileName().toString().endsWith(FIRST_PARTITION))
                    .map(dir -> dir.resolve(TOPIC_FILE)).filter(Files::isRegularFile).sorted().toList()) {
                String dir = file.getParent().getFileName().toString();
                String name = dir.substring(0, dir.length() - FIRST_PARTITION.length());
                Properties stored = read(file);
                if (stored.containsKey(DELETING)) {
                    deletePartitions(name, partitionCount(file, stored)); // a delete the last run did not finish
                    continue;
                }
                topics.put(name, new TopicMetadata(name, partitionCount(file, stored), config(file, stored)));
            }
        } catch (IOException e) {
            throw PartitionDirectory.failure("cannot read the topics in", dataDir, e);
        }
        return topics;
    }

    @Override
    public void saveTopic(TopicMetadata topic) {
        Path file = fileOf(topic.name());
        try {
            if (!Files.exists(file)) {
                refuseStrayPartitions(topic);
                Files.createDirectories(file.getParent());
            }
            write(file, topic, false);
        } catch (IOException e) {
            throw PartitionDirectory.failure("cannot save topic '" + topic.name() + "' in", file, e);
        }
    }

    @Override
    public RecordLog openLog(TopicPartition partition, TopicConfig config) {
        return FileLog.open(dataDir, partition.topic(), partition.partition(), config, clock, archive);
    }

    @Override
    public void deleteTopic(TopicMetadata topic) {
        Path file = fileOf(topic.name());
        try {
            write(file, topic, true); // from here on the topic is gone, even if we crash before the files are
            deletePartitions(topic.name(), topic.partitions());
        } catch (IOException e) {
            throw PartitionDirectory.failure("cannot delete topic '" + topic.name() + "' from", dataDir, e);
        }
    }

    @Override
    public String location() {
        return dataDir.toString();
    }

    @Override
    public void close() {
        // each log closes itself; the topic files are written whole whenever they change
        try {
            ownership.close();
        } catch (IOException e) {
            throw PartitionDirectory.failure("cannot release the lock of", dataDir, e);
        }
    }

    /** A new topic's partitions must not already have directories: they would hold another topic's records. */
    private void refuseStrayPartitions(TopicMetadata topic) {
        for (int p = 0; p < topic.partitions(); p++) {
            Path stray = PartitionDirectory.resolve(dataDir, topic.name(), p);
            if (Files.exists(stray)) {
                throw new TopicExistsException("cannot create topic '" + topic.name() + "': " + stray
                        + " already exists and belongs to no topic; move it out of the data directory first");
            }
        }
    }

    /** Deletes the partitions' directories, the first (which holds the topic's file) last. */
    private void deletePartitions(String topic, int partitions) throws IOException {
        for (int p = partitions - 1; p >= 0; p--) {
            PartitionDirectory.deleteTree(PartitionDirectory.resolve(dataDir, topic, p));
        }
        PartitionDirectory.syncDirectory(dataDir);
    }

    private Path fileOf(String topic) {
        return PartitionDirectory.resolve(dataDir, topic, 0).resolve(TOPIC_FILE);
    }

    private static void write(Path file, TopicMetadata topic, boolean deleting) throws IOException {
        StringBuilder text = new StringBuilder("# topic ").append(topic.name()).append('\n');
        text.append(PARTITIONS).append('=').append(topic.partitions()).append('\n');
        topic.config().overrides().forEach((key, value) ->
                text.append(CONFIG_PREFIX).append(key).append('=').append(value).append('\n'));
        if (deleting) {
            text.append(DELETING).append("=true\n");
        }
        PartitionDirectory.writeAtomically(file, text.toString());
    }

    private static Properties read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = new StringReader(Files.readString(file))) {
            properties.load(reader);
        }
        return properties;
    }

    private static int partitionCount(Path file, Properties stored) throws IOException {
        try {
            return Integer.parseInt(stored.getProperty(PARTITIONS, ""));
        } catch (NumberFormatException e) {
            throw new IOException(file + " has no valid '" + PARTITIONS + "' line, so the topic's partitions are"
                    + " unknown: restore the file, or delete it together with the topic's directories");
        }
    }

    private static TopicConfig config(Path file, Properties stored) throws IOException {
        Map<String, String> overrides = new TreeMap<>();
        stored.stringPropertyNames().stream().filter(key -> key.startsWith(CONFIG_PREFIX))
                .forEach(key -> overrides.put(key.substring(CONFIG_PREFIX.length()), stored.getProperty(key)));
        try {
            return TopicConfig.of(overrides);
        } catch (RuntimeException e) {
            throw new IOException(file + " holds a config this broker does not accept: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "FileLogStorage[" + dataDir + "]";
    }

    /** For the tests: the file that records a topic. */
    Path metadataFile(String topic) {
        return fileOf(topic);
    }

}
