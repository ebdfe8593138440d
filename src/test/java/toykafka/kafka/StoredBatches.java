package toykafka.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.RecordBatch;
import toykafka.lesson08.PartitionDirectory;

/**
 * The batches a partition's segment files hold, read by Kafka's own {@link FileRecords}: how a test sees what
 * a client's produce became on disk (its codec, its producer id and sequence), not what our code says it is.
 */
final class StoredBatches {

    /** One stored batch's header, as Kafka's reader sees it. */
    record Batch(long baseOffset, long lastOffset, String compression, long producerId, short producerEpoch,
                 int baseSequence, int partitionLeaderEpoch) {
    }

    private StoredBatches() {
    }

    static List<Batch> of(Path dataDir, String topic, int partition) {
        List<Batch> batches = new ArrayList<>();
        for (Path segment : segmentFiles(dataDir, topic, partition, ".log")) {
            try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
                for (RecordBatch batch : records.batches()) {
                    batches.add(new Batch(batch.baseOffset(), batch.lastOffset(), batch.compressionType().name,
                            batch.producerId(), batch.producerEpoch(), batch.baseSequence(),
                            batch.partitionLeaderEpoch()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + segment, e);
            }
        }
        return batches;
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
