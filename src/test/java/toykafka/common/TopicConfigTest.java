package toykafka.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** One topic config for every layer: Kafka's names and defaults, each value checked against its rule. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TopicConfigTest {

    @Test
    void the_defaults_are_kafkas() {
        TopicConfig config = TopicConfig.defaults();
        assertEquals(1048588, config.maxMessageBytes(), "1 MiB of records plus the 12-byte log overhead");
        assertEquals(604_800_000L, config.retentionMs(), "a week");
        assertEquals(-1, config.retentionBytes());
        assertEquals(1 << 30, config.segmentBytes());
        assertEquals(4096, config.indexIntervalBytes());
        assertEquals(0.5, config.minCleanableDirtyRatio());
        assertEquals(86_400_000L, config.deleteRetentionMs());
        assertEquals(Long.MAX_VALUE, config.flushMessages(), "Kafka leaves flushing to the operating system");
        assertTrue(config.delete() && !config.compact());
        assertEquals(Map.of(), config.overrides());
        assertEquals(TopicConfig.keys().keySet(), config.values().keySet(), "every key has a value in force");
    }

    @Test
    void values_out_of_range_are_refused_naming_the_key_the_value_and_the_rule() {
        assertRefused(TopicConfig.SEGMENT_BYTES, "10", "14");
        assertRefused(TopicConfig.RETENTION_MS, "-5", "-1");
        assertRefused(TopicConfig.MAX_MESSAGE_BYTES, "3000000000", String.valueOf(Integer.MAX_VALUE));
        assertRefused(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO, "1.5", "0 to 1");
        assertRefused(TopicConfig.FLUSH_MESSAGES, "5", "1");
        assertRefused(TopicConfig.CLEANUP_POLICY, "shred", "compact,delete");
        assertRefused(TopicConfig.MESSAGE_TIMESTAMP_TYPE, "now", "LogAppendTime");
    }

    @Test
    void a_refused_patch_changes_nothing_and_a_good_one_keeps_the_other_keys() {
        TopicConfig config = TopicConfig.defaults().with(TopicConfig.RETENTION_MS, 1000);
        assertThrows(InvalidConfigurationException.class,
                () -> config.patched(Map.of(TopicConfig.SEGMENT_BYTES, "2048", "retention.hours", "1")));
        assertEquals(Map.of(TopicConfig.RETENTION_MS, "1000"), config.overrides(), "configs are values: nothing changed");
        TopicConfig patched = config.patched(Map.of(TopicConfig.SEGMENT_BYTES, "2048"));
        assertEquals(1000, patched.retentionMs());
        assertEquals(2048, patched.segmentBytes());
        assertThrows(NullPointerException.class, () -> config.patched(null), "null is no config; an empty map is");
        assertThrows(InvalidConfigurationException.class, () -> config.get("retention.hours"));
    }

    @Test
    void compression_type_takes_kafkas_six_values_and_names_the_codec_a_batch_is_stored_in() {
        assertEquals("producer", TopicConfig.defaults().get(TopicConfig.COMPRESSION_TYPE));
        assertEquals(Optional.empty(), TopicConfig.defaults().compressionType(), "producer: each batch keeps its codec");
        assertEquals(Optional.of(Compression.NONE), TopicConfig.defaults().with(TopicConfig.COMPRESSION_TYPE,
                "uncompressed").compressionType());
        for (Compression codec : List.of(Compression.GZIP, Compression.SNAPPY, Compression.LZ4, Compression.ZSTD)) {
            assertEquals(Optional.of(codec), TopicConfig.defaults().with(TopicConfig.COMPRESSION_TYPE,
                    codec.configName()).compressionType());
        }
        // a producer's word for no codec, which Kafka's topic config does not take
        assertRefused(TopicConfig.COMPRESSION_TYPE, "none", "uncompressed, zstd, lz4, snappy, gzip, producer");
        assertRefused(TopicConfig.COMPRESSION_TYPE, "GZIP", "uncompressed, zstd, lz4, snappy, gzip, producer");
    }

    private static void assertRefused(String key, String value, String rangeFact) {
        InvalidConfigurationException error = assertThrows(InvalidConfigurationException.class,
                () -> TopicConfig.of(Map.of(key, value)), key + "=" + value + " should be refused");
        for (String fact : new String[] {key, "'" + value + "'", rangeFact}) {
            assertTrue(error.getMessage().contains(fact), "the message should mention " + fact + ": " + error.getMessage());
        }
        assertEquals(Errors.INVALID_CONFIG, error.error());
    }
}
