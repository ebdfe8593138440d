package toykafka.lesson08;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import toykafka.common.CorruptRecordException;

/**
 * Opens a partition's segments. After a clean shutdown every segment is trusted. After a crash, the
 * segments below the recovery point are trusted (they were flushed, indexes and all, before it was
 * written), and every later one is read record by record and checked. Only the newest segment can end
 * in a torn write, so only it is ever cut; damage anywhere else is in records that were flushed to disk,
 * and the log refuses to open rather than delete them.
 */
final class Recovery {

    /** The segments, oldest first, ready for use, and the report of how they were opened. */
    record Result(List<Segment> segments, RecoveryReport report) {
    }

    private Recovery() {
    }

    // tag::load[]
    static Result load(Path dir, int indexIntervalBytes, DiskFile.Opener opener) throws IOException {
        long started = System.nanoTime();
        PartitionDirectory.removeLeftovers(dir);
        boolean clean = PartitionDirectory.wasShutDownCleanly(dir);
        List<Long> bases = PartitionDirectory.segmentBaseOffsets(dir);
        long recoveryPoint = clean ? Long.MAX_VALUE : PartitionDirectory.readRecoveryPoint(dir);
        int firstToScan = clean ? bases.size() : segmentHolding(bases, recoveryPoint);

        List<Segment> segments = new ArrayList<>();
        Scan scan = new Scan();
        try {
            for (int i = 0; i < bases.size(); i++) {
                Segment segment = Segment.open(dir, bases.get(i), indexIntervalBytes, opener);
                segments.add(segment);
                long nextBase = i + 1 < bases.size() ? bases.get(i + 1) : -1;
                if (i < firstToScan) {
                    loadTrusted(segment, nextBase);
                } else if (nextBase >= 0) {
                    scanSealed(segment, nextBase, scan); // rolled, so flushed whole: damage is not a torn write
                } else {
                    scanNewest(segment, scan);           // the only segment a crash can leave torn
                }
            }
            if (segments.isEmpty()) {
                segments.add(Segment.create(dir, 0, indexIntervalBytes, opener));
            }
            PartitionDirectory.takeCleanShutdownMarker(dir); // only now: a refusal leaves the directory as it was
        } catch (CorruptRecordException damaged) {
            closeAll(segments, damaged); // nothing is left open when opening fails
            throw refusal(dir, damaged);
        } catch (IOException | RuntimeException e) {
            closeAll(segments, e);
            throw e;
        }
        RecoveryReport report = new RecoveryReport(clean, clean ? -1 : recoveryPoint, Math.min(firstToScan,
                bases.size()), List.copyOf(scan.names), scan.records, scan.bytes, scan.problem, scan.truncated,
                System.nanoTime() - started);
        return new Result(segments, report);
    }
    // end::load[]

    /** Loads a segment without reading its records; rebuilds damaged indexes, refuses damaged records. */
    private static void loadTrusted(Segment segment, long nextBase) throws IOException {
        try {
            if (nextBase < 0) {
                segment.loadActive();
            } else {
                segment.loadSealed(nextBase);
            }
        } catch (IllegalArgumentException | CorruptRecordException damaged) {
            segment.rebuildIndexes(nextBase); // throws if a record is damaged or missing: that needs a person
            segment.seal();
        }
    }

    private static void scanSealed(Segment segment, long nextBase, Scan scan) throws IOException {
        segment.rebuildIndexes(nextBase);
        segment.seal();
        scan.add(segment, segment.size());
    }

    private static void scanNewest(Segment segment, Scan scan) throws IOException {
        long sizeBefore = Files.size(segment.file("log"));
        scan.problem = segment.recover();
        scan.truncated = sizeBefore - segment.size();
        scan.add(segment, segment.size());
    }

    /** What the scan of the segments after the recovery point has found so far. */
    private static final class Scan {
        final List<String> names = new ArrayList<>();
        long records;
        long bytes;
        long truncated;
        CorruptRecordException problem;

        void add(Segment segment, long goodBytes) {
            names.add(segment.name());
            records += segment.nextOffset() - segment.baseOffset();
            bytes += goodBytes;
        }
    }

    /** The index of the segment that holds {@code offset}: the last whose base offset is at or below it. */
    private static int segmentHolding(List<Long> bases, long offset) {
        int holding = 0;
        for (int i = 0; i < bases.size(); i++) {
            if (bases.get(i) <= offset) {
                holding = i;
            }
        }
        return holding;
    }

    /** Damage in records that were flushed: refuse to open, and say what a person can do. */
    private static CorruptRecordException refusal(Path dir, CorruptRecordException bad) {
        CorruptRecordException refusal = new CorruptRecordException(bad.segment(), bad.position(), bad.reason()
                + "; these records were flushed to disk, so this is damage, not a torn write, and the log in " + dir
                + " will not open rather than lose them: look with toykafka dump, and to open the log without"
                + " them, move this segment and every later one out of the directory");
        refusal.initCause(bad);
        return refusal;
    }

    private static void closeAll(List<Segment> segments, Exception failure) {
        for (Segment segment : segments) {
            try {
                segment.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
