package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static toykafka.kafka.KafkaClients.only;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.Partitions;
import toykafka.broker.group.consumer.DescribedConsumerGroup;
import toykafka.broker.group.base.GroupState;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.common.Record;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;

/**
 * Apache kafka-clients 4.4 and 3.9 consumers, unmodified, in groups that our broker coordinates over Kafka's
 * wire protocol (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch):
 * each consumer runs the probe's {@code group-consume} in a child JVM of its own, so that several join one
 * group at once and one can be killed. What they print (assignments with their generation, records, commits)
 * is checked against what the broker was given and holds: no partition has two owners in a generation, every
 * record is read, no commit goes back, and a consumer that comes back resumes where the group committed.
 *
 * <p>The consumers ask for a 6 second session (the least the broker allows, as Kafka's
 * {@code group.min.session.timeout.ms}) and heartbeat every half second, so a rebalance is noticed soon and a
 * killed member is gone seconds later; the broker starts a group's first generation without delay. Each test
 * waits for what the group does next (a generation, the commits reaching the end of the topic) with a bound
 * that only stops a test that would otherwise hang.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaClientsGroupTest {

    private static final int PARTITIONS = 6;
    private static final Set<Integer> ALL_PARTITIONS = IntStream.range(0, PARTITIONS).boxed()
            .collect(Collectors.toCollection(TreeSet::new));
    /**
     * How long any wait on the consumers may take: far more than they need, a bound rather than a figure. Each
     * wait ends at what it waits for, and child JVMs beside a second CPU-bound job are slow to start, join and read.
     */
    private static final Duration PATIENCE = Duration.ofMinutes(4);
    /** A consumer closes on its own by then, should the test never stop it: before its JVM's time limit. */
    private static final long STOP_AFTER_MS = ChildJvm.TIME_LIMIT.toMillis() - 20_000;
    private static final List<String> CONSUMER_CONFIG = List.of("config.session.timeout.ms=6000",
            "config.heartbeat.interval.ms=500", "config.auto.offset.reset=earliest");
    /**
     * Kafka 4's consumer group protocol (KIP-848): its session and heartbeat are the broker's, set below, and a
     * consumer that sets its own is refused.
     */
    private static final String NEW_PROTOCOL = "config.group.protocol=consumer";
    /**
     * The session of the static members' tests, which never wait for one to run out: longer than any stretch of those
     * tests can last, however busy the machine. With 6 s, a member's place could run out while its next instance's JVM
     * was still starting at load 50, and the group moved twice (epoch 4 where the test expects 2).
     */
    private static final Duration STATIC_SESSION = Duration.ofMinutes(10);
    /** The KIP-848 session the class's broker gives, for the tests that wait for a killed member's to run out. */
    private static final String CONSUMER_SESSION_MS = "6000";

    @TempDir
    static Path folder;
    private RunningBroker broker;
    private Path stopFiles;
    private final List<Child> children = new ArrayList<>();

    @BeforeAll
    void startBroker() throws IOException {
        stopFiles = Files.createDirectories(folder.resolve("stop"));
        broker = RunningBroker.overKafka(Files.createDirectories(folder.resolve("data")), Map.of(
                BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0",
                BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS, "6000",
                BrokerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS, CONSUMER_SESSION_MS,
                BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, "500"), true); // traced: the tests read what it answered
    }

    @AfterEach
    void stopConsumers() {
        children.forEach(Child::close);
        children.clear();
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @ParameterizedTest
    @MethodSource("toykafka.kafka.KafkaClients#bothVersions")
    void three_consumers_share_a_topic_and_after_a_leave_a_kill_and_a_late_join_every_record_is_read_and_a_restart_resumes(
            KafkaClients clients) {
        String topic = "receipts-" + clients.name();
        String group = "tills-" + clients.name();
        createTopic(topic);

        // three members at once: two partitions each in the generation they share
        Child a = start(clients, "A", topic, group);
        Child b = start(clients, "B", topic, group);
        Child c = start(clients, "C", topic, group);
        int ofThree = awaitGeneration(Set.of("A/0", "B/0", "C/0"), a, b, c);
        Map<String, Set<Integer>> shares = assignments(a, b, c).get(ofThree);
        shares.forEach((member, owned) -> assertEquals(2, owned.size(),
                "six partitions over three members, two each, in generation " + ofThree + ": " + shares));
        Map<At, String> produced = new TreeMap<>(produce(topic, "first", 10));
        awaitCommittedToTheEnd(group, topic, a, b, c);
        for (Child each : List.of(a, b, c)) {
            Set<Integer> read = recordsRead(each).keySet().stream().map(At::partition).collect(Collectors.toSet());
            assertEquals(shares.get(each.name + "/0"), read, each.name + " read the partitions it was given, all of them");
        }

        // B dies without a word (its session runs out), A leaves with close(), D joins late
        b.kill();
        a.stop();
        Child d = start(clients, "D", topic, group);
        produced.putAll(produce(topic, "during-the-rebalance", 5));
        int survivors = awaitGeneration(Set.of("C/0", "D/0"), a, b, c, d); // once B's 6 s session has run out
        produced.putAll(produce(topic, "after-it", 5));
        awaitCommittedToTheEnd(group, topic, a, b, c, d);

        assertNoPartitionHasTwoOwners(assignments(a, b, c, d));
        Map<String, Set<Integer>> takenOver = assignments(a, b, c, d).get(survivors);
        takenOver.forEach((member, owned) -> assertEquals(3, owned.size(),
                "the survivors split the six partitions, three each, in generation " + survivors + ": " + takenOver));
        assertEveryRecordRead(produced, a, b, c, d);
        assertCommitsNeverGoBack(a, b, c, d);
        assertNothingCommittedIsReadAgain(a, b, c, d);
        assertTrue(only("record", d.lines()).size() > 0, "the late joiner read from the partitions it took over:\n"
                + d.describe());
        assertEquals(1, only("closed", a.lines()).size(), "A closed\n" + a.describe());
        assertTrue(brokerAnswered("LeaveGroup", memberId(a)), "A's close() sent LeaveGroup:\n" + broker.log());
        assertFalse(brokerAnswered("LeaveGroup", memberId(b)), "B was killed: it never said goodbye");

        // everyone leaves; more records; a consumer that comes back reads those and nothing committed before
        c.stop();
        d.stop();
        Map<At, String> afterTheRestart = produce(topic, "after-the-restart", 3);
        Child e = start(clients, "E", topic, group);
        awaitCommittedToTheEnd(group, topic, e);
        e.stop();
        assertEquals(afterTheRestart, recordsRead(e),
                "the restarted consumer resumed from the committed offsets: it read the new records and nothing before");
        assertCommitsNeverGoBack(a, b, c, d, e);
        assertNothingCommittedIsReadAgain(a, b, c, d, e);
    }

    @ParameterizedTest
    @MethodSource("toykafka.kafka.KafkaClients#bothVersions")
    void each_assignor_splits_a_topic_between_two_members_and_cooperative_sticky_revokes_only_what_a_third_one_takes(
            KafkaClients clients) {
        String topic = "shelves-" + clients.name();
        createTopic(topic);
        List<String> assignors = List.of("range", "roundrobin", "sticky", "cooperative-sticky");
        Map<String, Child> pairs = new LinkedHashMap<>();
        for (String assignor : assignors) {
            pairs.put(assignor, start(clients, assignor, topic, aisle(clients, assignor), "members=2", "assignor=" + assignor));
        }
        Map<String, Integer> pairGeneration = new HashMap<>();
        Map<String, Map<String, Set<Integer>>> twoWay = new HashMap<>();
        for (String assignor : assignors) {
            Child pair = pairs.get(assignor);
            pairGeneration.put(assignor, awaitGeneration(Set.of(assignor + "/0", assignor + "/1"), pair));
            twoWay.put(assignor, assignments(pair).get(pairGeneration.get(assignor)));
        }
        Child coop = pairs.get("cooperative-sticky");
        Child third = start(clients, "third", topic, aisle(clients, "cooperative-sticky"), "assignor=cooperative-sticky");
        Map<String, Child[]> groups = new HashMap<>();
        pairs.forEach((assignor, pair) -> groups.put(assignor, new Child[] {pair}));
        groups.put("cooperative-sticky", new Child[] {coop, third});
        int ofThree = awaitGeneration(Set.of("cooperative-sticky/0", "cooperative-sticky/1", "third/0"), coop, third);
        for (String assignor : assignors) {
            DescribedGroup described = broker.broker().groupCoordinator().describeGroup(aisle(clients, assignor));
            assertEquals(assignor, described.protocol(), "the coordinator chose the one protocol its members offered");
        }
        Map<At, String> produced = produce(topic, "stock", 5);
        for (String assignor : assignors) {
            awaitCommittedToTheEnd(aisle(clients, assignor), topic, groups.get(assignor));
        }
        for (Child each : children) {
            each.stop();
        }

        assertEquals(Set.of(Set.of(0, 1, 2), Set.of(3, 4, 5)), Set.copyOf(twoWay.get("range").values()),
                "range: each member a run of partitions");
        assertEquals(Set.of(Set.of(0, 2, 4), Set.of(1, 3, 5)), Set.copyOf(twoWay.get("roundrobin").values()),
                "roundrobin: partitions dealt in turn");
        for (String assignor : assignors) {
            Map<String, Set<Integer>> split = twoWay.get(assignor);
            split.values().forEach(owned -> assertEquals(3, owned.size(), assignor + ": three partitions each " + split));
            Child[] group = groups.get(assignor);
            assertNoPartitionHasTwoOwners(assignments(group));
            assertEveryRecordRead(produced, group);
            assertCommitsNeverGoBack(group);
            assertNothingCommittedIsReadAgain(group);
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

    // tag::consumer-protocol[]
    @Test
    void on_kip_848s_protocol_three_members_share_a_topic_and_after_a_leave_a_kill_and_a_late_join_every_record_is_read_and_a_restart_resumes() {
        KafkaClients clients = KafkaClients.V4_4_CHILD_JVM;
        String topic = "counters";
        String group = "counter-staff";
        createTopic(topic);

        // three members, each joining on its own: no barrier, the broker's uniform assignor gives two partitions each
        Child a = start(clients, "A", topic, group, NEW_PROTOCOL);
        Child b = start(clients, "B", topic, group, NEW_PROTOCOL);
        Child c = start(clients, "C", topic, group, NEW_PROTOCOL);
        Map<String, Set<Integer>> shares = awaitStable(group, 3, a, b, c);
        shares.values().forEach(owned -> assertEquals(2, owned.size(), "two partitions each: " + shares));
        Map<At, String> produced = new TreeMap<>(produce(topic, "first", 10));
        awaitCommittedToTheEnd(group, topic, a, b, c);
        for (Child each : List.of(a, b, c)) {
            Set<Integer> read = recordsRead(each).keySet().stream().map(At::partition).collect(Collectors.toSet());
            assertEquals(shares.get(memberId(each)), read, each.name + " read the partitions it owns, all of them");
        }

        // B dies without a word (its session runs out), A leaves with close(), D joins late
        b.kill();
        a.stop();
        Child d = start(clients, "D", topic, group, NEW_PROTOCOL);
        produced.putAll(produce(topic, "during-the-reconciliation", 5));
        Map<String, Set<Integer>> takenOver = awaitStable(group, 2, a, b, c, d); // once B's 6 s session has run out
        assertEquals(Set.of(memberId(c), memberId(d)), takenOver.keySet());
        takenOver.values().forEach(owned -> assertEquals(3, owned.size(), "three partitions each: " + takenOver));
        produced.putAll(produce(topic, "after-it", 5));
        awaitCommittedToTheEnd(group, topic, a, b, c, d);

        assertNoPartitionHasTwoOwners(assignments(a, b, c, d)); // at any one member epoch
        assertEveryRecordRead(produced, a, b, c, d);
        assertCommitsNeverGoBack(a, b, c, d);
        assertNothingCommittedIsReadAgain(a, b, c, d);
        assertTrue(brokerAnswered("ConsumerGroupHeartbeat", "epoch -1") && broker.log().lines().anyMatch(line ->
                line.contains("-> ConsumerGroupHeartbeat") && line.contains(memberId(a) + " at epoch -1")),
                "A's close() left with epoch -1:\n" + broker.log());
        assertFalse(broker.log().lines().anyMatch(line -> line.contains(memberId(b) + " at epoch -1")),
                "B was killed: it never said goodbye");

        // everyone leaves; more records; a consumer that comes back reads those and nothing committed before
        c.stop();
        d.stop();
        Map<At, String> afterTheRestart = produce(topic, "after-the-restart", 3);
        Child e = start(clients, "E", topic, group, NEW_PROTOCOL);
        awaitCommittedToTheEnd(group, topic, e);
        e.stop();
        assertEquals(afterTheRestart, recordsRead(e),
                "the restarted consumer resumed from the committed offsets: it read the new records and nothing before");
        assertCommitsNeverGoBack(a, b, c, d, e);
        assertNothingCommittedIsReadAgain(a, b, c, d, e);
    }
    // end::consumer-protocol[]

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
        createTopic(topic);

        Child a = start(clients, "A", topic, group, NEW_PROTOCOL);
        awaitStable(group, 1, a);
        Map<At, String> produced = new TreeMap<>(produce(topic, "before", 10));
        awaitCommittedToTheEnd(group, topic, a);

        Child b = start(clients, "B", topic, group); // the classic protocol, kafka-clients' default
        Map<String, Set<Integer>> shares = awaitStable(group, 2, a, b);
        shares.values().forEach(owned -> assertEquals(3, owned.size(), "three partitions each: " + shares));
        DescribedConsumerGroup described = broker.broker().groupCoordinator().describeConsumerGroup(group);
        assertEquals(Map.of(memberId(a), false, memberId(b), true), described.members().stream().collect(
                Collectors.toMap(DescribedConsumerGroup.Member::memberId, DescribedConsumerGroup.Member::classic)),
                "B is a classic member of the consumer group");
        assertEquals(Optional.of("consumer"), broker.broker().groupCoordinator().groupType(group));
        produced.putAll(produce(topic, "shared", 10));
        awaitCommittedToTheEnd(group, topic, a, b);
        Set<Integer> readByB = recordsRead(b).keySet().stream().map(At::partition).collect(Collectors.toSet());
        assertTrue(shares.get(memberId(b)).containsAll(readByB), "B read only its own partitions: " + readByB);

        b.stop(); // LeaveGroup
        awaitStable(group, 1, a, b);
        produced.putAll(produce(topic, "after", 5));
        awaitCommittedToTheEnd(group, topic, a, b);
        a.stop();

        assertEveryRecordRead(produced, a, b);
        assertCommitsNeverGoBack(a, b);
        assertNothingCommittedIsReadAgain(a, b);
        assertTrue(brokerAnswered("JoinGroup", memberId(b)), "B joined with JoinGroup:\n" + broker.log());
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
        createTopic(topic);
        GroupCoordinator coordinator = broker.broker().groupCoordinator();

        Child a = start(clients, "A", topic, group);
        Child b = start(clients, "B", topic, group);
        awaitGeneration(Set.of("A/0", "B/0"), a, b);
        Map<At, String> produced = new TreeMap<>(produce(topic, "classic", 10));
        awaitCommittedToTheEnd(group, topic, a, b);

        Child c = start(clients, "C", topic, group, NEW_PROTOCOL);
        Map<String, Set<Integer>> shares = awaitStable(group, 3, a, b, c);
        assertEquals(Optional.of("consumer"), coordinator.groupType(group), "upgraded");
        shares.values().forEach(owned -> assertEquals(2, owned.size(), "two partitions each: " + shares));
        assertEquals(Set.of(memberId(a), memberId(b)), coordinator.describeConsumerGroup(group).members().stream()
                .filter(DescribedConsumerGroup.Member::classic).map(DescribedConsumerGroup.Member::memberId)
                .collect(Collectors.toSet()), "A and B are classic members of the consumer group");
        produced.putAll(produce(topic, "mixed", 10));
        awaitCommittedToTheEnd(group, topic, a, b, c);

        c.stop(); // its leave leaves classic members only: the group turns classic and rebalances
        await("the group classic again and Stable with A and B", () -> coordinator.groupType(group)
                .equals(Optional.of("classic")) && coordinator.describeGroup(group).state() == GroupState.STABLE
                && coordinator.describeGroup(group).members().size() == 2, a, b, c);
        produced.putAll(produce(topic, "classic-again", 10));
        awaitCommittedToTheEnd(group, topic, a, b);
        a.stop();
        b.stop();

        assertEveryRecordRead(produced, a, b, c);
        assertCommitsNeverGoBack(a, b, c);
        assertNothingCommittedIsReadAgain(a, b, c);
    }

    /**
     * Waits, through the coordinator's ConsumerGroupDescribe, until the group is Stable with {@code size} members that
     * own the whole topic between them, each its whole target; returns each member's partitions by member id.
     */
    private Map<String, Set<Integer>> awaitStable(String group, int size, Child... children) {
        Map<String, Set<Integer>> owned = new TreeMap<>();
        await(group + " stable with " + size + " members owning all " + PARTITIONS + " partitions", () -> {
            DescribedConsumerGroup described = broker.broker().groupCoordinator().describeConsumerGroup(group);
            owned.clear();
            described.members().forEach(member -> owned.put(member.memberId(), member.assignment().values().stream()
                    .flatMap(Set::stream).collect(Collectors.toCollection(TreeSet::new))));
            Set<Integer> all = owned.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
            return described.state().equals("Stable") && owned.size() == size && all.equals(ALL_PARTITIONS)
                    && owned.keySet().stream().allMatch(memberId -> toldItsAssignment(memberId, children));
        }, children);
        return Map.copyOf(owned);
    }

    // tag::static[]
    @ParameterizedTest
    @MethodSource("toykafka.kafka.KafkaClients#bothVersions")
    void a_restarted_static_member_keeps_its_partitions_without_a_rebalance_and_a_second_instance_fences_the_first(
            KafkaClients clients) {
        String topic = "tables-" + clients.name();
        String group = "waiters-" + clients.name();
        createTopic(topic);
        String session = "config.session.timeout.ms=" + STATIC_SESSION.toMillis();
        String[] waiterA = {"config.group.instance.id=waiter-a-" + clients.name(), session};
        String[] waiterB = {"config.group.instance.id=waiter-b-" + clients.name(), session};
        Child a = start(clients, "A", topic, group, waiterA);
        Child b = start(clients, "B", topic, group, waiterB);
        int generation = awaitGeneration(Set.of("A/0", "B/0"), a, b);
        Set<Integer> tablesOfA = assignments(a, b).get(generation).get("A/0");
        Map<At, String> produced = new TreeMap<>(produce(topic, "before", 4));
        awaitCommittedToTheEnd(group, topic, a, b);

        // A's process ends: a static member's close() sends no LeaveGroup, and its place waits for it
        int assignedToB = only("assigned", b.lines()).size();
        int revokedFromB = only("revoked", b.lines()).size();
        a.stop();
        assertFalse(brokerAnswered("LeaveGroup", memberId(a)), "a static member does not leave on close():\n"
                + broker.log());
        assertEquals(2, broker.broker().groupCoordinator().describeGroup(group).members().size());
        produced.putAll(produce(topic, "while-a-was-away", 2));
        Child restarted = start(clients, "A2", topic, group, waiterA);
        assertEquals(generation, awaitGeneration(Set.of("A2/0", "B/0"), restarted, b),
                "the restarted instance came back into the same generation");
        assertEquals(tablesOfA, assignments(restarted).get(generation).get("A2/0"), "with the same partitions");
        assertEquals(assignedToB, only("assigned", b.lines()).size(), "B saw no rebalance:\n" + b.describe());
        assertEquals(revokedFromB, only("revoked", b.lines()).size(), "nor gave anything up:\n" + b.describe());
        awaitCommittedToTheEnd(group, topic, restarted, b);

        // a second process with the same group.instance.id: the newer one takes the place, the older is fenced
        Child second = start(clients, "A3", topic, group, waiterA);
        assertStopsWith("FencedInstanceIdException", restarted);
        assertEquals(generation, awaitGeneration(Set.of("A3/0", "B/0"), second, b));
        produced.putAll(produce(topic, "after", 2));
        awaitCommittedToTheEnd(group, topic, second, b);
        second.stop();
        b.stop();

        assertEveryRecordRead(produced, a, restarted, second, b);
        assertCommitsNeverGoBack(a, restarted, second, b);
        assertNothingCommittedIsReadAgain(a, restarted, second, b);
        DescribedGroup described = broker.broker().groupCoordinator().describeGroup(group);
        assertEquals(Set.of(waiterA[0].substring("config.group.instance.id=".length()),
                waiterB[0].substring("config.group.instance.id=".length())), described.members().stream()
                .map(DescribedGroup.Member::groupInstanceId).collect(Collectors.toSet()),
                "both static members keep their places after closing, until their sessions run out");
    }
    // end::static[]

    // tag::consumer-regex[]
    @Test
    void on_kip_848s_protocol_a_regular_expression_the_broker_evaluates_takes_in_a_topic_made_later() {
        for (String topic : List.of("menu-fish", "menu-pies", "old-menu-fish")) {
            createTopic(topic);
        }
        Set<String> expected = new TreeSet<>(writeTo("menu-fish", "menu-pies"));
        writeTo("old-menu-fish"); // the whole name must match, as RE2/J's matches() has it: this one does not
        Child reader = start(KafkaClients.V4_4_CHILD_JVM, "R", "menu-.*", "menu-readers", NEW_PROTOCOL,
                "pattern=true");
        await("R reads both menus", () -> values(reader).equals(expected), reader);
        createTopic("menu-drinks"); // matched at the member's next heartbeat, which moves the group's epoch on
        expected.addAll(writeTo("menu-drinks"));
        await("R reads the menu made later too", () -> values(reader).equals(expected), reader);
        reader.stop();
    }
    // end::consumer-regex[]

    /** One record in each partition of each topic, its value naming both; returns the values. */
    private List<String> writeTo(String... topics) {
        List<String> values = new ArrayList<>();
        for (String topic : topics) {
            List<Partitions.ProduceRecord> records = new ArrayList<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                String value = topic + "/" + partition;
                values.add(value);
                records.add(new Partitions.ProduceRecord(partition, Record.of("k", value, Instant.now())));
            }
            broker.broker().partitions().appendRecords(topic, records).forEach(answer ->
                    assertTrue(answer.written(), answer.toString()));
        }
        return values;
    }

    private static Set<String> values(Child child) {
        return only("record", child.lines()).stream().map(line -> line.get("value"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    // tag::consumer-static[]
    @Test
    void on_kip_848s_protocol_a_restarted_static_member_takes_its_place_back_and_a_second_live_instance_is_refused() {
        // Kafka 4's sessions are the broker's, not the member's: this test has a broker with long ones
        broker.restartWith(Map.of(BrokerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS, String.valueOf(STATIC_SESSION.toMillis())));
        try {
            staticMembersOnKip848();
        } finally {
            broker.restartWith(Map.of(BrokerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS, CONSUMER_SESSION_MS));
        }
    }

    private void staticMembersOnKip848() {
        KafkaClients clients = KafkaClients.V4_4_CHILD_JVM;
        String topic = "booths";
        String group = "hosts";
        createTopic(topic);
        String[] hostA = {NEW_PROTOCOL, "config.group.instance.id=host-a"};
        Child a = start(clients, "A", topic, group, hostA);
        Child b = start(clients, "B", topic, group, NEW_PROTOCOL, "config.group.instance.id=host-b");
        Map<String, Set<Integer>> shares = awaitStable(group, 2, a, b);
        int groupEpoch = broker.broker().groupCoordinator().describeConsumerGroup(group).groupEpoch();
        Map<At, String> produced = new TreeMap<>(produce(topic, "before", 4));
        awaitCommittedToTheEnd(group, topic, a, b);

        // A's process ends: close() sends epoch -2, and its place and partitions wait for its next instance
        int assignedToB = only("assigned", b.lines()).size();
        int revokedFromB = only("revoked", b.lines()).size();
        a.stop();
        assertTrue(broker.log().lines().anyMatch(line -> line.contains("-> ConsumerGroupHeartbeat")
                && line.contains(memberId(a) + " at epoch -2")), "a static member leaves for a moment:\n" + broker.log());
        produced.putAll(produce(topic, "while-a-was-away", 2));
        Child restarted = start(clients, "A2", topic, group, hostA);
        await("A2 is given its partitions", () -> !only("assigned", restarted.lines()).isEmpty(), restarted);
        Map<String, Set<Integer>> back = awaitStable(group, 2, restarted, b);
        assertEquals(Set.of(memberId(restarted), memberId(b)), back.keySet(), "A2 took A's place");
        assertEquals(shares.get(memberId(a)), back.get(memberId(restarted)), "the new instance has A's partitions");
        assertEquals(groupEpoch, broker.broker().groupCoordinator().describeConsumerGroup(group).groupEpoch(),
                "and the group did not move to a new epoch");
        assertEquals(assignedToB, only("assigned", b.lines()).size(), "B saw no change:\n" + b.describe());
        assertEquals(revokedFromB, only("revoked", b.lines()).size(), "nor gave anything up:\n" + b.describe());
        awaitCommittedToTheEnd(group, topic, restarted, b);

        // a second process with the same group.instance.id while the first is alive is refused, unlike the classic
        // protocol, where the newer instance fences the older
        Child second = start(clients, "A3", topic, group, hostA);
        assertStopsWith("UnreleasedInstanceIdException", second);
        produced.putAll(produce(topic, "after", 2));
        awaitCommittedToTheEnd(group, topic, restarted, b);
        restarted.stop();
        b.stop();

        assertEveryRecordRead(produced, a, restarted, b);
        assertCommitsNeverGoBack(a, restarted, b);
        assertNothingCommittedIsReadAgain(a, restarted, b);
    }
    // end::consumer-static[]

    // ---- consumers in child JVMs ----

    /** One run of the probe's {@code group-consume} in a child JVM, left running until the test stops it. */
    private final class Child implements AutoCloseable {
        final String name;
        private final ChildProcess.Running process;
        private final Path stopFile;

        Child(String name, ChildProcess.Running process, Path stopFile) {
            this.name = name;
            this.process = process;
            this.stopFile = stopFile;
        }

        /** The whole lines it printed so far, parsed: a line still being written waits for the next look. */
        List<ProbeLine> lines() {
            String output = process.output();
            return output.substring(0, output.lastIndexOf('\n') + 1).lines().map(ProbeLine::parse).toList();
        }

        boolean running() {
            return ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false);
        }

        /** Lets its consumers close (they see the stop file within a poll), and waits for a clean exit. */
        void stop() {
            try {
                Files.writeString(stopFile, "stop");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            await(name + " closes its consumers and exits", () -> !running(), this);
            List<ProbeLine> lines = lines();
            assertEquals(List.of(), only("error", lines), name + " stopped without an error:\n" + describe());
            Set<String> opened = members(lines, "closing");
            assertFalse(opened.isEmpty(), name + " printed no closing line:\n" + describe());
            assertEquals(opened, members(lines, "closed"), name + ": every consumer closed\n" + describe());
        }

        /** SIGKILL: no close, no LeaveGroup; the coordinator must notice the silence. */
        void kill() {
            process.kill();
        }

        String describe() {
            return name + ": " + process.describe();
        }

        @Override
        public void close() {
            process.close();
        }

        private static Set<String> members(List<ProbeLine> lines, String word) {
            return only(word, lines).stream().map(line -> line.get("member")).collect(Collectors.toSet());
        }
    }

    private Child start(KafkaClients clients, String name, String topic, String group, String... more) {
        Path stopFile = stopFiles.resolve(group + "-" + name);
        List<String> args = new ArrayList<>(List.of(groupConsumeArgs(topic, group, "stop.file=" + stopFile,
                "stop.after.ms=" + STOP_AFTER_MS)));
        boolean newProtocol = List.of(more).contains(NEW_PROTOCOL);
        args.addAll(newProtocol ? List.of("config.auto.offset.reset=earliest") : CONSUMER_CONFIG);
        args.addAll(List.of(more));
        String classPath = clients == KafkaClients.V3_9_CHILD_JVM ? ChildJvm.kafkaClients39ClassPath()
                : ChildJvm.testClassPath();
        Child child = new Child(name, ChildJvm.start(classPath, ClientsProbe.class.getName(), args), stopFile);
        children.add(child);
        return child;
    }

    private String[] groupConsumeArgs(String topic, String group, String... more) {
        List<String> args = new ArrayList<>(List.of("group-consume", "bootstrap=" + broker.bootstrapServers(),
                "topic=" + topic, "group=" + group));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static String aisle(KafkaClients clients, String assignor) {
        return "aisle-" + assignor + "-" + clients.name();
    }

    /** Waits for the child to stop on its own, its consumer failed with one exception of this type. */
    private void assertStopsWith(String exceptionType, Child child) {
        await(child.name + " stops with " + exceptionType, () -> !child.running(), child);
        List<ProbeLine> errors = only("error", child.lines());
        assertEquals(1, errors.size(), child.describe());
        assertEquals(exceptionType, errors.get(0).get("type"), child.describe());
    }

    /** Polls {@code done} until it holds; fails with what every consumer printed if {@link #PATIENCE} passes first. */
    private void await(String what, BooleanSupplier done, Child... watched) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited " + PATIENCE.toSeconds() + " s for: " + what + "\n" + Arrays.stream(watched)
                        .map(Child::describe).collect(Collectors.joining("\n")));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    // ---- what the consumers printed ----

    /** A record's place in the topic. */
    private record At(int partition, long offset) implements Comparable<At> {
        @Override
        public int compareTo(At other) {
            return Comparator.comparingInt(At::partition).thenComparingLong(At::offset).compare(this, other);
        }
    }

    /**
     * Each member's whole assignment ({@code owned}) in each generation it was told of, from its assigned
     * lines: generation, then member ("A/0": the child and the consumer's index in it), then partitions.
     */
    private static SortedMap<Integer, Map<String, Set<Integer>>> assignments(Child... children) {
        SortedMap<Integer, Map<String, Set<Integer>>> byGeneration = new TreeMap<>();
        for (Child child : children) {
            for (ProbeLine line : only("assigned", child.lines())) {
                byGeneration.computeIfAbsent((int) line.getLong("generation"), generation -> new TreeMap<>())
                        .put(child.name + "/" + line.get("member"), partitions(line.get("owned")));
            }
        }
        return byGeneration;
    }

    private static Set<Integer> partitions(String list) {
        return list.isEmpty() ? new TreeSet<>()
                : Arrays.stream(list.split(",")).map(Integer::valueOf).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Waits for a generation in which exactly these members hold the whole topic between them; returns it. */
    private int awaitGeneration(Set<String> members, Child... children) {
        int[] found = {-1};
        await("a generation of exactly " + new TreeSet<>(members) + " that owns all " + PARTITIONS + " partitions", () -> {
            assignments(children).forEach((generation, owners) -> {
                Set<Integer> owned = new TreeSet<>();
                owners.values().forEach(owned::addAll);
                if (owners.keySet().equals(members) && owned.equals(ALL_PARTITIONS)) {
                    found[0] = generation;
                }
            });
            return found[0] >= 0;
        }, children);
        return found[0];
    }

    private static void assertNoPartitionHasTwoOwners(SortedMap<Integer, Map<String, Set<Integer>>> assignments) {
        assignments.forEach((generation, owners) -> {
            Map<Integer, String> ownerOf = new HashMap<>();
            owners.forEach((member, owned) -> owned.forEach(partition -> {
                String other = ownerOf.put(partition, member);
                assertNull(other, "generation " + generation + " gave partition " + partition + " to " + other
                        + " and to " + member + ": " + assignments);
            }));
        });
    }

    /** Every record a child's consumers read, by place; a place read twice must hold the same value. */
    private static Map<At, String> recordsRead(Child... children) {
        Map<At, String> read = new TreeMap<>();
        for (Child child : children) {
            for (ProbeLine line : only("record", child.lines())) {
                At at = new At((int) line.getLong("partition"), line.getLong("offset"));
                String before = read.put(at, line.get("value"));
                assertTrue(before == null || before.equals(line.get("value")), "two values read at " + at);
            }
        }
        return read;
    }

    private static void assertEveryRecordRead(Map<At, String> produced, Child... children) {
        Map<At, String> read = recordsRead(children);
        List<String> missing = new ArrayList<>();
        produced.forEach((at, value) -> {
            if (!value.equals(read.get(at))) {
                missing.add(at + " " + value + (read.containsKey(at) ? " (read as " + read.get(at) + ")" : ""));
            }
        });
        assertEquals(List.of(), missing, "records the group never read (or read otherwise)");
    }

    /**
     * Each partition's commits, in generation order (within one generation a partition has one owner, which
     * commits in the order it prints), never go back.
     */
    private static void assertCommitsNeverGoBack(Child... children) {
        record Commit(int generation, int order, long offset, String by) {
        }
        Map<Integer, List<Commit>> byPartition = new TreeMap<>();
        for (Child child : children) {
            List<ProbeLine> commits = only("committed", child.lines());
            for (int i = 0; i < commits.size(); i++) {
                ProbeLine line = commits.get(i);
                byPartition.computeIfAbsent((int) line.getLong("partition"), p -> new ArrayList<>()).add(new Commit(
                        (int) line.getLong("generation"), i, line.getLong("offset"), child.name + "/" + line.get("member")));
            }
        }
        assertFalse(byPartition.isEmpty(), "something was committed");
        byPartition.forEach((partition, commits) -> {
            commits.sort(Comparator.comparingInt(Commit::generation).thenComparing(Commit::by).thenComparingInt(Commit::order));
            for (int i = 1; i < commits.size(); i++) {
                assertTrue(commits.get(i).offset() >= commits.get(i - 1).offset(), "partition " + partition
                        + "'s committed offset went back: " + commits.get(i - 1) + " then " + commits.get(i));
            }
        });
    }

    /**
     * Every record was read in a generation after the commits of the generations before it: whoever takes a
     * partition over starts at its committed offset, so no record below an offset committed in an earlier
     * generation is read again. (Records read and not yet committed may be read twice; none are here, as each
     * member commits before it rejoins and the killed one had committed all it read.)
     */
    private static void assertNothingCommittedIsReadAgain(Child... children) {
        Map<Integer, TreeMap<Integer, Long>> highestByGeneration = new TreeMap<>(); // partition, generation: offset
        for (Child child : children) {
            for (ProbeLine line : only("committed", child.lines())) {
                highestByGeneration.computeIfAbsent((int) line.getLong("partition"), p -> new TreeMap<>())
                        .merge((int) line.getLong("generation"), line.getLong("offset"), Math::max);
            }
        }
        List<String> readAgain = new ArrayList<>();
        for (Child child : children) {
            for (ProbeLine line : only("record", child.lines())) {
                int generation = (int) line.getLong("generation");
                long committedBefore = highestByGeneration.getOrDefault((int) line.getLong("partition"), new TreeMap<>())
                        .headMap(generation).values().stream().mapToLong(Long::longValue).max().orElse(0);
                if (line.getLong("offset") < committedBefore) {
                    readAgain.add(child.name + "/" + line.get("member") + " read partition " + line.get("partition")
                            + " offset " + line.get("offset") + " in generation " + generation + ", below the "
                            + committedBefore + " committed before it");
                }
            }
        }
        assertEquals(List.of(), readAgain, "records read again although the group had committed past them");
    }

    /** The partitions a member's revoked lines name, up to its closing line (a close revokes all it owns). */
    private static Set<Integer> revokedBeforeClosing(Child child, String member) {
        return revokedSince(child, member, Integer.MIN_VALUE);
    }

    /** The partitions a member was asked to revoke in generations after {@code generation}, before it closed. */
    private static Set<Integer> revokedSince(Child child, String member, int generation) {
        String index = member.substring(member.indexOf('/') + 1);
        Set<Integer> revoked = new TreeSet<>();
        for (ProbeLine line : child.lines()) {
            if (!index.equals(line.fields().get("member"))) {
                continue;
            }
            if (line.word().equals("closing")) {
                break;
            }
            if (line.word().equals("revoked") && line.getLong("generation") > generation) {
                revoked.addAll(partitions(line.get("partitions")));
            }
        }
        return revoked;
    }

    /**
     * Whether the client with this member id has run its assignment callback. The broker counts a member stable as soon
     * as it hands out partitions nobody must give up, before the client's next poll runs the callback.
     */
    private static boolean toldItsAssignment(String memberId, Child... children) {
        return Stream.of(children).anyMatch(child -> only("assigned", child.lines()).stream()
                .anyMatch(line -> memberId.equals(line.get("memberId"))));
    }

    /** The member id a child's (only) consumer had. */
    private static String memberId(Child child) {
        List<ProbeLine> assigned = only("assigned", child.lines());
        assertFalse(assigned.isEmpty(), child.describe());
        return assigned.get(assigned.size() - 1).get("memberId");
    }

    // ---- the broker's side ----

    /** Whether the broker's trace has an answer to {@code api} that mentions {@code text}. */
    private boolean brokerAnswered(String api, String text) {
        return broker.log().lines().anyMatch(line -> line.contains("<- " + api + " ") && line.contains(text));
    }

    private void createTopic(String topic) {
        broker.broker().createTopic(topic, PARTITIONS, Map.of(), OnDuplicate.FAIL);
    }

    /** {@code perPartition} records to each partition through the broker's own API: each one's place and value. */
    private Map<At, String> produce(String topic, String round, int perPartition) {
        List<Partitions.ProduceRecord> records = new ArrayList<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            for (int i = 0; i < perPartition; i++) {
                records.add(new Partitions.ProduceRecord(partition, Record.of("till-" + partition,
                        round + " " + partition + "." + i, Instant.now())));
            }
        }
        List<Partitions.RecordAnswer> answers = broker.broker().partitions().appendRecords(topic, records);
        Map<At, String> produced = new TreeMap<>();
        for (int i = 0; i < answers.size(); i++) {
            Partitions.RecordAnswer answer = answers.get(i);
            assertTrue(answer.written(), answer.toString());
            produced.put(new At(answer.partition().partition(), answer.offset()),
                    new String(records.get(i).record().value(), StandardCharsets.UTF_8));
        }
        return produced;
    }

    private Map<Integer, Long> committed(String group, String topic) {
        Map<Integer, Long> committed = new TreeMap<>();
        broker.broker().groupCoordinator().fetchOffsets(group, null).offsets().forEach((partition, offset) -> {
            if (partition.topic().equals(topic)) {
                committed.put(partition.partition(), offset);
            }
        });
        return committed;
    }

    private Map<Integer, Long> endOffsets(String topic) {
        Map<Integer, Long> ends = new TreeMap<>();
        broker.broker().describeTopic(topic).partitions().forEach(partition -> ends.put(partition.partition(), partition.endOffset()));
        return ends;
    }

    /** Waits until the group has committed the end offset of every partition: it has read the whole topic. */
    private void awaitCommittedToTheEnd(String group, String topic, Child... consumers) {
        await(group + " commits the end of every partition of " + topic + " (ends " + endOffsets(topic) + ")",
                () -> committed(group, topic).equals(endOffsets(topic)), consumers);
    }
}
