package toykafka.restproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.OffsetReset;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownMemberIdException;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/** The REST consumer instances stay bounded: a 404 makes nothing, names and groups have limits, and empty groups go. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsumerInstanceLimitsTest extends InstancesPerTest {

    // a cleanup at every tick of the groups: an empty group is dropped at the next one, not 10 minutes later
    @StartedBroker(settings = {@Setting(name = BrokerConfig.GROUP_MAX_SIZE, value = "2"),
            @Setting(name = BrokerConfig.CONSUMER_INSTANCES_MAX, value = "3"),
            @Setting(name = BrokerConfig.OFFSETS_RETENTION_CHECK_INTERVAL_MS, value = "1")})
    Broker broker;

    @BeforeEach
    void start() {
        broker.createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
    }

    @Test
    void a_call_naming_an_instance_that_is_not_there_makes_nothing() {
        TopicPartition orders = new TopicPartition("orders", 0);
        for (int i = 0; i < 2000; i++) {
            String group = "g" + i;
            assertThrows(UnknownMemberIdException.class, () -> instances.heartbeat(group, "m"));
            assertThrows(UnknownMemberIdException.class, () -> instances.poll(group, "m", 1, Duration.ZERO));
            assertThrows(UnknownMemberIdException.class, () -> instances.assignment(group, "m"));
            assertThrows(UnknownMemberIdException.class, () -> instances.commit(group, "m", Map.of()));
            assertThrows(UnknownMemberIdException.class, () -> instances.seek(group, "m", orders, 0));
            assertThrows(UnknownMemberIdException.class, () -> instances.subscribe(group, "m", Set.of("orders")));
            assertThrows(UnknownMemberIdException.class, () -> instances.leave(group, "m"));
        }
        instances.dropIdle();
        broker.tickGroups();
        assertEquals(Map.of(), broker.groupStatistics());
        assertEquals(0, broker.groupCoordinator().groupCount());
    }

    @Test
    void a_group_goes_at_the_cleanup_after_its_last_instance() throws InterruptedException {
        instances.create("kitchen", "grill", OffsetReset.EARLIEST);
        instances.subscribe("kitchen", "grill", Set.of("orders"));
        instances.create("bar", "cafe", OffsetReset.EARLIEST); // never subscribes
        instances.leave("kitchen", "grill");
        instances.leave("bar", "cafe");
        instances.dropIdle();
        Thread.sleep(2); // past the 1 ms interval since any cleanup before
        broker.tickGroups();
        assertEquals(Map.of(), broker.groupStatistics(), "no instance, no member, no offset: no group");
        assertEquals(0, broker.groupCoordinator().groupCount());
        instances.create("kitchen", "grill", OffsetReset.EARLIEST); // and the name may be used again
        instances.subscribe("kitchen", "grill", Set.of("orders"));
        assertEquals(List.of(new TopicPartition("orders", 0)), instances.assignment("kitchen", "grill"));
    }

    @Test
    void names_and_group_ids_are_at_most_255_characters_and_the_refusal_says_so() {
        ApiException longName = assertThrows(ApiException.class,
                () -> instances.create("kitchen", "n".repeat(256), OffsetReset.EARLIEST));
        assertEquals(Errors.INVALID_REQUEST, longName.error());
        assertTrue(longName.getMessage().contains("255"), longName.getMessage());
        ApiException longGroup = assertThrows(ApiException.class,
                () -> instances.create("g".repeat(256), "grill", OffsetReset.EARLIEST));
        assertEquals(Errors.INVALID_GROUP_ID, longGroup.error());
        assertTrue(longGroup.getMessage().contains("255"), longGroup.getMessage());
        assertEquals(Map.of(), broker.groupStatistics(), "neither was made");
        instances.create("g".repeat(255), "n".repeat(255), OffsetReset.EARLIEST);
    }

    @Test
    void a_group_takes_at_most_group_max_size_instances() {
        instances.create("kitchen", "grill", OffsetReset.EARLIEST);
        instances.create("kitchen", "fryer", OffsetReset.EARLIEST);
        ApiException third = assertThrows(ApiException.class,
                () -> instances.create("kitchen", "oven", OffsetReset.EARLIEST));
        assertEquals(Errors.GROUP_MAX_SIZE_REACHED, third.error());
        assertTrue(third.getMessage().contains("group.max.size=2"), third.getMessage());
        instances.leave("kitchen", "fryer");
        instances.create("kitchen", "oven", OffsetReset.EARLIEST); // room again
    }

    @Test
    void the_broker_holds_at_most_consumer_instances_max_instances_in_all_groups_together() {
        instances.create("kitchen", "grill", OffsetReset.EARLIEST);
        instances.create("bar", "tap", OffsetReset.EARLIEST);
        instances.create("till", "one", OffsetReset.EARLIEST);
        ApiException fourth = assertThrows(ApiException.class,
                () -> instances.create("door", "bell", OffsetReset.EARLIEST), "a group of one, but the fourth instance");
        assertEquals(Errors.THROTTLING_QUOTA_EXCEEDED, fourth.error(), "answered 429 over HTTP");
        assertTrue(fourth.getMessage().contains("consumer.instances.max"), fourth.getMessage());
        assertThrows(UnknownMemberIdException.class, () -> instances.heartbeat("door", "bell"), "nothing was made for it");
        instances.leave("bar", "tap");
        instances.create("door", "bell", OffsetReset.EARLIEST); // a place is free again
    }
}
