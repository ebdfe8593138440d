package toykafka.storage;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import toykafka.archive.Archive;
import toykafka.common.Directories;
import toykafka.common.Failures;
import toykafka.common.RecordLog;
import toykafka.common.TopicConfig;
import toykafka.common.TopicExistsException;
import toykafka.common.TopicId;
import toykafka.common.TopicMetadata;
import toykafka.common.TopicPartition;
import toykafka.lesson09.FileLog;
import toykafka.lesson08.PartitionDirectory;
import toykafka.lesson09.DirectoryClaim;

/**
 * Topics on disk: every partition a {@link FileLog} (served as a {@link FileBatchLog}) in {@code <dataDir>/<topic>-<partition>}, and every
 * topic's partition count, config and topic id in {@code <topic>-0/topic.properties}, so a broker restarted on the
 * same directory finds all its topics again. Kafka keeps the same facts in its metadata log (KRaft), and
 * a {@code partition.metadata} file in each partition's directory; the course keeps one small file a
 * topic, in its first partition's directory, replaced atomically whenever the topic changes.
 *
 * <p>Deleting is crash-safe: the topic's file is first rewritten to say it is being deleted, then the
 * partitions' directories go, the first one (with the file) last. A crash part-way leaves the mark, and
 * the next start finishes the job, so a deleted topic never comes back and its records never outlive it.
 *
 * <p>Creating is all or nothing the same way. The first {@link #saveTopic} of a new topic writes its file
 * marked {@code creating}; the partitions open; saving the same topic again is the commit, which drops
 * the mark. A create that fails part-way is deleted by the registry; one a crash (or a failed clean-up)
 * interrupted is found marked at the next start and removed, which the start reports. Removed, not
 * finished: the client was told the create failed, and finishing it would open every partition again,
 * maybe what failed in the first place (too many open files). The partitions are siblings in the data
 * directory, as Kafka lays them out, so no single rename could publish them all at once: the mark in the
 * topic's own file, written first, is what tells a half-created topic from folders someone put there.
 *
 * <p>Stopping and starting thousands of partitions is quick the way Kafka makes it: the logs open and close
 * several at a time ({@link RecoveryThreads}), and one clean-shutdown marker for the whole directory
 * ({@link CleanShutdown}), written after every log has closed cleanly, lets each log skip recovery at the
 * next start. After a crash there is no marker, and every log recovers from its own recovery point.
 */
public final class FileLogStorage implements BatchLogStorage {

    /**
     * The file descriptors an open partition holds for good: its active segment's {@code .log}. Its indexes
     * and older segments are kept within the storage's bound on open files ({@link OpenFiles}), and the data
     * directory's one lock stands for every partition's.
     */
    public static final int DESCRIPTORS_PER_PARTITION = 1;
    /** The bound on other segment files open at once, unless the storage is given one. */
    public static final int DEFAULT_OPEN_FILES = 1000;
    /** The file, in a topic's first partition, that says what the topic is. */
    public static final String TOPIC_FILE = "topic.properties";
    private static final String FIRST_PARTITION = "-0";
    private static final String PARTITIONS = "partitions";
    private static final String DELETING = "deleting";
    private static final String CREATING = "creating";
    private static final String CONFIG_PREFIX = "config.";
    private static final String TOPIC_ID = "topic.id";

    private final Path dataDir;
    private final Clock clock;
    private final Archive archive;
    private final FileChannel ownership;
    private final Consumer<String> events;
    private final OpenFiles openFiles;
    private final CleanShutdown cleanShutdown;
    private final RecoveryThreads threads = new RecoveryThreads(RecoveryThreads.PER_DATA_DIR);

    /** Topics under {@code dataDir}, whose retention archives to {@code archive}. */
    public FileLogStorage(Path dataDir, Clock clock, Archive archive) {
        this(dataDir, clock, archive, message -> { }, OpenFiles.atMost(DEFAULT_OPEN_FILES));
    }

    /**
     * As {@link #FileLogStorage(Path, Clock, Archive)}, telling {@code events} what a start repairs, and keeping
     * the segment files open at once, besides each partition's active {@code .log}, within {@code openFiles}.
     */
    public FileLogStorage(Path dataDir, Clock clock, Archive archive, Consumer<String> events, OpenFiles openFiles) {
        this.events = Objects.requireNonNull(events, "events");
        this.openFiles = Objects.requireNonNull(openFiles, "openFiles");
        this.dataDir = Objects.requireNonNull(dataDir, "a data directory is needed").toAbsolutePath().normalize();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.archive = Objects.requireNonNull(archive, "archive");
        try {
            Files.createDirectories(this.dataDir);
            this.ownership = DirectoryClaim.lock(this.dataDir); // one broker per data directory, as in Kafka
        } catch (IOException e) {
            throw PartitionDirectory.failure("cannot take the data directory", this.dataDir, e);
        }
        try {
            this.cleanShutdown = CleanShutdown.take(this.dataDir); // before anything here is written
        } catch (IOException e) {
            try {
                ownership.close();
            } catch (IOException notClosed) {
                e.addSuppressed(notClosed);
            }
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
                if (stored.containsKey(CREATING)) {
                    removeHalfCreated(name, partitionCount(file, stored));
                    continue;
                }
                TopicMetadata topic = new TopicMetadata(name, partitionCount(file, stored), config(file, stored),
                        topicId(file, stored));
                if (!stored.containsKey(TOPIC_ID)) {
                    write(file, topic, null); // a topic stored before topics had ids keeps the one it gets now
                }
                topics.put(name, topic);
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
                write(file, topic, CREATING); // not a topic yet: the next save of it is the commit
                return;
            }
            write(file, topic, null); // a commit, or a change: either way the whole topic, unmarked
        } catch (IOException e) {
            throw PartitionDirectory.failure("cannot save topic '" + topic.name() + "' in", file, e);
        }
    }

    @Override
    public BatchLog openLog(TopicPartition partition, TopicConfig config) {
        return new FileBatchLog(FileLog.openOwned(dataDir, partition.topic(), partition.partition(), config, clock,
                archive, openFiles, cleanShutdown));
    }

    @Override
    public List<BatchLog> openBatchLogs(List<TopicPartition> partitions, Map<String, TopicConfig> configs) {
        return threads.openAll(partitions, partition -> openLog(partition, configs.get(partition.topic())),
                BatchLog::close);
    }

    @Override
    public void closeLogs(List<RecordLog> logs) {
        threads.closeAll(logs, RecordLog::close);
    }

    @Override
    public void deleteTopic(TopicMetadata topic) {
        Path file = fileOf(topic.name());
        try {
            write(file, topic, DELETING); // from here on the topic is gone, even if we crash before the files are
            deletePartitions(topic.name(), topic.partitions());
        } catch (IOException e) {
            throw PartitionDirectory.failure("cannot delete topic '" + topic.name() + "' from", dataDir, e);
        }
    }

    /** The bound on segment files open at once, which every partition's log shares. */
    public OpenFiles openFiles() {
        return openFiles;
    }

    @Override
    public String location() {
        return dataDir.toString();
    }

    @Override
    public void close() {
        // each log closes itself; the topic files are written whole whenever they change
        IOException failed = null;
        try {
            cleanShutdown.markIfAllClean(); // last, and only if every log is flushed: else the next start recovers
        } catch (IOException e) {
            failed = e;
        }
        try {
            ownership.close();
        } catch (IOException e) {
            failed = Failures.keepFirst(failed, e);
        }
        if (failed != null) {
            throw PartitionDirectory.failure("cannot close cleanly", dataDir, failed);
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

    /** A create the last run did not commit: its partitions go, as a failed create's do, and the start says so. */
    private void removeHalfCreated(String topic, int partitions) throws IOException {
        long found = 0;
        for (int p = 0; p < partitions; p++) {
            found += Files.isDirectory(PartitionDirectory.resolve(dataDir, topic, p)) ? 1 : 0;
        }
        deletePartitions(topic, partitions);
        events.accept("removed topic " + topic + ": its create never finished (" + found + " of " + partitions
                + " partition directories existed, and " + TOPIC_FILE + " still said creating); create it again");
    }

    /**
     * Deletes the partitions' directories, the first (which holds the topic's file) last. Directories just past
     * the count go too: those of partitions an increase opened before it failed, which no file names.
     */
    private void deletePartitions(String topic, int partitions) throws IOException {
        for (int p = partitions; Files.isDirectory(PartitionDirectory.resolve(dataDir, topic, p)); p++) {
            Directories.deleteTree(PartitionDirectory.resolve(dataDir, topic, p));
        }
        for (int p = partitions - 1; p >= 0; p--) {
            Directories.deleteTree(PartitionDirectory.resolve(dataDir, topic, p));
        }
        Directories.syncDirectory(dataDir);
    }

    private Path fileOf(String topic) {
        return PartitionDirectory.resolve(dataDir, topic, 0).resolve(TOPIC_FILE);
    }

    /** Writes the topic's file, with {@code mark} (creating or deleting) set if not null. */
    private static void write(Path file, TopicMetadata topic, String mark) throws IOException {
        StringBuilder text = new StringBuilder("# topic ").append(topic.name()).append('\n');
        text.append(PARTITIONS).append('=').append(topic.partitions()).append('\n');
        text.append(TOPIC_ID).append('=').append(topic.id()).append('\n');
        topic.config().overrides().forEach((key, value) ->
                text.append(CONFIG_PREFIX).append(key).append('=').append(value).append('\n'));
        if (mark != null) {
            text.append(mark).append("=true\n");
        }
        Directories.writeAtomically(file, text.toString());
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

    /** The topic's id; a new one for a file written before topics had ids. */
    private static TopicId topicId(Path file, Properties stored) throws IOException {
        String text = stored.getProperty(TOPIC_ID);
        if (text == null) {
            return TopicId.random();
        }
        try {
            return TopicId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " has a '" + TOPIC_ID + "' line that is not a topic id: " + e.getMessage()
                    + "; restore the file, or remove the line to give the topic a new id");
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
