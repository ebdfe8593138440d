package toykafka.broker;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;
import toykafka.archive.ArchiveDirectory;
import toykafka.storage.BatchLogStorage;
import toykafka.storage.FileLogStorage;
import toykafka.storage.MemoryBatchLogStorage;
import toykafka.storage.OpenFiles;

// tag::storage[]
/**
 * Where the broker keeps what it keeps, chosen once, at start: in a data directory on disk, or in memory only
 * ({@code storage=memory}), where nothing outlives the process. Everything that differs between the two is
 * made here: the partitions' logs, the node's identity ({@code meta.properties}), the producer ids handed out,
 * the settings changed while running, the archive, and the disk's space. The rest of the broker never asks which.
 */
final class BrokerStorage {

    /** Opens the storage the settings name: {@link #disk} or {@link #memory}. */
    static BrokerStorage of(BrokerConfig config, Clock clock, Consumer<String> events) {
        return config.storageInMemory() ? memory(config, clock) : disk(config, clock, events);
    }

    /**
     * The data directory: takes its lock, then reads (or writes, the first time) its identity, before any log
     * opens, so a directory of another cluster or node is refused untouched.
     */
    static BrokerStorage disk(BrokerConfig config, Clock clock, Consumer<String> events) {
        Path dataDir = config.dataDir().toAbsolutePath().normalize();
        ArchiveDirectory archive = new ArchiveDirectory(dataDir.resolve("archive"));
        archive.removeUnfinished();
        OpenFiles openFiles = OpenFiles.atMost(config.logOpenFilesMax());
        FileLogStorage logs = new FileLogStorage(dataDir, clock, archive, events, openFiles);
        try {
            return new BrokerStorage(logs, MetaProperties.loadOrCreate(dataDir, config.nodeId(), config.clusterId()),
                    new ProducerIdManager(dataDir), DynamicBrokerConfigs.open(config, dataDir), archive, dataDir,
                    FileLogStorage.DESCRIPTORS_PER_PARTITION, openFiles);
        } catch (RuntimeException e) {
            logs.close();
            throw e;
        }
    }

    /** Memory only: a new identity (the cluster id given, or a random one) and nothing written anywhere. */
    static BrokerStorage memory(BrokerConfig config, Clock clock) {
        Path dataDir = config.dataDir().toAbsolutePath().normalize();
        return new BrokerStorage(new MemoryBatchLogStorage(clock), new MetaProperties(config.clusterId()
                .orElseGet(MetaProperties::randomClusterId), config.nodeId()), new ProducerIdManager(),
                DynamicBrokerConfigs.inMemory(config), new ArchiveDirectory(dataDir.resolve("archive")), null, 0,
                OpenFiles.atMost(config.logOpenFilesMax()));
    }
    // end::storage[]

    private final BatchLogStorage logs;
    private final MetaProperties identity;
    private final ProducerIdManager producerIds;
    private final DynamicBrokerConfigs dynamicConfigs;
    private final ArchiveDirectory archive;
    private final Path dataDir; // null in memory
    private final int descriptorsPerPartition;
    private final OpenFiles openFiles;

    private BrokerStorage(BatchLogStorage logs, MetaProperties identity, ProducerIdManager producerIds,
                          DynamicBrokerConfigs dynamicConfigs, ArchiveDirectory archive, Path dataDir,
                          int descriptorsPerPartition, OpenFiles openFiles) {
        this.logs = logs;
        this.identity = identity;
        this.producerIds = producerIds;
        this.dynamicConfigs = dynamicConfigs;
        this.archive = archive;
        this.dataDir = dataDir;
        this.descriptorsPerPartition = descriptorsPerPartition;
        this.openFiles = openFiles;
    }

    /** Where the partitions' logs are opened, created and closed. */
    BatchLogStorage logs() {
        return logs;
    }

    MetaProperties identity() {
        return identity;
    }

    ProducerIdManager producerIds() {
        return producerIds;
    }

    DynamicBrokerConfigs dynamicConfigs() {
        return dynamicConfigs;
    }

    /** The folder retention, deleteRecords and the cleaner archive to before they delete. */
    ArchiveDirectory archive() {
        return archive;
    }

    /** The file descriptors one partition holds: none in memory. */
    int descriptorsPerPartition() {
        return descriptorsPerPartition;
    }

    /** The bound on the segment files held open at once, which the descriptor budget counts. */
    OpenFiles openFiles() {
        return openFiles;
    }

    /** A topic is being deleted: the archive is told first, so a topic made again never takes its files' names. */
    void topicDeleted(String topic) {
        if (dataDir != null) {
            archive.topicDeleted(topic);
        }
    }

    /** The data directory's file store, its size and free space; unknown in memory. */
    DiskSpace diskSpace() {
        if (dataDir == null) {
            return DiskSpace.UNKNOWN;
        }
        try {
            FileStore store = Files.getFileStore(dataDir);
            return new DiskSpace(store.getTotalSpace(), store.getUsableSpace());
        } catch (IOException e) {
            return DiskSpace.UNKNOWN; // the store cannot say: the answer says unknown, as Kafka's default does
        }
    }
}
