package toykafka.broker;

import java.util.List;
import java.util.Optional;
import toykafka.lesson08.IndexEntry;
import toykafka.lesson08.SegmentInfo;
import toykafka.storage.BatchLog;
import toykafka.storage.SegmentFiles;
import toykafka.storage.producers.AbortedTxn;

/**
 * A partition's files as they lie in its folder, for people to look at: its segments, a segment's offset
 * index as its {@code .index} file holds it, and the aborted transactions its {@code .txnindex} files hold. A partition kept in memory has none.
 */
public final class LogFiles {

    private final Optional<SegmentFiles> files;

    LogFiles(BatchLog log) {
        this.files = log.segmentFiles();
    }

    /** The segments, oldest first, the active one last. */
    public List<SegmentInfo> segments() {
        return files.map(SegmentFiles::segments).orElse(List.of());
    }

    /**
     * The entries of a segment's {@code .index} file: each names the byte of the {@code .log} where a batch
     * starts. The segment writes new entries at each flush, so the active one's file may lag its memory.
     */
    public List<IndexEntry> indexEntries(long baseOffset) {
        return files.map(segments -> segments.indexEntries(baseOffset)).orElse(List.of());
    }

    /**
     * The entries of the segments' aborted-transaction indexes ({@code .txnindex}), oldest segment first: each a
     * transaction whose ABORT marker the segment holds.
     */
    public List<AbortedTxn> indexedAborted() {
        return files.map(SegmentFiles::indexedAborted).orElse(List.of());
    }
}
