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
        SegmentSwap.completeOrUndo(dir); // a cleaning the process stopped in: finished if committed, else undone
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
                    loadTrusted(segment, nextBase, dir, clean ? PartitionDirectory.readRecoveryPoint(dir) : recoveryPoint,
                            clean);
                } else if (nextBase >= 0) {
                    scanSealed(segment, nextBase, scan); // rolled, so flushed whole: damage is not a torn write
                } else {
                    scanNewest(segment, scan);           // the only segment a crash can leave torn
                }
            }
            if (segments.isEmpty()) {
                segments.add(Segment.create(dir, 0, indexIntervalBytes, opener));
            }
            requireFlushedRecords(dir, segments.get(segments.size() - 1), clean ? PartitionDirectory.readRecoveryPoint(dir)
                    : recoveryPoint, clean);
            PartitionDirectory.takeCleanShutdownMarker(dir); // only now: a refusal leaves the directory as it was
        } catch (FlushedRecordsMissing missing) {
            closeAll(segments, missing);
            throw missing;
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
    private static void loadTrusted(Segment segment, long nextBase, Path dir, long flushedUpTo, boolean clean)
            throws IOException {
        try {
            if (nextBase < 0) {
                segment.loadActive();
            } else {
                segment.loadSealed(nextBase);
            }
        } catch (IllegalArgumentException | CorruptRecordException damaged) {
            segment.rescanWhole(nextBase); // throws if a record is damaged or missing: that needs a person
            if (nextBase < 0) {
                requireFlushedRecords(dir, segment, flushedUpTo, clean); // before writing: a refusal changes nothing
            }
            segment.rewriteIndexes();
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

    // tag::flushed[]
    /**
     * The checkpoint says records up to {@code flushedUpTo} reached the disk (all of them, after a clean
     * shutdown). If the segments end before that, flushed records are gone: a file cut or deleted by
     * something else. Opening would quietly hand their offsets to new records, so the log refuses.
     */
    private static void requireFlushedRecords(Path dir, Segment newest, long flushedUpTo, boolean clean) {
        if (newest.nextOffset() < flushedUpTo) {
            throw new FlushedRecordsMissing(newest.name(), newest.size(), "the log was " + (clean
                    ? "shut down cleanly with records up to offset " : "flushed up to offset ") + (flushedUpTo - 1)
                    + ", but its segments end at offset " + (newest.nextOffset() - 1) + ": records "
                    + newest.nextOffset() + ".." + (flushedUpTo - 1) + " are missing from " + dir + ". Restore the"
                    + " segment files from a copy; or, to accept the loss, delete " + PartitionDirectory.RECOVERY_POINT
                    + " and " + PartitionDirectory.CLEAN_SHUTDOWN + ", and the next open recovers from the records"
                    + " that are left");
        }
    }
    // end::flushed[]

    /** Flushed records are missing, and the message already says what a person can do. */
    private static final class FlushedRecordsMissing extends CorruptRecordException {
        FlushedRecordsMissing(String segment, long position, String reason) {
            super(segment, position, reason);
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
