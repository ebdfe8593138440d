package toykafka.restproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import toykafka.broker.group.classic.ConsumerProtocol;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.group.classic.SyncGroupRequest;
import toykafka.common.OffsetReset;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.StartedBroker;

/**
 * An instance's join can wait at the barrier for a Kafka consumer to rejoin; if the instance is deleted or
 * unsubscribes meanwhile, the member the answer makes of it leaves the group at once, rather than holding
 * partitions nobody reads until its session runs out.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PendingJoinTest extends InstancesPerTest {

    private static final String GROUP = "kitchen";

    @StartedBroker
    Broker broker;

    private GroupCoordinator coordinator;
    private JoinGroupResponse leader;

    @BeforeEach
    void start() {
        broker.createTopic("orders", 4, Map.of(), OnDuplicate.FAIL);
        coordinator = broker.groupCoordinator();
        leader = kafkaJoin("").join();
        coordinator.syncGroup(new SyncGroupRequest(GROUP, leader.generationId(), leader.memberId(), null, null,
                Map.of())).join();
        instances.create(GROUP, "cook", OffsetReset.EARLIEST);
        instances.subscribe(GROUP, "cook", Set.of("orders")); // its join waits for the Kafka consumer to rejoin
    }

    private CompletableFuture<JoinGroupResponse> kafkaJoin(String memberId) {
        return coordinator.joinGroup(new JoinGroupRequest(GROUP, memberId, "kafka", "/10.0.0.7", 45_000, 300_000,
                ConsumerProtocol.TYPE, List.of(new JoinGroupRequest.Protocol(InstanceMembership.ASSIGNORS.get(0).name(),
                ConsumerProtocol.CODEC.subscription(List.of("orders")))), false));
    }

    private List<String> membersOnceTheKafkaConsumerRejoins() throws Exception {
        JoinGroupResponse again = kafkaJoin(leader.memberId()).get(10, TimeUnit.SECONDS);
        assertEquals(2, again.members().size(), "the instance's join was answered with the Kafka consumer's");
        return coordinator.describeGroup(GROUP).members().stream().map(DescribedGroup.Member::memberId).toList();
    }

    @Test
    void an_instance_deleted_while_its_join_waits_leaves_the_group_once_the_join_is_answered() throws Exception {
        instances.leave(GROUP, "cook");
        assertEquals(List.of(leader.memberId()), membersOnceTheKafkaConsumerRejoins());
    }

    @Test
    void an_instance_that_unsubscribed_while_its_join_waits_leaves_the_group_once_the_join_is_answered() throws Exception {
        instances.unsubscribe(GROUP, "cook");
        assertEquals(List.of(leader.memberId()), membersOnceTheKafkaConsumerRejoins());
        assertEquals(List.of(), instances.assignment(GROUP, "cook"));
    }
}
