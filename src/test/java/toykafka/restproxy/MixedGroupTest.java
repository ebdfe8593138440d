package toykafka.restproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import toykafka.broker.group.classic.ConsumerProtocol;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.group.classic.SyncGroupRequest;
import toykafka.broker.group.classic.SyncGroupResponse;
import toykafka.clock.ManualClock;
import toykafka.common.Errors;
import toykafka.common.OffsetReset;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.KafkaConsumerProtocol;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/**
 * A REST consumer instance and a Kafka consumer in one group: the instance is a member like any other,
 * rejoins as soon as the Kafka consumer's join starts a rebalance, and each reads the other's bytes.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MixedGroupTest extends InstancesPerTest {

    private static final String GROUP = "kitchen";

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    @StartedBroker(settings = @Setting(name = BrokerConfig.CONSUMER_INSTANCE_TIMEOUT_MS, value = "45000"), clock = "clock")
    Broker broker;
    private GroupCoordinator coordinator;

    @BeforeEach
    void start() {
        broker.createTopic("orders", 4, Map.of(), OnDuplicate.FAIL);
        coordinator = broker.groupCoordinator();
        instances.create(GROUP, "cook", OffsetReset.EARLIEST);
        instances.subscribe(GROUP, "cook", Set.of("orders"));
    }

    /** The JoinGroup a kafka-clients consumer sends, its subscription written by kafka-clients. */
    private CompletableFuture<JoinGroupResponse> kafkaJoin(String memberId) {
        byte[] metadata = KafkaConsumerProtocol.subscription(List.of("orders"));
        return coordinator.joinGroup(new JoinGroupRequest(GROUP, memberId, "kafka", "/10.0.0.7", 45_000, 300_000,
                "consumer", List.of(new JoinGroupRequest.Protocol("range", metadata)), false))
                .orTimeout(10, TimeUnit.SECONDS); // a broken barrier fails the test instead of hanging it
    }

    private CompletableFuture<SyncGroupResponse> sync(SyncGroupRequest request) {
        return coordinator.syncGroup(request).orTimeout(10, TimeUnit.SECONDS);
    }

    private static List<TopicPartition> partitions(SyncGroupResponse synced) {
        return KafkaConsumerProtocol.partitions(synced.assignment()).stream()
                .map(partition -> new TopicPartition(partition.topic(), partition.partition())).toList();
    }

    @Test
    void the_instance_rejoins_at_once_leads_and_hands_the_kafka_consumer_its_share() {
        JoinGroupResponse joined = kafkaJoin("").getNow(null);
        assertNotNull(joined, "answered at once: the instance rejoined as the rebalance started");
        assertEquals(Errors.NONE, joined.error());
        assertFalse(joined.isLeader(), "the instance led the group before and leads it still");
        SyncGroupResponse synced = sync(new SyncGroupRequest(GROUP, joined.generationId(),
                joined.memberId(), "consumer", "range", Map.of())).join();

        List<TopicPartition> cooks = instances.assignment(GROUP, "cook");
        assertEquals(4, cooks.size() + partitions(synced).size(), "the range split shares out all four partitions");
        assertTrue(cooks.stream().noneMatch(partitions(synced)::contains));
        assertEquals(Set.of("cook", joined.memberId()), instances.describe(GROUP).assignment().keySet(),
                "the instance by its name, the Kafka consumer by its member id");
    }

    @Test
    void an_instance_in_a_group_a_kafka_consumer_leads_gets_the_leaders_assignment() {
        instances.leave(GROUP, "cook");
        JoinGroupResponse leader = kafkaJoin("").join();
        sync(new SyncGroupRequest(GROUP, leader.generationId(), leader.memberId(), null, null,
                Map.of())).join();
        instances.create(GROUP, "cook", OffsetReset.EARLIEST);
        instances.subscribe(GROUP, "cook", Set.of("orders"));
        assertEquals(List.of(), instances.assignment(GROUP, "cook"), "the barrier waits for the Kafka consumer to rejoin");

        JoinGroupResponse again = kafkaJoin(leader.memberId()).join();
        assertTrue(again.isLeader());
        assertEquals(List.of(), instances.assignment(GROUP, "cook"), "the leader has not sent its assignment yet");
        String cookId = again.members().stream().map(JoinGroupResponse.Member::memberId)
                .filter(id -> !id.equals(leader.memberId())).findFirst().orElseThrow();
        assertEquals(List.of("orders"), KafkaConsumerProtocol.topics(again.members().stream()
                        .filter(member -> member.memberId().equals(cookId)).findFirst().orElseThrow().metadata()),
                "the Kafka leader reads the instance's subscription");

        byte[] forCook = ConsumerProtocol.CODEC.assignment(List.of(new TopicPartition("orders", 3)));
        sync(new SyncGroupRequest(GROUP, again.generationId(), leader.memberId(), null, null,
                Map.of(cookId, forCook))).join();
        assertEquals(List.of(new TopicPartition("orders", 3)), instances.assignment(GROUP, "cook"),
                "the Kafka leader's assignment, as the instance's sync received it");
    }

    @Test
    void an_instance_silent_past_consumer_instance_timeout_ms_is_deleted_and_leaves_the_group() {
        JoinGroupResponse joined = kafkaJoin("").join();
        sync(new SyncGroupRequest(GROUP, joined.generationId(), joined.memberId(), null, null,
                Map.of())).join();
        clock.advance(Duration.ofSeconds(40));
        coordinator.heartbeat(new toykafka.broker.group.classic.HeartbeatRequest(GROUP, joined.generationId(), joined.memberId()));
        clock.advance(Duration.ofSeconds(10));
        instances.dropIdle();
        broker.tickGroups();
        assertThrows(toykafka.common.UnknownMemberIdException.class, () -> instances.assignment(GROUP, "cook"),
                "the cook said nothing for 50 s, past its 45 s consumer.instance.timeout.ms");
        JoinGroupResponse alone = kafkaJoin(joined.memberId()).join();
        assertEquals(List.of(joined.memberId()), alone.members().stream().map(JoinGroupResponse.Member::memberId).toList());
    }
}
