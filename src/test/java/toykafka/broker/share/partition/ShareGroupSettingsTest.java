package toykafka.broker.share.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.InvalidConfigurationException;

/** The share group configs under Kafka's names, defaults and bounds. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShareGroupSettingsTest {

    @Test
    void a_group_that_sets_nothing_has_kafkas_defaults() {
        ShareGroupSettings settings = ShareGroupSettings.fromConfigs(Map.of());
        assertEquals(ShareGroupSettings.defaults(), settings);
        assertEquals(30000, settings.recordLockDurationMs());
        assertEquals(5, settings.deliveryCountLimit());
        assertEquals(2000, settings.partitionMaxRecordLocks());
        assertEquals(ShareAutoOffsetReset.LATEST, settings.autoOffsetReset());
        assertEquals(false, settings.readCommitted());
        assertEquals(true, settings.renewAcknowledgeEnabled());
    }

    @Test
    void a_group_takes_its_own_values() {
        ShareGroupSettings settings = ShareGroupSettings.fromConfigs(Map.of("share.record.lock.duration.ms", "15000",
                "share.delivery.count.limit", "10", "share.partition.max.record.locks", "100",
                "share.auto.offset.reset", "by_duration:P1DT2H", "share.isolation.level", "read_committed",
                "share.renew.acknowledge.enable", "false"));
        assertEquals(new ShareGroupSettings(15000, 10, 100,
                new ShareAutoOffsetReset(ShareAutoOffsetReset.Type.BY_DURATION, Duration.ofHours(26)), true, false), settings);
        assertEquals("earliest", ShareAutoOffsetReset.parse("EARLIEST").toString());
    }

    @Test
    void a_value_out_of_kafkas_bounds_is_refused_naming_the_setting_and_the_range() {
        assertRefused("share.record.lock.duration.ms", "14999", "in the range 15000 to 60000");
        assertRefused("share.record.lock.duration.ms", "60001", "in the range 15000 to 60000");
        assertRefused("share.delivery.count.limit", "1", "in the range 2 to 10");
        assertRefused("share.delivery.count.limit", "11", "in the range 2 to 10");
        assertRefused("share.partition.max.record.locks", "99", "in the range 100 to 4000");
        assertRefused("share.partition.max.record.locks", "4001", "in the range 100 to 4000");
        assertRefused("share.delivery.count.limit", "five", "Not a number");
        assertRefused("share.isolation.level", "serializable", "read_committed, read_uncommitted");
        assertRefused("share.renew.acknowledge.enable", "yes", "true or false");
        assertRefused("share.auto.offset.reset", "by_duration:-PT1H", "by_duration:<PnDTnHnMn.nS>");
        assertRefused("share.auto.offset.reset", "none", "'earliest', 'latest'");
    }

    private static void assertRefused(String name, String value, String range) {
        InvalidConfigurationException refused = assertThrows(InvalidConfigurationException.class,
                () -> ShareGroupSettings.fromConfigs(Map.of(name, value)));
        assertTrue(refused.getMessage().contains(name) && refused.getMessage().contains(range), refused.getMessage());
    }

    @Test
    void the_acquire_mode_is_read_by_name_and_by_id() {
        assertEquals(ShareAcquireMode.RECORD_LIMIT, ShareAcquireMode.of("record_limit"));
        assertEquals(ShareAcquireMode.BATCH_OPTIMIZED, ShareAcquireMode.forId((byte) 0));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ShareAcquireMode.of("fast"));
        assertTrue(refused.getMessage().contains("'batch_optimized' or 'record_limit'"), refused.getMessage());
    }
}
