package toykafka.broker.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.clock.ManualClock;
import toykafka.common.Errors;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ControllerMutationQuotaManagerTest {

    private final ClientQuotaSettings settings = ClientQuotaSettings.inMemory();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    /** Kafka's defaults: 11 windows of a second, so a bucket holds 11 seconds of the quota. */
    private final ControllerMutationQuotaManager manager = new ControllerMutationQuotaManager(settings, 11, 1, clock);

    private void set(String user, String clientId, double rate) {
        settings.alter(List.of(new ClientQuotaAlteration(ClientQuotaEntity.of(user, clientId),
                List.of(new ClientQuotaAlteration.Op("controller_mutation_rate", rate)))), false);
    }

    @Test
    void a_client_no_quota_applies_to_is_unbounded() {
        assertSame(ControllerMutationQuota.UNBOUNDED_CONTROLLER_MUTATION_QUOTA, manager.newStrictQuotaFor("alice", "app"));
        set(null, "greedy", 2);
        assertSame(ControllerMutationQuota.UNBOUNDED_CONTROLLER_MUTATION_QUOTA, manager.newStrictQuotaFor("alice", "app"),
                "another client id's quota is not this one's");
        ControllerMutationQuota unbounded = manager.newQuotaFor("alice", "app", (short) 7, 6);
        unbounded.record(1_000_000);
        assertEquals(0, unbounded.throttleTime());
    }

    @Test
    void the_token_bucket_holds_the_quota_times_the_windows_and_refills_at_the_quota() {
        set(null, "app", 2); // a bucket of 2 * 11 * 1 s = 22 partitions
        ControllerMutationQuota first = manager.newStrictQuotaFor("alice", "app");
        first.record(22);
        assertEquals(0, first.throttleTime(), "a full bucket pays for 22 partitions at once");
        first.record(8);
        assertEquals(0, first.throttleTime(), "a bucket not yet below zero pays for a topic that overdraws it");
        assertFalse(first.isExceeded());

        ControllerMutationQuota second = manager.newStrictQuotaFor("alice", "app");
        ThrottlingQuotaExceededException refused = assertThrows(ThrottlingQuotaExceededException.class,
                () -> second.record(1));
        assertEquals(Errors.THROTTLING_QUOTA_EXCEEDED, refused.error());
        assertEquals("The throttling quota has been exceeded.", refused.getMessage());
        assertEquals(4_000, refused.throttleTimeMs(), "8 partitions owed at 2 a second: 4 s, Kafka's -tokens / quota");
        assertTrue(second.isExceeded());
        assertEquals(4_000, second.throttleTime());
        clock.advance(Duration.ofMillis(1_500));
        assertEquals(2_500, second.throttleTime(), "the time since the refusal is taken off the answer's throttle");

        clock.advance(Duration.ofMillis(2_500));
        ControllerMutationQuota third = manager.newStrictQuotaFor("alice", "app");
        third.record(5);
        assertEquals(0, third.throttleTime(), "after 4 s the debt is paid and the empty bucket pays for a topic");
        assertThrows(ThrottlingQuotaExceededException.class, () -> third.record(1),
                "and is then 5 below zero");
        assertEquals(2_500, third.throttleTime());

        clock.advance(Duration.ofHours(1));
        ControllerMutationQuota rested = manager.newStrictQuotaFor("alice", "app");
        rested.record(23);
        ThrottlingQuotaExceededException afterRest = assertThrows(ThrottlingQuotaExceededException.class,
                () -> rested.record(1));
        assertEquals(500, afterRest.throttleTimeMs(), "an hour's rest refills the bucket to 22 tokens, never more");
    }

    @Test
    void a_permissive_quota_lets_every_topic_through_and_throttles_afterwards() {
        set("alice", null, 2);
        ControllerMutationQuota permissive = manager.newQuotaFor("alice", "app", (short) 5, 6);
        permissive.record(20);
        assertEquals(0, permissive.throttleTime());
        permissive.record(20);
        permissive.record(10);
        assertFalse(permissive.isExceeded(), "a permissive quota never refuses");
        assertEquals(14_000, permissive.throttleTime(), "28 partitions owed at 2 a second");

        ControllerMutationQuota strict = manager.newQuotaFor("alice", "other-app", (short) 6, 6);
        assertThrows(ThrottlingQuotaExceededException.class, () -> strict.record(1),
                "a user's quota is one bucket for all the user's clients, strict from the version given");
    }
}
