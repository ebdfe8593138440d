package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.GroupConsumeOutput.assertEveryRecordReadOnce;
import static toykafka.kafka.GroupConsumeOutput.memberId;
import static toykafka.kafka.GroupConsumeOutput.partitionsRead;
import static toykafka.kafka.GroupConsumers.NEW_PROTOCOL;
import static toykafka.kafka.GroupConsumers.await;
import static toykafka.kafka.GroupConsumers.awaitGeneration;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import toykafka.broker.group.DescribedConsumerGroup;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.GroupState;
import toykafka.kafka.GroupConsumeOutput.At;

/**
 * Apache kafka-clients 4.4 consumers of both protocols in one group: a classic consumer in a busy KIP-848 group, and a
 * classic group upgraded by a KIP-848 member's join and downgraded when it leaves, records flowing throughout.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaClientsGroupMigrationTest {

    @RegisterExtension
    static final GroupConsumers consumers = new GroupConsumers();

    /**
     * A classic consumer (JoinGroup, SyncGroup, Heartbeat) joins a group whose member speaks Kafka 4's protocol: the
     * group stays a consumer group, takes it in as a classic member and splits the topic between the two, and when
     * the classic one leaves, its partitions go back. Kafka does so under any {@code group.consumer.migration.policy}
     * but disabled.
     */
    @Test
    void a_classic_consumer_joins_a_busy_kip_848_group_and_shares_its_partitions_with_a_member_of_the_new_protocol() {
        KafkaClients clients = KafkaClients.V4_4_CHILD_JVM;
        String topic = "mixed-counters";
        String group = "mixed-staff";
        consumers.createTopic(topic);
        GroupCoordinator coordinator = consumers.broker().broker().groupCoordinator();

        GroupConsumeChild a = consumers.start(clients, "A", topic, group, NEW_PROTOCOL);
        consumers.awaitStable(group, 1, a);
        Map<At, String> produced = new TreeMap<>(consumers.produce(topic, "before", 10));
        consumers.awaitCommittedToTheEnd(group, topic, a);

        GroupConsumeChild b = consumers.start(clients, "B", topic, group); // the classic protocol, kafka-clients' default
        Map<String, Set<Integer>> shares = consumers.awaitStable(group, 2, a, b);
        shares.values().forEach(owned -> assertEquals(3, owned.size(), "three partitions each: " + shares));
        DescribedConsumerGroup described = coordinator.describeConsumerGroup(group);
        assertEquals(Map.of(memberId(a), false, memberId(b), true), described.members().stream().collect(
                Collectors.toMap(DescribedConsumerGroup.Member::memberId, DescribedConsumerGroup.Member::classic)),
                "B is a classic member of the consumer group");
        assertEquals(Optional.of("consumer"), coordinator.groupType(group));
        produced.putAll(consumers.produce(topic, "shared", 10));
        consumers.awaitCommittedToTheEnd(group, topic, a, b);
        Set<Integer> readByB = partitionsRead(b);
        assertTrue(shares.get(memberId(b)).containsAll(readByB), "B read only its own partitions: " + readByB);

        b.stop(); // LeaveGroup
        consumers.awaitStable(group, 1, a, b);
        produced.putAll(consumers.produce(topic, "after", 5));
        consumers.awaitCommittedToTheEnd(group, topic, a, b);
        a.stop();

        assertEveryRecordReadOnce(produced, a, b);
        assertTrue(consumers.brokerAnswered("JoinGroup", memberId(b)), "B joined with JoinGroup:\n"
                + consumers.broker().log());
    }

    /**
     * A rolling move between the protocols with the broker's default {@code group.consumer.migration.policy},
     * bidirectional: two classic consumers share a topic; a third with {@code group.protocol=consumer} joins, which
     * turns the busy classic group into a consumer group with the two as classic members; when it leaves, the group
     * turns classic again and rebalances. Records flow throughout, and none is lost or read twice past a commit.
     */
    @Test
    void a_busy_classic_group_is_upgraded_when_a_kip_848_member_joins_and_downgraded_when_it_leaves() {
        KafkaClients clients = KafkaClients.V4_4_CHILD_JVM;
        String topic = "migrating-counters";
        String group = "migrating-staff";
        consumers.createTopic(topic);
        GroupCoordinator coordinator = consumers.broker().broker().groupCoordinator();

        GroupConsumeChild a = consumers.start(clients, "A", topic, group);
        GroupConsumeChild b = consumers.start(clients, "B", topic, group);
        awaitGeneration(Set.of("A/0", "B/0"), a, b);
        Map<At, String> produced = new TreeMap<>(consumers.produce(topic, "classic", 10));
        consumers.awaitCommittedToTheEnd(group, topic, a, b);

        GroupConsumeChild c = consumers.start(clients, "C", topic, group, NEW_PROTOCOL);
        Map<String, Set<Integer>> shares = consumers.awaitStable(group, 3, a, b, c);
        assertEquals(Optional.of("consumer"), coordinator.groupType(group), "upgraded");
        shares.values().forEach(owned -> assertEquals(2, owned.size(), "two partitions each: " + shares));
        assertEquals(Set.of(memberId(a), memberId(b)), coordinator.describeConsumerGroup(group).members().stream()
                .filter(DescribedConsumerGroup.Member::classic).map(DescribedConsumerGroup.Member::memberId)
                .collect(Collectors.toSet()), "A and B are classic members of the consumer group");
        produced.putAll(consumers.produce(topic, "mixed", 10));
        consumers.awaitCommittedToTheEnd(group, topic, a, b, c);

        c.stop(); // its leave leaves classic members only: the group turns classic and rebalances
        await("the group classic again and Stable with A and B", () -> coordinator.groupType(group)
                .equals(Optional.of("classic")) && coordinator.describeGroup(group).state() == GroupState.STABLE
                && coordinator.describeGroup(group).members().size() == 2, a, b, c);
        produced.putAll(consumers.produce(topic, "classic-again", 10));
        consumers.awaitCommittedToTheEnd(group, topic, a, b);
        a.stop();
        b.stop();

        assertEveryRecordReadOnce(produced, a, b, c);
    }
}
