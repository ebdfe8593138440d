package toykafka.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import toykafka.lesson08.IndexEntry;
import toykafka.lesson08.PartitionDirectory;
import toykafka.lesson08.SegmentIndex;
import toykafka.lesson08.SegmentInfo;
import toykafka.lesson09.FileLog;
import toykafka.storage.producers.AbortedTxn;

// tag::segment-files[]
/**
 * What only a log kept in files has: its segments, their sparse indexes, the aborted-transaction indexes beside
 * them, and segment files for lesson 12's cleaner to rewrite. A {@link BatchLog} offers them through
 * {@link BatchLog#segmentFiles()}, empty for a log kept in memory, so the data path never asks which kind it has.
 */
public final class SegmentFiles {
// end::segment-files[]

    private final FileLog files;
    private final TransactionIndexFiles abortedIndex;

    SegmentFiles(FileLog files, TransactionIndexFiles abortedIndex) {
        this.files = files;
        this.abortedIndex = abortedIndex;
    }

    /** The segments, oldest first, the active one last. */
    public List<SegmentInfo> segments() {
        return files.segments();
    }

    /**
     * The entries of the {@code .index} file of the segment starting at {@code baseOffset}, as the file holds them
     * (the active segment's may lag its memory until the next flush).
     *
     * @throws IllegalArgumentException if the log has no segment with that base offset
     */
    public List<IndexEntry> indexEntries(long baseOffset) {
        Path index = files.directory().resolve(PartitionDirectory.fileName(baseOffset, "index"));
        Path segment = files.directory().resolve(PartitionDirectory.fileName(baseOffset, "log"));
        try {
            if (!Files.isRegularFile(segment)) {
                throw new IllegalArgumentException(files.directory().getFileName() + " has no segment with base offset "
                        + baseOffset + "; its segments start at " + segments().stream().map(SegmentInfo::baseOffset).toList());
            }
            byte[] bytes = Files.isRegularFile(index) ? Files.readAllBytes(index) : new byte[0];
            SegmentIndex read = SegmentIndex.decode(baseOffset, ByteBuffer.wrap(bytes), Files.size(segment));
            List<IndexEntry> entries = new ArrayList<>(read.entries());
            for (int n = 0; n < read.entries(); n++) {
                entries.add(read.entry(n));
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the index of " + files.directory().getFileName() + " at "
                    + baseOffset + ": " + e.getMessage(), e);
        }
    }

    /** The base offset of the segment that holds the record at {@code offset} (or negative index). */
    public long segmentBaseOffset(long offset) {
        return TransactionIndexFiles.segmentBaseOffset(files, offset);
    }

    /** The entries of the segments' {@code .txnindex} files, oldest segment first. */
    public List<AbortedTxn> indexedAborted() {
        return abortedIndex.read();
    }

    /**
     * Runs {@code cleaner} over the segment files and returns what it reported, then puts the aborted
     * transactions of the segments it rewrote back in the indexes of the segments that replaced them (the cleaner
     * keeps every transactional batch, markers too). The active segment, where markers go meanwhile, is never
     * cleaned, and its index is left alone; indexes that cannot be read are left to the rebuild at the next start.
     */
    public <R> R cleanWith(Function<FileLog, R> cleaner) {
        List<SegmentInfo> before = segments();
        long active = before.get(before.size() - 1).baseOffset();
        List<AbortedTxn> indexed;
        try {
            indexed = abortedIndex.read().stream().filter(entry -> entry.lastOffset() < active).toList();
        } catch (UncheckedIOException unreadable) {
            indexed = null; // left to the rebuild at the next start
        }
        R report = cleaner.apply(files);
        if (indexed != null) {
            abortedIndex.rewrite(indexed, active);
        }
        return report;
    }
}
