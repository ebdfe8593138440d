package toykafka.lesson12;

import java.time.Instant;
import java.util.List;
import toykafka.common.TopicConfig;
import toykafka.lesson08.SegmentInfo;

/**
 * Which part of a compacted log one cleaning pass may rewrite, and whether it is worth it.
 * <p>
 * The log is in three parts. The <em>clean</em> part, below {@code firstDirty}, was compacted before: each
 * key appears there at most once. The <em>dirty</em> part, from {@code firstDirty} up to
 * {@code firstUncleanable}, has been written since. The rest cannot be cleaned yet: the active segment,
 * which is still being written, and any segment holding a record younger than {@code min.compaction.lag.ms},
 * which a consumer must be able to read uncompacted for that long.
 * <p>
 * Cleaning rewrites the clean and dirty parts together, so its cost grows with the whole log while its gain
 * grows with the dirty part: the dirty ratio, dirty bytes over clean and dirty bytes, says whether the gain
 * is worth the cost. Kafka cleans a log once it is at least {@code min.cleanable.dirty.ratio} (0.5).
 *
 * @param firstDirty       the first offset not yet cleaned
 * @param firstUncleanable the first offset this pass must leave alone
 * @param cleanBytes       the size of the segments wholly below {@code firstDirty}
 * @param dirtyBytes       the size of the segments from {@code firstDirty} up to {@code firstUncleanable}
 */
public record CleaningPlan(long firstDirty, long firstUncleanable, long cleanBytes, long dirtyBytes) {

    // tag::plan[]
    /**
     * The plan for a log whose segments are {@code segments}, oldest first, the last one active, when
     * everything below {@code cleanedUpTo} has been cleaned before.
     */
    public static CleaningPlan of(List<SegmentInfo> segments, long cleanedUpTo, Instant now, TopicConfig config) {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a log has at least one segment, the active one");
        }
        long firstDirty = Math.max(cleanedUpTo, segments.get(0).baseOffset());
        long youngestAllowed = now.toEpochMilli() - config.minCompactionLagMs();
        SegmentInfo active = segments.get(segments.size() - 1);
        long firstUncleanable = active.baseOffset();
        long clean = 0;
        long dirty = 0;
        for (SegmentInfo segment : segments.subList(0, segments.size() - 1)) {
            if (segment.nextOffset() <= firstDirty) {
                clean += segment.bytes();
            } else if (segment.largestTimestamp() > youngestAllowed) {
                firstUncleanable = Math.max(firstDirty, segment.baseOffset()); // too young: it and all after it wait
                break;
            } else {
                dirty += segment.bytes();
            }
        }
        return new CleaningPlan(firstDirty, Math.max(firstDirty, firstUncleanable), clean, dirty);
    }
    // end::plan[]

    /** Dirty bytes over clean and dirty bytes: 0 when there is nothing to clean. */
    public double dirtyRatio() {
        long total = cleanBytes + dirtyBytes;
        return total == 0 ? 0 : (double) dirtyBytes / total;
    }

    /** Whether a pass would clean anything, and the dirty share has reached {@code min.cleanable.dirty.ratio}. */
    public boolean worthCleaning(TopicConfig config) {
        return dirtyBytes > 0 && dirtyRatio() >= config.minCleanableDirtyRatio();
    }
}
