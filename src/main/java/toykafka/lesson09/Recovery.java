package toykafka.lesson09;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import toykafka.common.CorruptRecordException;
import toykafka.common.Failures;
import toykafka.common.RecordBatch;
import toykafka.lesson08.DiskFile;
import toykafka.lesson08.IndexEntry;
import toykafka.lesson08.Offsets;
import toykafka.lesson08.PartitionDirectory;
import toykafka.lesson08.Segment;
import toykafka.lesson08.SegmentIndex;
import toykafka.lesson08.SegmentReader;
import toykafka.lesson08.SegmentScan;
import toykafka.lesson08.TimeIndex;

/**
 * Opens a partition's segments. After a clean shutdown every segment is trusted. After a crash, the
 * segments below the recovery point are trusted (they were flushed, indexes and all, before it was
 * written), and every later one is read record by record and checked. Only the newest segment can end
 * in a torn write, so only it is ever cut; damage anywhere else is in records that were flushed to disk,
 * and the log refuses to open rather than delete them. Kafka's {@code LogLoader}: everything here runs only
 * while a log opens.
 */
public final class Recovery {

    /**
     * The segments, oldest first, ready for use; the report of how they were opened; the log start offset;
     * and the recovery point, below which every record is on disk.
     */
    record Result(List<Segment> segments, RecoveryReport report, long logStartOffset, long recoveryPoint) {
    }

    private Recovery() {
    }

    // tag::load[]
    /** {@code stoppedCleanly}: the data directory's owner found its clean-shutdown marker ({@link DataDirectoryOwner}). */
    static Result load(Path dir, int indexIntervalBytes, DiskFile.Opener opener, boolean stoppedCleanly)
            throws IOException {
        long started = System.nanoTime();
        SegmentSwap.completeOrUndo(dir); // a cleaning the process stopped in: finished if committed, else undone
        Recovery.removeLeftovers(dir);
        MissingSegments.requireEveryLog(dir); // a .log gone while its indexes remain: records lost, not leftovers
        boolean clean = stoppedCleanly || DirectoryClaim.wasShutDownCleanly(dir);
        List<Long> bases = PartitionDirectory.segmentBaseOffsets(dir);
        long recoveryPoint = clean ? Long.MAX_VALUE : Checkpoints.readRecoveryPoint(dir);
        int firstToScan = clean ? bases.size() : segmentHolding(bases, recoveryPoint);
        boolean cleaned = PartitionDirectory.wasEverCleaned(dir); // else no batch was removed: offsets have no gaps
        long flushedUpTo = clean ? Checkpoints.readRecoveryPoint(dir) : recoveryPoint;

        List<Segment> segments = new ArrayList<>();
        Scan scan = new Scan();
        try {
            for (int i = 0; i < bases.size(); i++) {
                Segment segment = Segment.open(dir, bases.get(i), indexIntervalBytes, opener);
                segments.add(segment);
                long nextBase = i + 1 < bases.size() ? bases.get(i + 1) : -1;
                if (cleaned && nextBase >= 0) {
                    segment.allowGaps(); // the cleaner never rewrites the newest segment
                }
                try {
                    if (i < firstToScan) {
                        loadTrusted(segment, nextBase, dir, flushedUpTo, clean);
                    } else if (nextBase >= 0) {
                        scanSealed(segment, nextBase, scan); // rolled, so flushed whole: damage is not a torn write
                    } else {
                        scanNewest(segment, scan);           // the only segment a crash can leave torn
                    }
                } catch (EndsEarly early) {
                    throw MissingSegments.strayOrMissing(dir, bases, flushedUpTo, early);
                }
            }
            if (segments.isEmpty()) {
                segments.add(Segment.create(dir, 0, indexIntervalBytes, opener));
            }
            requireFlushedRecords(dir, segments.get(segments.size() - 1), flushedUpTo, clean);
            DirectoryClaim.takeCleanShutdownMarker(dir); // only now: a refusal leaves the directory as it was
        } catch (RecordsMissing missing) {
            Failures.closeAll(segments, missing);
            throw missing;
        } catch (CorruptRecordException damaged) {
            Failures.closeAll(segments, damaged); // nothing is left open when opening fails
            throw refusal(dir, damaged);
        } catch (IOException | RuntimeException e) {
            Failures.closeAll(segments, e);
            throw e;
        }
        RecoveryReport report = new RecoveryReport(clean, clean ? -1 : recoveryPoint, Math.min(firstToScan,
                bases.size()), List.copyOf(scan.names), scan.records, scan.bytes, scan.problem, scan.truncated,
                System.nanoTime() - started);
        Segment newest = segments.get(segments.size() - 1);
        try {
            long logStart = logStartOffset(dir, newest.nextOffset());
            if (clean && scan.names.isEmpty()) {
                return new Result(segments, report, logStart, Checkpoints.readRecoveryPoint(dir));
            }
            // everything before the newest segment is flushed now: trusted, or just recovered and forced
            Checkpoints.writeRecoveryPoint(dir, newest.baseOffset());
            return new Result(segments, report, logStart, newest.baseOffset());
        } catch (IOException | RuntimeException e) {
            Failures.closeAll(segments, e);
            throw e;
        }
    }
    // end::load[]

    /** Loads a segment without reading its records; rebuilds damaged indexes, refuses damaged records. */
    private static void loadTrusted(Segment segment, long nextBase, Path dir, long flushedUpTo, boolean clean)
            throws IOException {
        try {
            if (nextBase < 0) {
                loadActive(segment, clean && flushedUpTo >= segment.baseOffset() ? flushedUpTo : Offsets.UNKNOWN);
            } else {
                loadSealed(segment, nextBase);
            }
        } catch (IllegalArgumentException | CorruptRecordException damaged) {
            rescanWhole(segment, nextBase); // throws if a record is damaged or missing: that needs a person
            if (nextBase < 0) {
                requireFlushedRecords(dir, segment, flushedUpTo, clean); // before writing: a refusal changes nothing
            }
            segment.rewriteIndexes();
            segment.seal();
        }
    }

    private static void scanSealed(Segment segment, long nextBase, Scan scan) throws IOException {
        rescanWhole(segment, nextBase);
        segment.rewriteIndexes();
        segment.seal();
        scan.add(segment, segment.size());
    }

    private static void scanNewest(Segment segment, Scan scan) throws IOException {
        long sizeBefore = Files.size(segment.file("log"));
        scan.problem = recover(segment);
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

    // tag::load-segment[]
    /**
     * Loads a flushed, older segment: trusts its indexes, and reads only the records after the last index
     * entry (about index.interval.bytes) to check that they end exactly where the file ends, with the
     * record just before {@code nextBaseOffset}: a file cut short must not pass for a whole one.
     */
    static void loadSealed(Segment segment, long nextBaseOffset) throws IOException {
        segment.adoptIndexes(segment.logFile().size());
        TimeIndex times = segment.timeIndex();
        if (segment.size() > 0 && times.entries() == 0) {
            throw new IllegalArgumentException("a sealed segment's time index has no entry, not even its last");
        }
        if (times.entries() > 0 && times.offset(times.entries() - 1) >= nextBaseOffset) {
            throw new IllegalArgumentException("the time index names an offset past the segment's last record");
        }
        Tail tail = readTail(segment, nextBaseOffset);
        requireEndsBefore(segment, nextBaseOffset, tail.lastOffset());
        if (tail.newest() != times.lastTimestamp()) { // sealing wrote an entry for the newest record
            throw new IllegalArgumentException("the time index's last entry says " + times.lastTimestamp()
                    + ", but the newest record is stamped " + tail.newest() + ": entries are missing or wrong");
        }
        segment.adoptTail(nextBaseOffset, tail.newest(), -1, Segment.NO_TIMESTAMP);
    }
    // end::load-segment[]

    /** The last record's offset, and the newest timestamp among the batches the time index cannot vouch for. */
    private record Tail(long lastOffset, long newest, long offsetOfNewest) {
    }

    /**
     * Reads the records after the second-to-last time index entry (and at least those after the last
     * offset index entry). Entries are added only when the newest timestamp grows, so the newest record
     * of the segment lies in that stretch; a time index cut short, or with a changed last entry, then
     * disagrees with what is read. A few KiB as a rule.
     */
    private static Tail readTail(Segment segment, long endsBefore) throws IOException {
        TimeIndex times = segment.timeIndex();
        int entries = times.entries();
        long from = entries >= 2 ? times.offset(entries - 2) + 1 : segment.baseOffset();
        SegmentReader reader = segment.reader(segment.index().lookup(Math.min(from, segment.index().last().offset())),
                endsBefore);
        long lastOffset = segment.baseOffset() - 1;
        long newest = Segment.NO_TIMESTAMP;
        long offsetOfNewest = -1;
        while (reader.next()) {
            lastOffset = reader.lastOffset();
            if (lastOffset >= from && reader.maxTimestamp() > newest && reader.maxTimestamp() != RecordBatch.NO_TIMESTAMP) {
                newest = reader.maxTimestamp();
                offsetOfNewest = lastOffset;
            }
        }
        return new Tail(lastOffset, newest, offsetOfNewest);
    }

    private static void requireEndsBefore(Segment segment, long nextBaseOffset, long lastOffset) {
        if (lastOffset != nextBaseOffset - 1) {
            String missing = lastOffset + 2 == nextBaseOffset ? "record " + (lastOffset + 1) + " is missing"
                    : "records " + (lastOffset + 1) + ".." + (nextBaseOffset - 1) + " are missing";
            throw new EndsEarly(segment.name(), segment.size(), "the last record here has offset "
                    + lastOffset + ", but the next segment starts at offset " + nextBaseOffset + ": " + missing
                    + " (the end of this segment, or a segment " + PartitionDirectory.fileName(lastOffset + 1, "log")
                    + " that held them)", lastOffset, nextBaseOffset);
        }
    }

    /** A segment's records stop before the next segment's base: the next one may be a stray file, or records are gone. */
    static final class EndsEarly extends CorruptRecordException {
        final long lastOffset;
        final long nextBase;

        EndsEarly(String segment, long position, String reason, long lastOffset, long nextBase) {
            super(segment, position, reason);
            this.lastOffset = lastOffset;
            this.nextBase = nextBase;
        }
    }

    /**
     * Loads the active segment after a clean shutdown: trusts its indexes, reads the records after the last entry,
     * which end before {@code endsBefore}, the end offset the shutdown checkpointed (or -1 if not known).
     */
    private static void loadActive(Segment segment, long endsBefore) throws IOException {
        segment.adoptIndexes(segment.logFile().size());
        TimeIndex times = segment.timeIndex();
        Tail tail = readTail(segment, endsBefore);
        if (times.entries() > 0 && tail.newest() < times.lastTimestamp()) {
            throw new IllegalArgumentException("the time index's last entry says " + times.lastTimestamp()
                    + ", newer than any record after the entry before it (" + tail.newest() + ")");
        }
        boolean tailIsNewest = tail.newest() >= times.lastTimestamp();
        long firstTimestamp = Segment.NO_TIMESTAMP;
        if (segment.size() > 0) {
            SegmentReader head = segment.reader(new IndexEntry(segment.baseOffset(), 0), endsBefore);
            head.next();
            firstTimestamp = head.maxTimestamp(); // what segment.ms counts from, as in Kafka
        }
        segment.adoptTail(Math.max(segment.nextOffset(), tail.lastOffset() + 1),
                tailIsNewest ? tail.newest() : times.lastTimestamp(),
                tailIsNewest ? tail.offsetOfNewest() : times.offset(times.entries() - 1), firstTimestamp);
    }

    // tag::recover-segment[]
    /**
     * Rebuilds a segment from its .log alone: reads every batch, checking each, and rebuilds both indexes.
     * At the first batch that is torn or damaged, cuts the file there. Returns what it found wrong, or null
     * if every batch was good. Only for the newest segment after a crash: a torn write can only be there.
     */
    public static CorruptRecordException recover(Segment segment) throws IOException {
        SegmentIndex indexOnDisk = segment.indexOnDisk(); // as the crash left it: evidence only
        long fileSize = segment.logFile().size();
        CorruptRecordException problem = SegmentScan.rescan(segment, Offsets.UNKNOWN);
        if (problem instanceof Offsets.OutOfOrder) {
            throw problem; // its CRC is good, so the write was whole: the damage came later
        }
        if (problem != null && goodRecordsFollow(segment, problem.position(), indexOnDisk)) {
            throw new CorruptRecordException(segment.name(), problem.position(), problem.reason() + "; good records"
                    + " follow it, so this is damage inside the log, not the tail of a write the crash cut off");
        }
        MissingSegments.requireIndexedRecords(segment, indexOnDisk, fileSize);
        segment.truncateToRescanned();
        return problem;
    }
    // end::recover-segment[]

    /**
     * Reads every record of a segment that was flushed whole and rebuilds its indexes in memory only; refuses,
     * cutting nothing, if a record is damaged, or if the records stop before {@code nextBaseOffset}, where the
     * next segment begins (negative for the newest segment, which nothing follows).
     */
    static void rescanWhole(Segment segment, long nextBaseOffset) throws IOException {
        CorruptRecordException problem = SegmentScan.rescan(segment, nextBaseOffset >= 0 ? nextBaseOffset : Offsets.UNKNOWN);
        if (problem != null) {
            throw problem;
        }
        if (nextBaseOffset >= 0) {
            requireEndsBefore(segment, nextBaseOffset, segment.nextOffset() - 1);
        }
        segment.markDurable();
    }

    /**
     * A crash can only tear the end of what was written. So a bad batch is a torn tail only if nothing
     * good comes after it: not the batch its length field points to, nor one an index entry past it
     * points to. Either found means records after the damage, perhaps acknowledged: never cut those.
     */
    private static boolean goodRecordsFollow(Segment segment, long badAt, SegmentIndex indexOnDisk)
            throws IOException {
        DiskFile log = segment.logFile();
        long fileSize = log.size();
        ByteBuffer head = ByteBuffer.allocate(RecordBatch.LOG_OVERHEAD);
        if (log.readFully(head, badAt) == RecordBatch.LOG_OVERHEAD) {
            long after = badAt + RecordBatch.LOG_OVERHEAD
                    + Integer.toUnsignedLong(head.getInt(RecordBatch.LOG_OVERHEAD - 4));
            if (after < fileSize && isGoodBatch(segment, new SegmentReader(log::read, segment.name(), after, fileSize))) {
                return true;
            }
        }
        for (int i = 0; i < indexOnDisk.entries(); i++) {
            IndexEntry entry = indexOnDisk.entry(i);
            if (entry.position() > badAt && entry.position() < fileSize
                    && isGoodBatch(segment, SegmentReader.from(log::read, segment.name(), entry, fileSize))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a good batch, one that is past the damage in offsets too, starts where the reader starts. */
    private static boolean isGoodBatch(Segment segment, SegmentReader reader) throws IOException {
        try {
            return reader.next() && reader.baseOffset() >= segment.nextOffset();
        } catch (CorruptRecordException notABatch) {
            return false;
        }
    }

    /** The log start offset deleteRecordsBefore left, which cannot lie past the log's end. */
    private static long logStartOffset(Path dir, long endOffset) throws IOException {
        long start = Checkpoints.readLogStartOffset(dir);
        if (start > endOffset) {
            // records below it were flushed before it was written, and recovery never cuts flushed records
            throw new IOException(Checkpoints.LOG_START + " says records were deleted up to offset " + start
                    + ", but the log ends at " + endOffset + ": segments are missing");
        }
        return start;
    }

    // tag::flushed[]
    /**
     * The checkpoint says records up to {@code flushedUpTo} reached the disk (all of them, after a clean
     * shutdown). If the segments end before that, flushed records are gone: a file cut or deleted by
     * something else. Opening would quietly hand their offsets to new records, so the log refuses.
     */
    private static void requireFlushedRecords(Path dir, Segment newest, long flushedUpTo, boolean clean) {
        if (newest.nextOffset() < flushedUpTo) {
            throw new RecordsMissing(newest.name(), newest.size(), "the log was " + (clean
                    ? "shut down cleanly with records up to offset " : "flushed up to offset ") + (flushedUpTo - 1)
                    + ", but its segments end at offset " + (newest.nextOffset() - 1) + ": records "
                    + newest.nextOffset() + ".." + (flushedUpTo - 1) + " are missing from " + dir + ". Restore the"
                    + " segment files from a copy; or, to accept the loss, delete " + Checkpoints.RECOVERY_POINT
                    + " and " + DirectoryClaim.CLEAN_SHUTDOWN + ", and the next open recovers from the records"
                    + " that are left");
        }
    }
    // end::flushed[]

    /** Records that existed are missing, and the message already says what a person can do. */
    static final class RecordsMissing extends CorruptRecordException {
        RecordsMissing(String segment, long position, String reason) {
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

    /**
     * Removes what an interrupted write leaves behind: a checkpoint's temporary file, and the files of a
     * segment whose deletion stopped half-way (its log renamed to {@code .deleted}, or moved aside as
     * {@code .damaged}). Index files without their log and without that proof are not leftovers but the
     * evidence of a lost log: they stay, for {@link MissingSegments} to refuse. Only opening a log does this,
     * never a tool that looks.
     */
    static void removeLeftovers(Path dir) throws IOException {
        List<Path> leftovers = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.equals(Checkpoints.RECOVERY_POINT + ".tmp") || name.equals(Checkpoints.LOG_START + ".tmp")
                        || name.equals(PartitionDirectory.CLEANER_CHECKPOINT + ".tmp")) {
                    leftovers.add(file);
                } else if (name.endsWith(PartitionDirectory.DELETED) && PartitionDirectory.isSegmentFile(name.substring(0, name.length() - PartitionDirectory.DELETED.length()))) {
                    leftovers.add(file);
                } else if (PartitionDirectory.isSegmentFile(name) && !name.endsWith(".log")
                        && !Files.exists(dir.resolve(PartitionDirectory.fileName(PartitionDirectory.baseOffsetOf(file), "log")))
                        && (Files.exists(dir.resolve(PartitionDirectory.fileName(PartitionDirectory.baseOffsetOf(file), "log") + PartitionDirectory.DELETED))
                        || Files.exists(dir.resolve(PartitionDirectory.fileName(PartitionDirectory.baseOffsetOf(file), "log") + PartitionDirectory.DAMAGED)))) {
                    leftovers.add(file);
                }
            }
        }
        for (Path leftover : leftovers) {
            Files.deleteIfExists(leftover);
        }
    }
}
