package toykafka.lesson09;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import toykafka.lesson12.RetainedBatches;
import toykafka.common.RecordBatch;
import toykafka.lesson08.Segment;
import toykafka.lesson08.DiskFile;
import toykafka.lesson08.PartitionDirectory;

/**
 * Cleans a closed log's segments the way the log cleaner will, until it exists: the gapped segments the
 * read path must handle. Each batch goes through {@link RetainedBatches#retain}; a batch with nothing kept is
 * dropped, except the last of its segment, which stays empty so the segment still ends where the next
 * one begins. The active (newest) segment is never cleaned.
 */
public final class CleanedSegments {

    private CleanedSegments() {
    }

    /** Rewrites every segment but the newest of the partition directory, keeping the offsets {@code keep} accepts. */
    public static void clean(Path partitionDir, int indexIntervalBytes, LongPredicate keep) throws IOException {
        List<Long> bases = PartitionDirectory.segmentBaseOffsets(partitionDir);
        if (!PartitionDirectory.wasEverCleaned(partitionDir)) { // as the cleaner does: from now on gaps are no damage
            Checkpoints.writeCleanerCheckpoint(partitionDir, 0);
        }
        for (long base : bases.subList(0, bases.size() - 1)) {
            Path logFile = partitionDir.resolve(PartitionDirectory.fileName(base, "log"));
            List<RecordBatch> batches = RecordBatch.wrapAll(ByteBuffer.wrap(Files.readAllBytes(logFile)));
            List<RecordBatch> retained = new ArrayList<>();
            for (int i = 0; i < batches.size(); i++) {
                RecordBatch batch = batches.get(i);
                RecordBatch kept = RetainedBatches.retain(batch, delta -> keep.test(batch.baseOffset() + delta));
                if (kept.count() > 0 || i == batches.size() - 1) {
                    retained.add(kept);
                }
            }
            for (String extension : List.of("log", "index", "timeindex")) {
                Files.delete(partitionDir.resolve(PartitionDirectory.fileName(base, extension)));
            }
            try (Segment segment = Segment.create(partitionDir, base, indexIntervalBytes, DiskFile.Opener.DEFAULT)) {
                segment.append(SegmentSwap.retained(retained));
                segment.seal();
            }
        }
    }

    /** The base offsets of the batches in each segment file, oldest segment first. */
    public static List<List<Long>> batchBases(Path partitionDir) throws IOException {
        List<List<Long>> segments = new ArrayList<>();
        for (long base : PartitionDirectory.segmentBaseOffsets(partitionDir)) {
            Path logFile = partitionDir.resolve(PartitionDirectory.fileName(base, "log"));
            segments.add(RecordBatch.wrapAll(ByteBuffer.wrap(Files.readAllBytes(logFile))).stream()
                    .map(RecordBatch::baseOffset).toList());
        }
        return segments;
    }
}
