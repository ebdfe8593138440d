package toykafka.lesson08;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import toykafka.common.CorruptRecordException;

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
 * Before the commit, opening the log deletes the {@code .cleaned} files and keeps the old segments.
 */
final class SegmentSwap {

    static final String CLEANED = ".cleaned";
    static final String SWAP = ".swap";
    private static final List<String> INDEXES_THEN_LOG = List.of("index", "timeindex", "log");
    private static final Pattern SWAPPED_LOG = Pattern.compile("(\\d{20})\\.log\\" + SWAP);

    private SegmentSwap() {
    }

    // tag::commit[]
    /** Swaps the forced {@code .cleaned} segment at {@code base} in for {@code old}, the segments it replaces. */
    static void commit(Path dir, long base, List<Segment> old) throws IOException {
        for (String extension : INDEXES_THEN_LOG) {
            rename(dir, base, extension, CLEANED, SWAP);
        }
        PartitionDirectory.syncDirectory(dir); // committed: a crash from here on finishes the swap
        for (Segment segment : old) {
            segment.unlinkKeepingOpen();
        }
        for (String extension : INDEXES_THEN_LOG) {
            rename(dir, base, extension, SWAP, "");
        }
        PartitionDirectory.syncDirectory(dir);
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
        removeSwapsWithoutTheirLog(dir);
        if (!uncommitted.isEmpty() || !committed.isEmpty()) {
            PartitionDirectory.syncDirectory(dir);
        }
        return committed.size();
    }

    /** Deletes the old segments the swapped one covers, then renames it into place. */
    private static void finish(Path dir, long base) throws IOException {
        long end = endOfSwappedLog(dir, base);
        for (long old : PartitionDirectory.segmentBaseOffsets(dir)) {
            if (old >= base && old < end) {
                for (String extension : List.of("log", "index", "timeindex")) {
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
