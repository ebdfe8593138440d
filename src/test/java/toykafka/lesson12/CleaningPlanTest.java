package toykafka.lesson12;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.TopicConfig;
import toykafka.lesson08.SegmentInfo;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CleaningPlanTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final long HOUR = 3_600_000;

    /** Segments of 100 offsets and 1000 bytes each, the last one active, whose newest records are this many hours old. */
    private static List<SegmentInfo> segments(long... hoursOld) {
        List<SegmentInfo> list = new ArrayList<>();
        for (int i = 0; i < hoursOld.length; i++) {
            long newest = NOW.toEpochMilli() - hoursOld[i] * HOUR;
            list.add(new SegmentInfo(i * 100L, i * 100L + 100, 1000, 1, 1, newest - HOUR, newest));
        }
        return list;
    }

    private static TopicConfig config(String ratio, long lagMs) {
        return TopicConfig.of(Map.of(TopicConfig.CLEANUP_POLICY, "compact", TopicConfig.MIN_CLEANABLE_DIRTY_RATIO, ratio,
                TopicConfig.MIN_COMPACTION_LAG_MS, String.valueOf(lagMs)));
    }

    @Test
    void the_active_segment_is_never_cleaned() {
        CleaningPlan plan = CleaningPlan.of(segments(9, 8, 7, 6), 0, NOW, config("0.5", 0));
        assertEquals(0, plan.firstDirty());
        assertEquals(300, plan.firstUncleanable(), "the active segment starts at 300");
        assertEquals(3000, plan.dirtyBytes());
        assertEquals(1.0, plan.dirtyRatio());
    }

    @Test
    void the_clean_part_is_below_what_was_cleaned_before_and_sets_the_ratio() {
        CleaningPlan plan = CleaningPlan.of(segments(9, 8, 7, 6), 200, NOW, config("0.5", 0));
        assertEquals(200, plan.firstDirty());
        assertEquals(2000, plan.cleanBytes());
        assertEquals(1000, plan.dirtyBytes());
        assertEquals(1.0 / 3, plan.dirtyRatio(), 1e-9);
        assertFalse(plan.worthCleaning(config("0.5", 0)), "a third dirty is below Kafka's default 0.5");
        assertTrue(plan.worthCleaning(config("0.3", 0)));
    }

    @Test
    void a_segment_younger_than_the_compaction_lag_and_everything_after_it_wait() {
        CleaningPlan plan = CleaningPlan.of(segments(9, 1, 7, 0), 0, NOW, config("0.5", 2 * HOUR));
        assertEquals(100, plan.firstUncleanable(), "segment 100 holds a record an hour old, under the 2-hour lag");
        assertEquals(1000, plan.dirtyBytes());
    }

    @Test
    void a_log_cleaned_up_to_its_active_segment_has_nothing_to_clean() {
        CleaningPlan plan = CleaningPlan.of(segments(9, 8, 7, 6), 300, NOW, config("0", 0));
        assertEquals(300, plan.firstUncleanable());
        assertEquals(0, plan.dirtyBytes());
        assertFalse(plan.worthCleaning(config("0", 0)), "no dirty bytes, even with a ratio of 0");
    }
}
