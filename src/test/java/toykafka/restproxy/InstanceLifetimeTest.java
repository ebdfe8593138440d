package toykafka.restproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.clock.ManualClock;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.OffsetReset;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownMemberIdException;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson05.ConsumerRecord;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/**
 * How long an instance lives and what an admin sees of it: created under the name asked for or a fresh one,
 * gone once silent for longer than consumer.instance.timeout.ms (and not a moment before), and shown by
 * describe with the partitions it owns. The clock here moves only when a test moves it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InstanceLifetimeTest extends InstancesPerTest {

    private static final String GROUP = "kitchen";
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    // an instance's timeout longer than a 45 s session
    @StartedBroker(settings = @Setting(name = BrokerConfig.CONSUMER_INSTANCE_TIMEOUT_MS, value = "100000"), clock = "clock")
    Broker broker;

    @BeforeEach
    void start() {
        broker.createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
    }

    @Test
    void an_instance_is_named_as_asked_or_afresh_when_no_name_is_given() {
        assertEquals("grill", instances.create(GROUP, "grill", OffsetReset.EARLIEST));
        String fresh = instances.create(GROUP, null, ConsumerInstanceConfig.of(OffsetReset.EARLIEST));
        assertTrue(fresh.startsWith("member-"), fresh);
        instances.heartbeat(GROUP, fresh); // the name given back is the instance's
    }

    @Test
    void an_instance_lives_for_exactly_consumer_instance_timeout_ms_of_silence() {
        instances.create(GROUP, "grill", OffsetReset.EARLIEST);
        instances.create(GROUP, "fryer", OffsetReset.EARLIEST);
        clock.advance(Duration.ofMillis(100_000));
        assertEquals(0, instances.dropIdle(), "silent for the timeout itself, not longer");
        instances.heartbeat(GROUP, "fryer");
        clock.advance(Duration.ofMillis(1));
        assertEquals(1, instances.dropIdle(), "grill, silent a millisecond past it; fryer was heard from");
        assertThrows(UnknownMemberIdException.class, () -> instances.heartbeat(GROUP, "grill"));
    }

    @Test
    void a_call_that_finds_its_instance_idle_deletes_it_so_the_name_is_free_again() {
        instances.create(GROUP, "grill", OffsetReset.EARLIEST);
        clock.advance(Duration.ofSeconds(101));
        assertThrows(UnknownMemberIdException.class, () -> instances.assignment(GROUP, "grill"));
        assertEquals("grill", instances.create(GROUP, "grill", OffsetReset.EARLIEST));
    }

    @Test
    void expiring_a_group_with_no_instances_does_nothing() {
        instances.expireIdle("nobody");
        assertEquals(0, broker.groupCoordinator().groupCount());
    }

    @Test
    void describe_shows_each_instance_with_the_partitions_it_owns_and_the_assignor() {
        instances.create(GROUP, "grill", OffsetReset.EARLIEST);
        instances.subscribe(GROUP, "grill", Set.of("orders"));
        ConsumerInstances.GroupInfo described = instances.describe(GROUP);
        assertEquals(Map.of("grill", List.of(ORDERS_0)), described.assignment());
        assertEquals("range", described.assignor());
    }

    @Test
    void a_group_nobody_used_is_described_empty_with_the_assignor_instances_offer() {
        ConsumerInstances.GroupInfo described = instances.describe("nobody");
        assertEquals(new ConsumerInstances.GroupInfo("nobody", "range", 0, new java.util.TreeMap<>(),
                new java.util.TreeMap<>()), described);
    }

    @Test
    void a_call_naming_a_blank_group_is_refused_as_an_invalid_group_id_saying_how_long_it_was() {
        assertEquals(Errors.INVALID_GROUP_ID, assertThrows(ApiException.class,
                () -> instances.heartbeat("", "grill")).error());
        ApiException longGroup = assertThrows(ApiException.class, () -> instances.heartbeat("g".repeat(256), "grill"));
        assertTrue(longGroup.getMessage().endsWith("this one has 256"), longGroup.getMessage());
    }

    @Test
    void closing_the_instances_answers_every_waiting_poll() throws Exception {
        instances.create(GROUP, "grill", OffsetReset.EARLIEST);
        instances.assign(GROUP, "grill", List.of(ORDERS_0));
        CompletableFuture<List<ConsumerRecord>> polled = instances.pollAsync(GROUP, "grill", 10,
                Duration.ofMinutes(10), Runnable::run);
        assertFalse(polled.isDone());
        instances.close();
        assertEquals(List.of(), polled.get(10, TimeUnit.SECONDS));
    }

    @Test
    void a_pattern_subscription_takes_matching_topics_as_they_come_leaving_out_the_brokers_own() {
        broker.createTopic("drinks", 1, Map.of(), OnDuplicate.FAIL);
        instances.create(GROUP, "grill", OffsetReset.EARLIEST);
        instances.subscribePattern(GROUP, "grill", "ord.*|__.*");
        assertEquals(List.of("orders"), instances.subscription(GROUP, "grill"));

        broker.createTopic("ordinals", 1, Map.of(), OnDuplicate.FAIL);
        assertEquals(Set.of(new TopicPartition("ordinals", 0), ORDERS_0), Set.copyOf(instances.assignment(GROUP, "grill")),
                "the next call saw the new topic and rejoined for it");
        assertEquals(List.of("orders", "ordinals"), instances.subscription(GROUP, "grill"));
    }

    @Test
    void a_pattern_subscription_names_a_new_matching_topic_as_soon_as_it_is_asked_for() {
        instances.create(GROUP, "grill", OffsetReset.EARLIEST);
        instances.subscribePattern(GROUP, "grill", "ord.*");
        broker.createTopic("ordinals", 1, Map.of(), OnDuplicate.FAIL);
        assertEquals(List.of("orders", "ordinals"), instances.subscription(GROUP, "grill"));
    }

    @Test
    void the_heartbeat_round_keeps_a_quiet_subscribed_instance_the_member_it_was_past_its_session() {
        instances.create(GROUP, "grill", OffsetReset.EARLIEST);
        instances.subscribe(GROUP, "grill", Set.of("orders"));
        List<String> members = memberIds();
        clock.advance(Duration.ofSeconds(30));
        instances.dropIdle(); // as the schedule does: heartbeats for grill, which has not called
        clock.advance(Duration.ofSeconds(30));
        broker.tickGroups();
        // a member the group dropped would rejoin at once, but under a new member id
        assertEquals(members, memberIds(), "60 s since grill's last call, 30 s since its group heard from it");
    }

    private List<String> memberIds() {
        return broker.groupCoordinator().describeGroup(GROUP).members().stream()
                .map(toykafka.broker.group.base.DescribedGroup.Member::memberId).toList();
    }
}
