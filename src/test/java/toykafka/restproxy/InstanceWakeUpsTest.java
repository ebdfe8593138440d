package toykafka.restproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.Partitions;
import toykafka.broker.group.classic.ConsumerProtocol;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.group.classic.SyncGroupRequest;
import toykafka.clock.ManualClock;
import toykafka.common.OffsetReset;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownMemberIdException;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson05.ConsumerRecord;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/**
 * A waiting poll is answered by each change of its group, not only by records: the instance deleted or
 * dropped as idle, the assignment a Kafka leader sends, a rebalance a Kafka consumer starts. Each poll here
 * waits far longer than the test does, and the instances are assigned by hand or share their group with
 * Kafka consumers where that leaves the change under test the only thing that can answer it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InstanceWakeUpsTest extends InstancesPerTest {

    private static final String GROUP = "kitchen";
    private static final Duration FOREVER = Duration.ofMinutes(10);
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_3 = new TopicPartition("orders", 3);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    @StartedBroker(settings = @Setting(name = BrokerConfig.CONSUMER_INSTANCE_TIMEOUT_MS, value = "10000"), clock = "clock")
    Broker broker;
    private GroupCoordinator coordinator;

    @BeforeEach
    void start() {
        broker.createTopic("orders", 4, Map.of(), OnDuplicate.FAIL);
        coordinator = broker.groupCoordinator();
    }

    private CompletableFuture<List<ConsumerRecord>> waitingPoll(String name) {
        CompletableFuture<List<ConsumerRecord>> polled = instances.pollAsync(GROUP, name, 10, FOREVER, Runnable::run);
        assertFalse(polled.isDone(), "nothing to read: the poll waits");
        return polled;
    }

    /** The poll's answer; a change that woke nothing fails the test here rather than after ten minutes. */
    private static List<ConsumerRecord> answer(CompletableFuture<List<ConsumerRecord>> polled) throws Exception {
        return polled.get(10, TimeUnit.SECONDS);
    }

    private static Throwable refusal(CompletableFuture<List<ConsumerRecord>> polled) {
        Throwable failed = assertThrows(ExecutionException.class, () -> answer(polled)).getCause();
        return failed.getCause() != null && !(failed instanceof UnknownMemberIdException) ? failed.getCause() : failed;
    }

    /** A Kafka consumer's JoinGroup for the orders topic, by the protocol the instances offer. */
    private CompletableFuture<JoinGroupResponse> kafkaJoin(String memberId) {
        return coordinator.joinGroup(new JoinGroupRequest(GROUP, memberId, "kafka", "/10.0.0.7", 45_000, 300_000,
                ConsumerProtocol.TYPE, List.of(new JoinGroupRequest.Protocol(InstanceMembership.ASSIGNORS.get(0).name(),
                ConsumerProtocol.CODEC.subscription(List.of("orders")))), false));
    }

    private void append(int partition, String value) {
        broker.partitions().appendRecords("orders", List.of(new Partitions.ProduceRecord(partition,
                Record.of(null, value, Instant.EPOCH))));
    }

    @Test
    void deleting_an_instance_answers_its_waiting_poll_with_the_instance_gone() {
        instances.create(GROUP, "grill", OffsetReset.EARLIEST);
        instances.assign(GROUP, "grill", List.of(ORDERS_0)); // no member: no rebalance wakes the poll
        CompletableFuture<List<ConsumerRecord>> polled = waitingPoll("grill");

        instances.leave(GROUP, "grill");
        assertInstanceOf(UnknownMemberIdException.class, refusal(polled));
    }

    @Test
    void dropping_an_idle_instance_answers_its_waiting_poll_with_the_instance_gone() {
        instances.create(GROUP, "grill", OffsetReset.EARLIEST);
        instances.assign(GROUP, "grill", List.of(ORDERS_0));
        CompletableFuture<List<ConsumerRecord>> polled = waitingPoll("grill");

        clock.advance(Duration.ofSeconds(11)); // past consumer.instance.timeout.ms: a waiting poll is no call
        instances.expireIdle(GROUP);
        assertInstanceOf(UnknownMemberIdException.class, refusal(polled));
    }

    @Test
    void describing_a_group_first_drops_its_instances_idle_by_the_clock_now() {
        instances.create(GROUP, "grill", OffsetReset.EARLIEST);
        instances.subscribe(GROUP, "grill", Set.of("orders"));
        assertEquals(Set.of("grill"), instances.describe(GROUP).assignment().keySet());

        clock.advance(Duration.ofSeconds(11)); // its session (45 s) lives on: only the instance's timeout passed
        assertEquals(Map.of(), instances.describe(GROUP).assignment(), "grill is gone and left the group");
    }

    @Test
    void the_assignment_a_kafka_leader_sends_answers_the_waiting_poll_with_records_of_it() throws Exception {
        JoinGroupResponse leader = kafkaJoin("").join();
        coordinator.syncGroup(new SyncGroupRequest(GROUP, leader.generationId(), leader.memberId(), null, null,
                Map.of())).join();
        instances.create(GROUP, "cook", OffsetReset.EARLIEST);
        instances.subscribe(GROUP, "cook", Set.of("orders")); // its join waits at the barrier for the leader
        append(3, "soup");
        CompletableFuture<List<ConsumerRecord>> polled = waitingPoll("cook"); // it owns nothing yet

        JoinGroupResponse again = kafkaJoin(leader.memberId()).join();
        String cookId = again.members().stream().map(JoinGroupResponse.Member::memberId)
                .filter(id -> !id.equals(leader.memberId())).findFirst().orElseThrow();
        assertFalse(polled.isDone(), "joined, but its assignment has yet to come");
        coordinator.syncGroup(new SyncGroupRequest(GROUP, again.generationId(), leader.memberId(), null, null,
                Map.of(cookId, ConsumerProtocol.CODEC.assignment(List.of(ORDERS_3))))).join();

        assertEquals(List.of("soup"), answer(polled).stream().map(record -> record.record().valueText()).toList());
    }

    @Test
    void a_rebalance_a_kafka_consumer_starts_answers_the_waiting_poll_before_the_barrier_opens() throws Exception {
        instances.create(GROUP, "cook", OffsetReset.EARLIEST);
        instances.subscribe(GROUP, "cook", Set.of("orders"));
        JoinGroupResponse first = kafkaJoin("").join(); // cook rejoins at once, leads and keeps half the partitions
        coordinator.syncGroup(new SyncGroupRequest(GROUP, first.generationId(), first.memberId(), null, null,
                Map.of())).join();
        assertEquals(2, instances.assignment(GROUP, "cook").size());
        CompletableFuture<List<ConsumerRecord>> polled = waitingPoll("cook");

        CompletableFuture<JoinGroupResponse> second = kafkaJoin(""); // the first Kafka consumer has yet to rejoin
        assertEquals(List.of(), answer(polled), "woken as the rebalance starts, with nothing to read");
        assertFalse(second.isDone(), "the barrier waits for the first Kafka consumer still");
    }
}
