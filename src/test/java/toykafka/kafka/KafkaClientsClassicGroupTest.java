package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.GroupConsumeOutput.assertEveryRecordReadOnce;
import static toykafka.kafka.GroupConsumeOutput.assertNoPartitionHasTwoOwners;
import static toykafka.kafka.GroupConsumeOutput.assignments;
import static toykafka.kafka.GroupConsumeOutput.memberId;
import static toykafka.kafka.GroupConsumeOutput.partitionsRead;
import static toykafka.kafka.GroupConsumeOutput.revokedBeforeClosing;
import static toykafka.kafka.GroupConsumeOutput.revokedSince;
import static toykafka.kafka.GroupConsumers.awaitGeneration;
import static toykafka.kafka.KafkaClients.only;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.kafka.GroupConsumeOutput.At;

/**
 * Apache kafka-clients 4.4 and 3.9 consumers, unmodified, in classic groups that our broker coordinates over Kafka's
 * wire protocol (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch), each in a
 * child JVM of its own. What they print is checked against what the broker was given and holds: no partition has two
 * owners in a generation, every record is read, no commit goes back, and a consumer that comes back resumes where the
 * group committed. Each assignor of the consumer's runs, and a cooperative rebalance revokes only what moves.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaClientsClassicGroupTest {

    @RegisterExtension
    static final GroupConsumers consumers = new GroupConsumers();

    @ParameterizedTest
    @MethodSource("toykafka.kafka.KafkaClients#bothVersions")
    void three_consumers_share_a_topic_and_after_a_leave_a_kill_and_a_late_join_every_record_is_read_and_a_restart_resumes(
            KafkaClients clients) {
        GroupOnATopic group = consumers.groupOnANewTopic(clients, "receipts-" + clients.name(),
                "tills-" + clients.name());

        // three members at once: two partitions each in the generation they share
        GroupConsumeChild a = group.start("A");
        GroupConsumeChild b = group.start("B");
        GroupConsumeChild c = group.start("C");
        int ofThree = awaitGeneration(Set.of("A/0", "B/0", "C/0"), a, b, c);
        Map<String, Set<Integer>> shares = assignments(a, b, c).get(ofThree);
        shares.forEach((member, owned) -> assertEquals(2, owned.size(),
                "six partitions over three members, two each, in generation " + ofThree + ": " + shares));
        Map<At, String> produced = new TreeMap<>(group.produce("first", 10));
        group.awaitCommittedToTheEnd(a, b, c);
        for (GroupConsumeChild each : List.of(a, b, c)) {
            assertEquals(shares.get(each.name + "/0"), partitionsRead(each),
                    each.name + " read the partitions it was given, all of them");
        }

        // B dies without a word (its session runs out), A leaves with close(), D joins late
        b.kill();
        a.stop();
        GroupConsumeChild d = group.start("D");
        produced.putAll(group.produce("during-the-rebalance", 5));
        int survivors = awaitGeneration(Set.of("C/0", "D/0"), a, b, c, d); // once B's 6 s session has run out
        produced.putAll(group.produce("after-it", 5));
        group.awaitCommittedToTheEnd(a, b, c, d);

        assertNoPartitionHasTwoOwners(assignments(a, b, c, d));
        Map<String, Set<Integer>> takenOver = assignments(a, b, c, d).get(survivors);
        takenOver.forEach((member, owned) -> assertEquals(3, owned.size(),
                "the survivors split the six partitions, three each, in generation " + survivors + ": " + takenOver));
        assertEveryRecordReadOnce(produced, a, b, c, d);
        assertTrue(only("record", d.lines()).size() > 0, "the late joiner read from the partitions it took over:\n"
                + d.describe());
        assertEquals(1, only("closed", a.lines()).size(), "A closed\n" + a.describe());
        assertTrue(consumers.brokerAnswered("LeaveGroup", memberId(a)), "A's close() sent LeaveGroup:\n"
                + consumers.broker().log());
        assertFalse(consumers.brokerAnswered("LeaveGroup", memberId(b)), "B was killed: it never said goodbye");

        // everyone leaves; more records; a consumer that comes back reads those and nothing committed before
        c.stop();
        d.stop();
        group.assertAReturningConsumerResumes(List.of(a, b, c, d));
    }

    @ParameterizedTest
    @MethodSource("toykafka.kafka.KafkaClients#bothVersions")
    void each_assignor_splits_a_topic_between_two_members_and_cooperative_sticky_revokes_only_what_a_third_one_takes(
            KafkaClients clients) {
        String topic = "shelves-" + clients.name();
        consumers.createTopic(topic);
        List<String> assignors = List.of("range", "roundrobin", "sticky", "cooperative-sticky");
        Map<String, GroupConsumeChild> pairs = new LinkedHashMap<>();
        for (String assignor : assignors) {
            pairs.put(assignor, consumers.start(clients, assignor, topic, aisle(clients, assignor), "members=2",
                    "assignor=" + assignor));
        }
        Map<String, Integer> pairGeneration = new HashMap<>();
        Map<String, Map<String, Set<Integer>>> twoWay = new HashMap<>();
        for (String assignor : assignors) {
            GroupConsumeChild pair = pairs.get(assignor);
            pairGeneration.put(assignor, awaitGeneration(Set.of(assignor + "/0", assignor + "/1"), pair));
            twoWay.put(assignor, assignments(pair).get(pairGeneration.get(assignor)));
        }
        GroupConsumeChild coop = pairs.get("cooperative-sticky");
        GroupConsumeChild third = consumers.start(clients, "third", topic, aisle(clients, "cooperative-sticky"),
                "assignor=cooperative-sticky");
        Map<String, GroupConsumeChild[]> groups = new HashMap<>();
        pairs.forEach((assignor, pair) -> groups.put(assignor, new GroupConsumeChild[] {pair}));
        groups.put("cooperative-sticky", new GroupConsumeChild[] {coop, third});
        int ofThree = awaitGeneration(Set.of("cooperative-sticky/0", "cooperative-sticky/1", "third/0"), coop, third);
        for (String assignor : assignors) {
            DescribedGroup described = consumers.broker().broker().groupCoordinator().describeGroup(aisle(clients, assignor));
            assertEquals(assignor, described.protocol(), "the coordinator chose the one protocol its members offered");
        }
        Map<At, String> produced = consumers.produce(topic, "stock", 5);
        for (String assignor : assignors) {
            consumers.awaitCommittedToTheEnd(aisle(clients, assignor), topic, groups.get(assignor));
        }
        for (GroupConsumeChild each : consumers.started()) {
            each.stop();
        }

        assertEquals(Set.of(Set.of(0, 1, 2), Set.of(3, 4, 5)), Set.copyOf(twoWay.get("range").values()),
                "range: each member a run of partitions");
        assertEquals(Set.of(Set.of(0, 2, 4), Set.of(1, 3, 5)), Set.copyOf(twoWay.get("roundrobin").values()),
                "roundrobin: partitions dealt in turn");
        for (String assignor : assignors) {
            Map<String, Set<Integer>> split = twoWay.get(assignor);
            split.values().forEach(owned -> assertEquals(3, owned.size(), assignor + ": three partitions each " + split));
            GroupConsumeChild[] group = groups.get(assignor);
            assertNoPartitionHasTwoOwners(assignments(group));
            assertEveryRecordReadOnce(produced, group);
        }

        // cooperative-sticky: each of the two gave up one partition to the third and was never asked for the rest
        Map<String, Set<Integer>> threeWay = assignments(coop, third).get(ofThree);
        Set<Integer> moved = new TreeSet<>();
        for (String member : List.of("cooperative-sticky/0", "cooperative-sticky/1")) {
            Set<Integer> before = twoWay.get("cooperative-sticky").get(member);
            Set<Integer> kept = threeWay.get(member);
            assertEquals(2, kept.size(), member + " keeps two of its three: " + threeWay);
            assertTrue(before.containsAll(kept), member + " keeps its own partitions: had " + before + ", has " + kept);
            Set<Integer> revoked = revokedBeforeClosing(coop, member);
            Set<Integer> gaveUp = new TreeSet<>(before);
            gaveUp.removeAll(kept);
            assertEquals(gaveUp, revokedSince(coop, member, pairGeneration.get("cooperative-sticky")),
                    member + " was asked to revoke only the partition that moved");
            for (int partition : kept) {
                assertFalse(revoked.contains(partition), member + " kept partition " + partition
                        + " throughout, yet a revoked line names it:\n" + coop.describe());
            }
            moved.addAll(gaveUp);
        }
        assertEquals(moved, threeWay.get("third/0"), "the third member took exactly the partitions that moved");
    }

    private static String aisle(KafkaClients clients, String assignor) {
        return "aisle-" + assignor + "-" + clients.name();
    }
}
