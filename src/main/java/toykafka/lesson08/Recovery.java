package toykafka.lesson08;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a partition's segments. After a clean shutdown every segment is trusted. After a crash, the
 * segments below the recovery point are trusted (they were flushed, indexes and all, before it was
 * written), and every later one is read record by record, checked, and cut at the first bad frame.
 */
final class Recovery {

    /** The segments, oldest first, ready for use, and the report of how they were opened. */
    record Result(List<Segment> segments, RecoveryReport report) {
    }

    private Recovery() {
    }

    // tag::load[]
    static Result load(Path dir, int indexIntervalBytes) throws IOException {
        long started = System.nanoTime();
        boolean clean = PartitionDirectory.takeCleanShutdownMarker(dir);
        List<Long> bases = PartitionDirectory.segmentBaseOffsets(dir);
        long recoveryPoint = clean ? Long.MAX_VALUE : PartitionDirectory.readRecoveryPoint(dir);
        int firstToScan = clean ? bases.size() : segmentHolding(bases, recoveryPoint);

        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < firstToScan; i++) {
            Segment segment = Segment.open(dir, bases.get(i), indexIntervalBytes);
            segments.add(segment);
            boolean last = i == bases.size() - 1;
            if (!loadTrusted(segment, last ? -1 : bases.get(i + 1))) {
                // the active segment's tail was damaged after a clean shutdown: treat it as after a crash
                firstToScan = i;
                segments.remove(i);
                segment.close();
                break;
            }
        }
        Scan scan = new Scan();
        for (int i = firstToScan; i < bases.size(); i++) {
            Segment segment = Segment.open(dir, bases.get(i), indexIntervalBytes);
            if (scan.problem != null) { // everything after the cut goes: offsets must stay contiguous
                segment.delete();
                scan.deleted.add(segment.name());
                continue;
            }
            segments.add(segment);
            long sizeBefore = Files.size(segment.file("log"));
            scan.problem = segment.recover();
            scan.names.add(segment.name());
            scan.records += segment.nextOffset() - segment.baseOffset();
            scan.bytes += segment.size();
            scan.truncated += sizeBefore - segment.size();
            if (scan.problem == null && i < bases.size() - 1) {
                segment.seal();
            }
        }
        if (segments.isEmpty()) {
            segments.add(Segment.create(dir, 0, indexIntervalBytes));
        }
        checkContiguous(segments);
        RecoveryReport report = new RecoveryReport(clean, clean ? -1 : recoveryPoint, firstToScan,
                List.copyOf(scan.names), scan.records, scan.bytes, scan.problem, scan.truncated,
                List.copyOf(scan.deleted), System.nanoTime() - started);
        return new Result(segments, report);
    }
    // end::load[]

    /** What the scan of the segments after the recovery point has found so far. */
    private static final class Scan {
        final List<String> names = new ArrayList<>();
        final List<String> deleted = new ArrayList<>();
        long records;
        long bytes;
        long truncated;
        CorruptRecordException problem;
    }

    /** The index of the segment that holds the offset: the last whose base is at or below it, else the first. */
    private static int segmentHolding(List<Long> bases, long offset) {
        int holding = 0;
        for (int i = 0; i < bases.size(); i++) {
            if (bases.get(i) <= offset) {
                holding = i;
            }
        }
        return holding;
    }

    /** Loads a segment without reading its records; false if the active segment's tail turns out damaged. */
    private static boolean loadTrusted(Segment segment, long nextBase) throws IOException {
        try {
            if (nextBase < 0) {
                segment.loadActive();
            } else {
                segment.loadSealed(nextBase);
            }
            return true;
        } catch (IllegalArgumentException damagedIndex) {
            if (nextBase < 0) {
                return false;
            }
            segment.rebuildIndexes(); // refuses if a record is damaged too: that needs a person
            segment.seal();
            return true;
        } catch (CorruptRecordException damagedTail) {
            return false;
        }
    }

    private static void checkContiguous(List<Segment> segments) {
        for (int i = 1; i < segments.size(); i++) {
            Segment before = segments.get(i - 1);
            Segment segment = segments.get(i);
            if (segment.baseOffset() != before.nextOffset()) {
                throw new IllegalStateException("segment " + segment.name() + " starts at offset "
                        + segment.baseOffset() + " but " + before.name() + " ends before offset " + before.nextOffset()
                        + ": the offsets would not be contiguous; move the stray segment out of the directory");
            }
        }
    }
}
