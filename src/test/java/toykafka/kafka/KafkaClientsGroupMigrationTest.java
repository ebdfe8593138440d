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
import toykafka.broker.group.consumer.DescribedConsumerGroup;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.base.GroupState;
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
        GroupOnATopic group = consumers.groupOnANewTopic(KafkaClients.V4_4_CHILD_JVM, "mixed-counters", "mixed-staff");
        GroupCoordinator coordinator = consumers.broker().broker().groupCoordinator();

        GroupConsumeChild a = group.start("A", NEW_PROTOCOL);
        group.awaitStable(1, a);
        Map<At, String> produced = new TreeMap<>(group.produce("before", 10));
        group.awaitCommittedToTheEnd(a);

        GroupConsumeChild b = group.start("B"); // the classic protocol, kafka-clients' default
        Map<String, Set<Integer>> shares = group.awaitStable(2, a, b);
        shares.values().forEach(owned -> assertEquals(3, owned.size(), "three partitions each: " + shares));
        DescribedConsumerGroup described = coordinator.describeConsumerGroup(group.id());
        assertEquals(Map.of(memberId(a), false, memberId(b), true), described.members().stream().collect(
                Collectors.toMap(DescribedConsumerGroup.Member::memberId, DescribedConsumerGroup.Member::classic)),
                "B is a classic member of the consumer group");
        assertEquals(Optional.of("consumer"), coordinator.groupType(group.id()));
        produced.putAll(group.produce("shared", 10));
        group.awaitCommittedToTheEnd(a, b);
        Set<Integer> readByB = partitionsRead(b);
        assertTrue(shares.get(memberId(b)).containsAll(readByB), "B read only its own partitions: " + readByB);

        b.stop(); // LeaveGroup
        group.awaitStable(1, a, b);
        produced.putAll(group.produce("after", 5));
        group.awaitCommittedToTheEnd(a, b);
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
        GroupOnATopic group = consumers.groupOnANewTopic(KafkaClients.V4_4_CHILD_JVM, "migrating-counters",
                "migrating-staff");
        GroupCoordinator coordinator = consumers.broker().broker().groupCoordinator();

        GroupConsumeChild a = group.start("A");
        GroupConsumeChild b = group.start("B");
        awaitGeneration(Set.of("A/0", "B/0"), a, b);
        Map<At, String> produced = new TreeMap<>(group.produce("classic", 10));
        group.awaitCommittedToTheEnd(a, b);

        GroupConsumeChild c = group.start("C", NEW_PROTOCOL);
        Map<String, Set<Integer>> shares = group.awaitStable(3, a, b, c);
        assertEquals(Optional.of("consumer"), coordinator.groupType(group.id()), "upgraded");
        shares.values().forEach(owned -> assertEquals(2, owned.size(), "two partitions each: " + shares));
        assertEquals(Set.of(memberId(a), memberId(b)), coordinator.describeConsumerGroup(group.id()).members().stream()
                .filter(DescribedConsumerGroup.Member::classic).map(DescribedConsumerGroup.Member::memberId)
                .collect(Collectors.toSet()), "A and B are classic members of the consumer group");
        produced.putAll(group.produce("mixed", 10));
        group.awaitCommittedToTheEnd(a, b, c);

        c.stop(); // its leave leaves classic members only: the group turns classic and rebalances
        await("the group classic again and Stable with A and B", () -> coordinator.groupType(group.id())
                .equals(Optional.of("classic")) && coordinator.describeGroup(group.id()).state() == GroupState.STABLE
                && coordinator.describeGroup(group.id()).members().size() == 2, a, b, c);
        produced.putAll(group.produce("classic-again", 10));
        group.awaitCommittedToTheEnd(a, b);
        a.stop();
        b.stop();

        assertEveryRecordReadOnce(produced, a, b, c);
    }
}
