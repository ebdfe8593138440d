package toykafka.broker;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Consumer;
import toykafka.broker.config.MetaProperties;
import toykafka.broker.config.DynamicBrokerConfigs;
import toykafka.broker.config.DynamicGroupConfigs;
import toykafka.broker.config.BrokerConfig;
import toykafka.archive.ArchiveDirectory;
import toykafka.storage.BatchLogStorage;
import toykafka.storage.FileLogStorage;
import toykafka.storage.MemoryBatchLogStorage;
import toykafka.storage.OpenFiles;
import toykafka.broker.txn.ProducerIdManager;

// tag::storage[]
/**
 * Where the broker keeps what it keeps, chosen once, at start: in a data directory on disk, or in memory only
 * ({@code storage=memory}), where nothing outlives the process. Everything that differs between the two is
 * made here: the partitions' logs, the node's identity ({@code meta.properties}), the producer ids handed out,
 * the settings changed while running (the broker's and each group's), the archive, and the disk's space. The rest of the broker never asks which.
 *
 * @param archive                 the folder retention, deleteRecords and the cleaner archive to before they delete
 * @param dataDir                 the data directory; null in memory
 * @param descriptorsPerPartition the file descriptors one partition holds: none in memory
 * @param openFiles               the bound on the segment files held open at once, which the descriptor budget counts
 */
record BrokerStorage(BatchLogStorage logs, MetaProperties identity, ProducerIdManager producerIds,
                     DynamicBrokerConfigs dynamicConfigs, DynamicGroupConfigs groupConfigs, ArchiveDirectory archive,
                     Path dataDir,
                     int descriptorsPerPartition, OpenFiles openFiles) {

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
            MetaProperties identity = MetaProperties.loadOrCreate(dataDir, config.nodeId(), config.clusterId());
            ProducerIdManager producerIds = new ProducerIdManager(dataDir);
            DynamicBrokerConfigs dynamic = DynamicBrokerConfigs.open(config, dataDir);
            return new BrokerStorage(logs, identity, producerIds, dynamic,
                    DynamicGroupConfigs.open(dynamic, dataDir), archive, dataDir, FileLogStorage.DESCRIPTORS_PER_PARTITION,
                    openFiles);
        } catch (RuntimeException e) {
            logs.close();
            throw e;
        }
    }

    /** Memory only: a new identity (the cluster id given, or a random one) and nothing written anywhere. */
    static BrokerStorage memory(BrokerConfig config, Clock clock) {
        Path dataDir = config.dataDir().toAbsolutePath().normalize();
        DynamicBrokerConfigs dynamic = DynamicBrokerConfigs.inMemory(config);
        return new BrokerStorage(new MemoryBatchLogStorage(clock), new MetaProperties(config.clusterId()
                .orElseGet(MetaProperties::randomClusterId), config.nodeId()), new ProducerIdManager(), dynamic,
                DynamicGroupConfigs.inMemory(dynamic), new ArchiveDirectory(dataDir.resolve("archive")), null, 0,
                OpenFiles.atMost(config.logOpenFilesMax()));
    }
    // end::storage[]

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
