package toykafka.lesson09;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import toykafka.common.CorruptRecordException;
import toykafka.common.Directories;
import toykafka.common.RecordBatch;
import toykafka.lesson08.DiskFile;
import toykafka.lesson08.IndexEntry;
import toykafka.lesson08.LocalLog;
import toykafka.lesson08.Offsets;
import toykafka.lesson08.PartitionDirectory;
import toykafka.lesson08.PreparedAppend;
import toykafka.lesson08.Segment;
import toykafka.lesson08.SegmentInfo;
import toykafka.lesson08.SegmentReader;

/**
 * Replaces a run of segments with one rewritten segment so that a crash at any moment leaves either all the
 * old segments or the new one, never a mix and never neither. Kafka's cleaner does it with the same file
 * suffixes:
 * <ol>
 * <li>the new segment is written whole as {@code <base>.log.cleaned} (and its indexes), and forced;</li>
 * <li>its files are renamed to {@code .swap}, the log last. <em>That rename is the commit:</em> from then on
 *     the new segment is the truth, and opening the log finishes the swap;</li>
 * <li>the old segments' files are deleted, each log first;</li>
 * <li>the {@code .swap} files are renamed to their final names, the log last.</li>
 * </ol>
 * Before the commit, opening the log deletes the {@code .cleaned} files and keeps the old segments. The
 * rewrite is the log cleaner's tool (Kafka's {@code Cleaner.cleanSegments} with {@code LocalLog.replaceSegments});
 * what to keep is the cleaner's to decide.
 */
public final class SegmentSwap {

    static final String CLEANED = ".cleaned";
    static final String SWAP = ".swap";
    private static final int REWRITE_CHUNK_BYTES = 1 << 20;
    private static final List<String> INDEXES_THEN_LOG = List.of("index", "timeindex", "log");
    private static final Pattern SWAPPED_LOG = Pattern.compile("(\\d{20})\\.log\\" + SWAP);

    private SegmentSwap() {
    }

    // tag::rewrite[]
    /**
     * Rewrites the sealed segments of {@code log} from {@code fromBase} up to {@code toBase} (a later segment's
     * base, at most the active segment's) as one segment, passing every batch through {@code rewriter}, and
     * swaps it in for them so that a crash at any moment leaves the old segments or the new one. Offsets never
     * change: the rewriter may drop records from a batch, and a batch left with none is dropped, except the
     * last, which stays empty so the segment still ends where the next begins. Then {@code cleanedUpTo} is
     * written as the log's cleaner checkpoint. If the rewriter throws, nothing changes.
     */
    public static SegmentInfo rewrite(FileLog log, long fromBase, long toBase, SegmentRewriter rewriter,
                                      long cleanedUpTo) {
        Objects.requireNonNull(rewriter, "rewriter");
        Path dir = log.directory();
        int indexInterval = log.config().indexIntervalBytes();
        log.removals().lock(); // one pass that removes records at a time: retention, deleteRecords or cleaning
        try {
            List<Segment> old = log.local().underLock(() -> segmentsToRewrite(log, fromBase, toBase));
            Segment cleaned = Segment.createAside(dir, fromBase, indexInterval, log.local().opener(), CLEANED);
            try {
                writeRewritten(old, rewriter, cleaned);
                cleaned.seal();
                cleaned.close();
                rewriter.beforeSwap();
            } catch (IOException | RuntimeException | Error e) {
                DiskFile.closeQuietly(cleaned, e);
                abandon(dir, fromBase);
                throw e;
            }
            if (!PartitionDirectory.wasEverCleaned(dir)) { // before the commit: from then on offsets may have gaps
                Checkpoints.writeCleanerCheckpoint(dir, 0);
            }
            commit(dir, fromBase, old);
            Segment swapped = Segment.open(dir, fromBase, indexInterval, log.local().opener());
            swapped.allowGaps();
            try {
                Recovery.loadSealed(swapped, toBase);
            } catch (IllegalArgumentException | CorruptRecordException badIndex) {
                Recovery.rescanWhole(swapped, toBase);
                swapped.rewriteIndexes();
                swapped.seal();
            }
            log.replaceSegments(old, swapped);
            Checkpoints.writeCleanerCheckpoint(dir, Math.max(cleanedUpTo(log), cleanedUpTo));
            return swapped.info();
        } catch (IOException e) {
            throw log.failure("cannot rewrite segments " + fromBase + " to " + toBase + " of", e);
        } finally {
            log.removals().unlock();
        }
    }

    /** The sealed segments from {@code fromBase} up to {@code toBase}, refusing a range that is not whole segments. */
    private static List<Segment> segmentsToRewrite(FileLog log, long fromBase, long toBase) {
        log.local().requireOpen();
        var segments = log.local().segmentsByBase();
        long activeBase = log.local().activeSegment().baseOffset();
        if (!segments.containsKey(fromBase) || (!segments.containsKey(toBase)) || toBase <= fromBase
                || toBase > activeBase) {
            throw new IllegalArgumentException("segments from " + fromBase + " to " + toBase + " cannot be rewritten:"
                    + " both must be segment base offsets, in order, and the active segment (from "
                    + activeBase + ") is never rewritten; the segments start at " + segments.keySet());
        }
        return List.copyOf(segments.subMap(fromBase, toBase).values());
    }

    /** Every batch of the old segments through the rewriter into the new one, a megabyte at a time. */
    private static void writeRewritten(List<Segment> old, SegmentRewriter rewriter, Segment cleaned)
            throws IOException {
        List<RecordBatch> pending = new ArrayList<>();
        long pendingBytes = 0;
        RecordBatch last = null; // held back: the very last batch stays even when empty
        for (Segment segment : old) {
            SegmentReader reader = segment.reader(new IndexEntry(segment.baseOffset(), 0));
            while (reader.next()) {
                RecordBatch kept = rewriter.rewrite(copyOf(reader.batch()));
                if (kept.baseOffset() != reader.baseOffset() || kept.lastOffset() != reader.lastOffset()) {
                    throw new IllegalStateException("a rewritten batch must cover the offsets it did, "
                            + reader.baseOffset() + ".." + reader.lastOffset() + ", not " + kept);
                }
                if (last != null && last.count() > 0) {
                    pending.add(last);
                    pendingBytes += last.sizeInBytes();
                }
                last = kept;
                if (pendingBytes >= REWRITE_CHUNK_BYTES) {
                    cleaned.append(retained(pending));
                    pending.clear();
                    pendingBytes = 0;
                }
            }
        }
        if (last != null) {
            pending.add(last);
        }
        if (!pending.isEmpty()) {
            cleaned.append(retained(pending));
        }
    }

    /**
     * Rewritten batches ready for a segment of their own: they keep the offsets they had, gaps and all, so
     * nothing is checked or stamped here, as it is for a producer's batches.
     */
    static PreparedAppend retained(List<RecordBatch> batches) {
        ByteBuffer bytes = ByteBuffer.allocate(batches.stream().mapToInt(RecordBatch::sizeInBytes).sum());
        batches.forEach(batch -> bytes.put(batch.buffer()));
        return new PreparedAppend(bytes.flip(), RecordBatch.wrapAll(bytes));
    }

    private static RecordBatch copyOf(RecordBatch view) {
        ByteBuffer bytes = ByteBuffer.allocate(view.sizeInBytes()).put(view.buffer()).flip();
        return RecordBatch.wrap(bytes);
    }
    // end::rewrite[]

    /** How far the log cleaner has cleaned {@code log} (Kafka's cleaner-offset-checkpoint); 0 if never. */
    public static long cleanedUpTo(FileLog log) {
        try {
            return Checkpoints.readCleanerCheckpoint(log.directory());
        } catch (IOException e) {
            throw log.failure("cannot read the cleaner checkpoint of", e);
        }
    }

    // tag::commit[]
    /** Swaps the forced {@code .cleaned} segment at {@code base} in for {@code old}, the segments it replaces. */
    static void commit(Path dir, long base, List<Segment> old) throws IOException {
        for (String extension : INDEXES_THEN_LOG) {
            rename(dir, base, extension, CLEANED, SWAP);
        }
        Directories.syncDirectory(dir); // committed: a crash from here on finishes the swap
        for (Segment segment : old) {
            segment.unlinkKeepingOpen();
        }
        for (String extension : INDEXES_THEN_LOG) {
            rename(dir, base, extension, SWAP, "");
        }
        Directories.syncDirectory(dir);
    }
    // end::commit[]

    /** Deletes a rewritten segment that will not be swapped in: the cleaning failed or was given up. */
    static void abandon(Path dir, long base) throws IOException {
        for (String extension : INDEXES_THEN_LOG) {
            Files.deleteIfExists(dir.resolve(PartitionDirectory.fileName(base, extension) + CLEANED));
        }
    }

    // tag::recover[]
    /**
     * Run when a log opens, before its segments are read: finishes a swap that was committed (a {@code .log.swap}
     * file is there) and undoes one that was not (only {@code .cleaned} files, or index {@code .swap} files
     * without their log). Returns how many swaps it finished.
     */
    static int completeOrUndo(Path dir) throws IOException {
        List<Long> committed = new ArrayList<>();
        List<Path> uncommitted = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                Matcher swappedLog = SWAPPED_LOG.matcher(name);
                if (swappedLog.matches()) {
                    committed.add(Long.parseLong(swappedLog.group(1)));
                } else if (name.endsWith(CLEANED)) {
                    uncommitted.add(file);
                }
            }
        }
        for (Path file : uncommitted) {
            Files.delete(file);
        }
        for (long base : committed) {
            finish(dir, base);
        }
        if (!committed.isEmpty() && !PartitionDirectory.wasEverCleaned(dir)) {
            Checkpoints.writeCleanerCheckpoint(dir, 0); // a cleaned segment is in: gaps are no damage now
        }
        removeSwapsWithoutTheirLog(dir);
        if (!uncommitted.isEmpty() || !committed.isEmpty()) {
            Directories.syncDirectory(dir);
        }
        return committed.size();
    }

    /** Deletes the old segments the swapped one covers, then renames it into place. */
    private static void finish(Path dir, long base) throws IOException {
        long end = endOfSwappedLog(dir, base);
        for (long old : PartitionDirectory.segmentBaseOffsets(dir)) {
            if (old >= base && old < end) {
                for (String extension : INDEXES_THEN_LOG) { // the log last: a crash here leaves it, to finish next time
                    Path file = dir.resolve(PartitionDirectory.fileName(old, extension));
                    // the new segment's own index may already have its final name: only an old one has a .swap beside it
                    boolean newIndexInPlace = old == base && !extension.equals("log")
                            && !Files.exists(dir.resolve(PartitionDirectory.fileName(base, extension) + SWAP));
                    if (!newIndexInPlace) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
        for (String extension : INDEXES_THEN_LOG) {
            if (Files.exists(dir.resolve(PartitionDirectory.fileName(base, extension) + SWAP))) {
                rename(dir, base, extension, SWAP, "");
            }
        }
    }
    // end::recover[]

    /** The offset after the swapped segment's last batch: every old segment from its base up to there goes. */
    private static long endOfSwappedLog(Path dir, long base) throws IOException {
        Path file = dir.resolve(PartitionDirectory.fileName(base, "log") + SWAP);
        long end = base;
        try (FileChannel log = FileChannel.open(file, StandardOpenOption.READ)) {
            SegmentReader reader = new SegmentReader(log::read, file.getFileName().toString(), 0, log.size());
            while (reader.next()) {
                end = reader.lastOffset() + 1;
            }
        } catch (CorruptRecordException damaged) {
            // it was forced whole before the commit, so damage is not a torn write: leave it for a person
            throw new IOException(file + " was committed as a cleaned segment but cannot be read (" + damaged.getMessage()
                    + "); the log will not open until it is repaired or removed", damaged);
        }
        return end;
    }

    private static void removeSwapsWithoutTheirLog(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SWAP)).toList()) {
                Files.delete(file); // an index renamed before the crash, whose log never was: not committed
            }
        }
    }

    private static void rename(Path dir, long base, String extension, String from, String to) throws IOException {
        String name = PartitionDirectory.fileName(base, extension);
        Files.move(dir.resolve(name + from), dir.resolve(name + to), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }
}
