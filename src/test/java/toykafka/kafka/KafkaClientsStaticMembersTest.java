package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.GroupConsumeOutput.assertEveryRecordReadOnce;
import static toykafka.kafka.GroupConsumeOutput.assignments;
import static toykafka.kafka.GroupConsumeOutput.memberId;
import static toykafka.kafka.GroupConsumers.NEW_PROTOCOL;
import static toykafka.kafka.GroupConsumers.assertStopsWith;
import static toykafka.kafka.GroupConsumers.await;
import static toykafka.kafka.GroupConsumers.awaitGeneration;
import static toykafka.kafka.KafkaClients.only;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.kafka.GroupConsumeOutput.At;

/**
 * Apache kafka-clients consumers with a {@code group.instance.id}, static members, on both protocols: a restarted
 * instance takes its place back with its partitions and no rebalance for the others (a restarted classic leader told
 * by JoinGroup v9 to skip the assignment); a second live instance fences the first on the classic protocol and is
 * refused on Kafka 4's.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaClientsStaticMembersTest {

    /**
     * The session of the static members, which these tests never wait for to run out: longer than any stretch of them
     * can last, however busy the machine. With 6 s, a member's place could run out while its next instance's JVM was
     * still starting at load 50, and the group moved twice (epoch 4 where the test expects 2).
     */
    private static final Duration STATIC_SESSION = Duration.ofMinutes(10);

    /** Kafka 4's sessions are the broker's, not the member's: this class has a broker with long ones. */
    @RegisterExtension
    static final GroupConsumers consumers = new GroupConsumers(STATIC_SESSION);

    // tag::static[]
    @ParameterizedTest
    @MethodSource("toykafka.kafka.KafkaClients#bothVersions")
    void a_restarted_static_member_keeps_its_partitions_without_a_rebalance_and_a_second_instance_fences_the_first(
            KafkaClients clients) {
        GroupOnATopic group = consumers.groupOnANewTopic(clients, "tables-" + clients.name(),
                "waiters-" + clients.name());
        String session = "config.session.timeout.ms=" + STATIC_SESSION.toMillis();
        String[] waiterA = {"config.group.instance.id=waiter-a-" + clients.name(), session};
        String[] waiterB = {"config.group.instance.id=waiter-b-" + clients.name(), session};
        GroupConsumeChild a = group.start("A", waiterA);
        awaitGeneration(Set.of("A/0"), a); // A leads, and B's join keeps it leading
        GroupConsumeChild b = group.start("B", waiterB);
        int generation = awaitGeneration(Set.of("A/0", "B/0"), a, b);
        Set<Integer> tablesOfA = assignments(a, b).get(generation).get("A/0");
        Map<At, String> produced = new TreeMap<>(group.produce("before", 4));
        group.awaitCommittedToTheEnd(a, b);

        // A's process ends: a static member's close() sends no LeaveGroup, and its place waits for it
        int assignedToB = only("assigned", b.lines()).size();
        int revokedFromB = only("revoked", b.lines()).size();
        a.stop();
        assertFalse(consumers.brokerAnswered("LeaveGroup", memberId(a)), "a static member does not leave on close():\n"
                + consumers.broker().log());
        assertEquals(2, consumers.broker().broker().groupCoordinator().describeGroup(group.id()).members().size());
        produced.putAll(group.produce("while-a-was-away", 2));
        GroupConsumeChild restarted = group.start("A2", waiterA);
        assertEquals(generation, awaitGeneration(Set.of("A2/0", "B/0"), restarted, b),
                "the restarted instance came back into the same generation");
        assertEquals(tablesOfA, assignments(restarted).get(generation).get("A2/0"), "with the same partitions");
        assertTrue(consumers.brokerAnswered("JoinGroup v9", memberId(restarted) + " leads 2 members, skipping the "
                + "assignment"), "the restarted leader was told to keep the group's assignment (KIP-814):\n"
                + consumers.broker().log());
        assertEquals(assignedToB, only("assigned", b.lines()).size(), "B saw no rebalance:\n" + b.describe());
        assertEquals(revokedFromB, only("revoked", b.lines()).size(), "nor gave anything up:\n" + b.describe());
        group.awaitCommittedToTheEnd(restarted, b);

        // a second process with the same group.instance.id: the newer one takes the place, the older is fenced
        GroupConsumeChild second = group.start("A3", waiterA);
        assertStopsWith("FencedInstanceIdException", restarted);
        assertEquals(generation, awaitGeneration(Set.of("A3/0", "B/0"), second, b));
        produced.putAll(group.produce("after", 2));
        group.awaitCommittedToTheEnd(second, b);
        second.stop();
        b.stop();

        assertEveryRecordReadOnce(produced, a, restarted, second, b);
        DescribedGroup described = consumers.broker().broker().groupCoordinator().describeGroup(group.id());
        assertEquals(Set.of(waiterA[0].substring("config.group.instance.id=".length()),
                waiterB[0].substring("config.group.instance.id=".length())), described.members().stream()
                .map(DescribedGroup.Member::groupInstanceId).collect(Collectors.toSet()),
                "both static members keep their places after closing, until their sessions run out");
    }
    // end::static[]

    // tag::consumer-static[]
    @Test
    void on_kip_848s_protocol_a_restarted_static_member_takes_its_place_back_and_a_second_live_instance_is_refused() {
        GroupOnATopic group = consumers.groupOnANewTopic(KafkaClients.V4_4_CHILD_JVM, "booths", "hosts");
        String[] hostA = {NEW_PROTOCOL, "config.group.instance.id=host-a"};
        GroupConsumeChild a = group.start("A", hostA);
        GroupConsumeChild b = group.start("B", NEW_PROTOCOL, "config.group.instance.id=host-b");
        Map<String, Set<Integer>> shares = group.awaitStable(2, a, b);
        int groupEpoch = consumers.broker().broker().groupCoordinator().describeConsumerGroup(group.id()).groupEpoch();
        Map<At, String> produced = new TreeMap<>(group.produce("before", 4));
        group.awaitCommittedToTheEnd(a, b);

        // A's process ends: close() sends epoch -2, and its place and partitions wait for its next instance
        int assignedToB = only("assigned", b.lines()).size();
        int revokedFromB = only("revoked", b.lines()).size();
        a.stop();
        assertTrue(consumers.heartbeatSent(memberId(a), -2), "a static member leaves for a moment:\n"
                + consumers.broker().log());
        produced.putAll(group.produce("while-a-was-away", 2));
        GroupConsumeChild restarted = group.start("A2", hostA);
        await("A2 is given its partitions", () -> !only("assigned", restarted.lines()).isEmpty(), restarted);
        Map<String, Set<Integer>> back = group.awaitStable(2, restarted, b);
        assertEquals(Set.of(memberId(restarted), memberId(b)), back.keySet(), "A2 took A's place");
        assertEquals(shares.get(memberId(a)), back.get(memberId(restarted)), "the new instance has A's partitions");
        assertEquals(groupEpoch, consumers.broker().broker().groupCoordinator().describeConsumerGroup(group.id()).groupEpoch(),
                "and the group did not move to a new epoch");
        assertEquals(assignedToB, only("assigned", b.lines()).size(), "B saw no change:\n" + b.describe());
        assertEquals(revokedFromB, only("revoked", b.lines()).size(), "nor gave anything up:\n" + b.describe());
        group.awaitCommittedToTheEnd(restarted, b);

        // a second process with the same group.instance.id while the first is alive is refused, unlike the classic
        // protocol, where the newer instance fences the older
        GroupConsumeChild second = group.start("A3", hostA);
        assertStopsWith("UnreleasedInstanceIdException", second);
        produced.putAll(group.produce("after", 2));
        group.awaitCommittedToTheEnd(restarted, b);
        restarted.stop();
        b.stop();

        assertEveryRecordReadOnce(produced, a, restarted, b);
    }
    // end::consumer-static[]
}
