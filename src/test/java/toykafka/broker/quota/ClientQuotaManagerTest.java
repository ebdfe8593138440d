package toykafka.broker.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClientQuotaManagerTest {

    private final ClientQuotaSettings settings = ClientQuotaSettings.inMemory();
    private final ClientQuotaManager produce = new ClientQuotaManager(QuotaType.PRODUCE, settings, 11, 1);

    private void set(String user, String clientId, double rate) {
        settings.alter(List.of(new ClientQuotaAlteration(ClientQuotaEntity.of(user, clientId),
                List.of(new ClientQuotaAlteration.Op("producer_byte_rate", rate)))), false);
    }

    @Test
    void the_most_specific_quota_wins_in_kafkas_eight_level_order() {
        assertNull(produce.quota("alice", "app"));
        set("<default>", null, 8);
        assertEquals(8.0, produce.quota("alice", "app"));
        set(null, "<default>", 7);
        set(null, "app", 6);
        assertEquals(8.0, produce.quota("alice", "app"), "any user's quota is above any client id's");
        assertEquals(8.0, produce.quota("bob", "other"));
        set("<default>", "<default>", 5);
        assertEquals(5.0, produce.quota("alice", "app"));
        set("<default>", "app", 4);
        assertEquals(4.0, produce.quota("alice", "app"));
        assertEquals(5.0, produce.quota("alice", "other"));
        set("alice", null, 3);
        assertEquals(3.0, produce.quota("alice", "app"), "a user's own quota beats any default user's");
        set("alice", "<default>", 2);
        assertEquals(2.0, produce.quota("alice", "app"));
        set("alice", "app", 1);
        assertEquals(1.0, produce.quota("alice", "app"));
        assertEquals(2.0, produce.quota("alice", "other"));
        assertEquals(4.0, produce.quota("bob", "app"));
    }

    @Test
    void a_client_id_quota_alone_applies_to_that_client_id_and_the_default_to_the_others() {
        set(null, "greedy", 1000);
        assertEquals(1000.0, produce.quota("ANONYMOUS", "greedy"));
        assertNull(produce.quota("ANONYMOUS", "modest"));
        set(null, "<default>", 5000);
        assertEquals(5000.0, produce.quota("ANONYMOUS", "modest"));
    }

    @Test
    void the_throttle_time_is_kafkas_over_at_least_the_whole_windows() {
        set(null, "greedy", 1000);
        assertEquals(0, produce.recordAndGetThrottleTimeMs("ANONYMOUS", "greedy", 9_000, 0),
                "9,000 bytes over 10 windows of a second is 900 B/s, within 1,000");
        // 20,000 bytes over 10 s is 2,000 B/s, twice the quota: (2000 - 1000) / 1000 * 10,000 ms
        assertEquals(10_000, produce.recordAndGetThrottleTimeMs("ANONYMOUS", "greedy", 11_000, 0));
        assertEquals(0, produce.recordAndGetThrottleTimeMs("ANONYMOUS", "other", 1_000_000, 0),
                "a client with no quota is never throttled");
    }

    @Test
    void with_no_quota_nothing_is_measured_and_a_fetch_may_take_anything() {
        assertEquals(0, produce.recordAndGetThrottleTimeMs("ANONYMOUS", "app", Double.MAX_VALUE, 0));
        assertEquals(Double.MAX_VALUE, produce.maxValueInQuotaWindow("ANONYMOUS", "app"));
        set(null, "app", 100);
        assertEquals(1000.0, produce.maxValueInQuotaWindow("ANONYMOUS", "app"));
    }

    @Test
    void clients_sharing_a_user_quota_share_one_rate() {
        set("alice", null, 1000);
        assertEquals(0, produce.recordAndGetThrottleTimeMs("alice", "one", 6_000, 0));
        assertEquals(2_000, produce.recordAndGetThrottleTimeMs("alice", "two", 6_000, 0),
                "12,000 bytes over 10 s from alice's two clients is 1,200 B/s");
    }
}
