package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import toykafka.lesson08.SegmentInfo;

/** What every retention policy does: Kafka's rules for retention.ms and retention.bytes, segment by segment. */
public abstract class RetentionPolicyContract {

    private static final long HOUR = 3_600_000;
    private static final long NOW = 100 * HOUR;
    private static final long NO_LIMIT = -1;

    protected abstract RetentionPolicy newPolicy();

    /** Segments of 100 bytes and 10 records each, whose newest records are this many hours old, oldest first. */
    private static List<SegmentInfo> aged(long... hoursOld) {
        List<SegmentInfo> segments = new ArrayList<>();
        for (int i = 0; i < hoursOld.length; i++) {
            long newest = NOW - hoursOld[i] * HOUR;
            segments.add(new SegmentInfo(i * 10L, i * 10L + 10, 100, 1, 1, newest - HOUR, newest));
        }
        return segments;
    }

    private int toDelete(List<SegmentInfo> segments, long retentionMs, long retentionBytes) {
        return newPolicy().segmentsToDelete(segments, NOW, retentionMs, retentionBytes);
    }

    @Test
    void a_young_small_log_loses_nothing() {
        assertEquals(0, toDelete(aged(3, 2, 1), 24 * HOUR, 10_000));
    }

    @Test
    void no_limits_keep_everything() {
        assertEquals(0, toDelete(aged(1000, 900, 800), NO_LIMIT, NO_LIMIT));
    }

    @Test
    void segments_whose_newest_record_is_older_than_retention_ms_go_oldest_first() {
        assertEquals(2, toDelete(aged(30, 25, 5, 1), 24 * HOUR, NO_LIMIT));
    }

    @Test
    void exactly_retention_ms_old_is_still_kept() {
        assertEquals(0, toDelete(aged(24, 2), 24 * HOUR, NO_LIMIT), "only older than retention.ms goes");
    }

    @Test
    void age_stops_at_the_first_young_segment_even_if_an_older_record_lies_beyond_it() {
        assertEquals(1, toDelete(aged(30, 2, 40, 1), 24 * HOUR, NO_LIMIT),
                "the log loses records only from its old end: a young segment protects those after it");
    }

    @Test
    void when_every_segment_is_too_old_the_active_one_goes_too() {
        assertEquals(3, toDelete(aged(50, 40, 30), 24 * HOUR, NO_LIMIT));
    }

    @Test
    void an_empty_segment_has_no_age_and_is_never_deleted_for_age() {
        List<SegmentInfo> segments = new ArrayList<>(aged(50, 40));
        segments.add(new SegmentInfo(20, 20, 0, 0, 0, Long.MIN_VALUE, Long.MIN_VALUE));
        assertEquals(2, toDelete(segments, 24 * HOUR, NO_LIMIT));
    }

    @Test
    void by_size_the_oldest_go_while_what_stays_is_still_at_least_retention_bytes() {
        assertEquals(2, toDelete(aged(4, 3, 2, 1, 0), NO_LIMIT, 300), "500 bytes, keep 300: two of 100 go");
        assertEquals(1, toDelete(aged(4, 3, 2, 1, 0), NO_LIMIT, 350), "a third would leave 200, under 350");
    }

    @Test
    void size_never_deletes_the_active_segment() {
        assertEquals(2, toDelete(aged(3, 2, 1), NO_LIMIT, 0));
    }

    @Test
    void the_stricter_rule_wins() {
        assertEquals(3, toDelete(aged(30, 20, 2, 1, 0), 24 * HOUR, 200), "size wants 3, age wants 1");
        assertEquals(3, toDelete(aged(30, 29, 28, 1, 0), 24 * HOUR, 400), "age wants 3, size wants 1");
    }

    @Test
    void a_log_of_one_empty_segment_loses_nothing() {
        assertEquals(0, toDelete(List.of(new SegmentInfo(0, 0, 0, 0, 0, Long.MIN_VALUE, Long.MIN_VALUE)), 0, 0));
    }
}
