package toykafka.lesson12;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import toykafka.archive.Archive;
import toykafka.archive.ArchiveReason;
import toykafka.archive.ArchivedEvent;
import toykafka.common.FetchedBatches;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.lesson09.FileLog;
import toykafka.lesson08.SegmentInfo;
import toykafka.lesson09.SegmentRewriter;
import toykafka.lesson09.SegmentSwap;

/**
 * Lesson 6's compaction, on lesson 8's files: one pass of Kafka's log cleaner over one log.
 * <ol>
 * <li>Plan: the clean and dirty parts, and whether the dirty ratio is worth a pass ({@link CleaningPlan}).</li>
 * <li>Map: read the dirty part once, noting each key's latest offset ({@link KeyOffsetMap}). When the map is
 *     full, this pass cleans only up to the last offset it holds.</li>
 * <li>Rewrite: every segment from the start of the log up to there, in groups no larger than a segment, with
 *     a record kept only if it is its key's latest, and a tombstone only until {@code delete.retention.ms}
 *     has passed. Offsets never change: the cleaned log has gaps where records were.</li>
 * <li>Archive every record removed (reason {@code compaction}) before its segment is swapped out.</li>
 * </ol>
 * The log swaps each rewritten group in crash-safely ({@link SegmentSwap#rewrite}).
 */
public final class LogCleaner {

    /** What one pass did. {@code cleanedUpTo} is where the next pass starts. */
    public record Pass(boolean cleaned, CleaningPlan plan, long cleanedUpTo, long recordsRead, long recordsRemoved,
                       long bytesBefore, long bytesAfter, int keys) {

        /** Whether the pass got as far as it could: false when the map filled and a next pass must go on. */
        public boolean finished() {
            return cleanedUpTo >= plan.firstUncleanable();
        }
    }

    private static final int ARCHIVE_CHUNK = 10_000;
    /** How much of the log one read of the map's pass takes at a time. */
    private static final int READ_BYTES = 1 << 20;

    private final KeyOffsetMap map;
    private final Archive archive;
    private final Clock clock;

    public LogCleaner(KeyOffsetMap map, Archive archive, Clock clock) {
        this.map = Objects.requireNonNull(map, "map");
        this.archive = Objects.requireNonNull(archive, "archive");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * One pass over the log if its dirty ratio calls for one. With {@code force}, a pass runs whatever the
     * ratio, and even with nothing dirty it rewrites the clean part, so that tombstones whose
     * {@code delete.retention.ms} ran out while nothing new was written go too: lesson 6's {@code compact()}.
     * Kafka's cleaner has no such pass; it picks only logs with something dirty.
     */
    public Pass clean(FileLog log, String topic, int partition, boolean force) {
        TopicConfig config = log.config();
        Instant now = clock.instant();
        List<SegmentInfo> segments = log.segments();
        CleaningPlan plan = CleaningPlan.of(segments, SegmentSwap.cleanedUpTo(log), now, config);
        boolean due = force ? plan.cleanBytes() + plan.dirtyBytes() > 0 : plan.worthCleaning(config);
        if (!due) {
            return new Pass(false, plan, plan.firstDirty(), 0, 0, 0, 0, 0);
        }
        long mappedUpTo = buildMap(log, plan);
        Rewriter rewriter = new Rewriter(topic, partition, mappedUpTo, now, config.deleteRetentionMs());
        long bytesBefore = 0;
        long bytesAfter = 0;
        for (List<SegmentInfo> group : groups(segments, mappedUpTo, config.segmentBytes())) {
            long toBase = nextBase(segments, group.get(group.size() - 1));
            bytesBefore += group.stream().mapToLong(SegmentInfo::bytes).sum();
            SegmentInfo after = SegmentSwap.rewrite(log, group.get(0).baseOffset(), toBase, rewriter,
                    Math.min(toBase, mappedUpTo));
            bytesAfter += after.bytes();
        }
        return new Pass(true, plan, mappedUpTo, rewriter.read, rewriter.removed, bytesBefore, bytesAfter, map.size());
    }

    // tag::map[]
    /** Reads the dirty part once, each key's latest offset into the map; returns the offset the map covers up to. */
    private long buildMap(FileLog log, CleaningPlan plan) {
        map.clear();
        ByteBuffer into = ByteBuffer.allocate(READ_BYTES);
        long offset = plan.firstDirty();
        while (offset < plan.firstUncleanable()) {
            FetchedBatches read = log.fetch(offset, into);
            if (read.isEmpty() || read.nextOffset() <= offset) {
                break;
            }
            for (RecordBatch batch : read.batches()) {
                if (batch.isTransactional()) {
                    continue; // a transaction's records and markers: an abort must not hide an older record
                }
                for (OffsetRecord next : batch.offsetRecords()) {
                    if (next.offset() < offset) {
                        continue; // mapped by the pass before, which stopped inside this batch
                    }
                    if (next.offset() >= plan.firstUncleanable()) {
                        return plan.firstUncleanable();
                    }
                    if (next.record().hasKey() && !map.put(next.record().key(), next.offset())) {
                        return next.offset(); // the map is full: this pass cleans up to here, the next goes on
                    }
                }
            }
            offset = read.nextOffset();
        }
        return plan.firstUncleanable();
    }
    // end::map[]

    /** Consecutive segments below {@code upTo}, each group no larger than a segment may be. */
    static List<List<SegmentInfo>> groups(List<SegmentInfo> segments, long upTo, long maxBytes) {
        List<List<SegmentInfo>> groups = new ArrayList<>();
        List<SegmentInfo> current = new ArrayList<>();
        long size = 0;
        for (SegmentInfo segment : segments.subList(0, segments.size() - 1)) { // never the active one
            if (segment.baseOffset() >= upTo) {
                break;
            }
            boolean fits = current.isEmpty() || (size + segment.bytes() <= maxBytes
                    && segment.nextOffset() - current.get(0).baseOffset() < Integer.MAX_VALUE);
            if (!fits) {
                groups.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(segment);
            size += segment.bytes();
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    private static long nextBase(List<SegmentInfo> segments, SegmentInfo segment) {
        return segments.get(segments.indexOf(segment) + 1).baseOffset();
    }

    /** Decides, record by record, what a rewritten batch keeps, and sends what it drops to the archive. */
    private final class Rewriter implements SegmentRewriter {
        private final String topic;
        private final int partition;
        private final long mappedUpTo;
        private final Instant now;
        private final long deleteRetentionMs;
        private final List<ArchivedEvent> removedRows = new ArrayList<>();
        long read;
        long removed;

        Rewriter(String topic, int partition, long mappedUpTo, Instant now, long deleteRetentionMs) {
            this.topic = topic;
            this.partition = partition;
            this.mappedUpTo = mappedUpTo;
            this.now = now;
            this.deleteRetentionMs = deleteRetentionMs;
        }

        // tag::keep[]
        @Override
        public RecordBatch rewrite(RecordBatch batch) {
            if (batch.isTransactional()) {
                return batch; // kept whole: Kafka's cleaner removes a transaction's records only once it is decided
            }
            BitSet dropped = new BitSet(); // by offset delta
            for (OffsetRecord next : batch.offsetRecords()) {
                read++;
                if (!keeps(next)) {
                    dropped.set((int) (next.offset() - batch.baseOffset()));
                    removedRows.add(row(next));
                }
            }
            removed += dropped.cardinality();
            if (removedRows.size() >= ARCHIVE_CHUNK) {
                flushArchive();
            }
            if (dropped.isEmpty()) {
                return batch; // kept whole, bytes and all: a compressed batch is not compressed again
            }
            return RetainedBatches.retain(batch, delta -> !dropped.get(delta));
        }

        /** The removed records reach the archive before their segments are swapped out. */
        @Override
        public void beforeSwap() {
            flushArchive();
        }

        /** A record stays if it is its key's latest, and for a tombstone, if it is not yet past delete.retention.ms. */
        private boolean keeps(OffsetRecord next) {
            Record record = next.record();
            if (!record.hasKey() || next.offset() >= mappedUpTo) {
                return true; // no key to judge it by, or beyond what this pass mapped: the next pass decides
            }
            long latest = map.get(record.key());
            if (latest > next.offset()) {
                return false; // a later record has the same key
            }
            return !(record.isTombstone()
                    && now.toEpochMilli() - record.timestamp().toEpochMilli() >= deleteRetentionMs);
        }
        // end::keep[]

        private ArchivedEvent row(OffsetRecord next) {
            Record record = next.record();
            return new ArchivedEvent(topic, partition, next.offset(), record.timestamp(), record.keyText(),
                    record.valueText(), ArchiveReason.COMPACTION, now);
        }

        void flushArchive() {
            if (!removedRows.isEmpty()) {
                archive.append(List.copyOf(removedRows)); // all or none: if it throws, the rewrite is given up
                removedRows.clear();
            }
        }
    }
}
