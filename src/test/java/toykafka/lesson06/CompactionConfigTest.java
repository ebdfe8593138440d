package toykafka.lesson06;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CompactionConfigTest {

    @Test
    void kafkas_defaults_for_the_ratio_and_the_tombstone_retention() {
        CompactionConfig config = CompactionConfig.segmentsOf(4);
        assertEquals(0.5, config.minCleanableDirtyRatio());
        assertEquals(Duration.ofDays(1), config.deleteRetention());
    }

    @Test
    void a_segment_of_no_offsets_is_refused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> CompactionConfig.segmentsOf(0));
        assertEquals("a segment must hold at least 1 offset, was 0", error.getMessage());
    }

    @Test
    void a_ratio_outside_0_to_1_is_refused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CompactionConfig.segmentsOf(4).withMinCleanableDirtyRatio(1.5));
        assertEquals("min.cleanable.dirty.ratio must be between 0.0 and 1.0, was 1.5", error.getMessage());
        IllegalArgumentException notANumber = assertThrows(IllegalArgumentException.class,
                () -> CompactionConfig.segmentsOf(4).withMinCleanableDirtyRatio(Double.NaN));
        assertEquals("min.cleanable.dirty.ratio must be between 0.0 and 1.0, was NaN", notANumber.getMessage());
    }

    @Test
    void a_negative_or_missing_delete_retention_is_refused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CompactionConfig.segmentsOf(4).withDeleteRetention(Duration.ofSeconds(-1)));
        assertEquals("delete retention must be zero or more, was PT-1S", error.getMessage());
        NullPointerException missing = assertThrows(NullPointerException.class,
                () -> CompactionConfig.segmentsOf(4).withDeleteRetention(null));
        assertEquals("deleteRetention must not be null: use Duration.ZERO for none", missing.getMessage());
    }

    @Test
    void segment_start_rounds_an_offset_down_to_its_segment() {
        CompactionConfig config = CompactionConfig.segmentsOf(4);
        assertEquals(0, config.segmentStart(3));
        assertEquals(4, config.segmentStart(4));
        assertEquals(8, config.segmentStart(10));
    }

    @Test
    void a_topic_config_gives_the_ratio_and_the_tombstone_retention() {
        toykafka.common.TopicConfig topic = toykafka.common.TopicConfig.defaults()
                .with(toykafka.common.TopicConfig.MIN_CLEANABLE_DIRTY_RATIO, 0.25)
                .with(toykafka.common.TopicConfig.DELETE_RETENTION_MS, 60_000);
        CompactionConfig config = CompactionConfig.of(topic, 4);
        org.junit.jupiter.api.Assertions.assertEquals(0.25, config.minCleanableDirtyRatio());
        org.junit.jupiter.api.Assertions.assertEquals(java.time.Duration.ofMinutes(1), config.deleteRetention());
        org.junit.jupiter.api.Assertions.assertEquals(CompactionConfig.segmentsOf(4),
                CompactionConfig.of(toykafka.common.TopicConfig.defaults(), 4), "the defaults are the topic config's");
    }
}
