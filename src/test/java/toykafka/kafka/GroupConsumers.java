package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static toykafka.kafka.GroupConsumeOutput.assertCommitsHeld;
import static toykafka.kafka.GroupConsumeOutput.assignments;
import static toykafka.kafka.GroupConsumeOutput.recordsRead;
import static toykafka.kafka.GroupConsumeOutput.toldItsAssignment;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import toykafka.broker.Partitions;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.group.consumer.DescribedConsumerGroup;
import toykafka.common.Directories;
import toykafka.common.Record;
import toykafka.kafka.GroupConsumeOutput.At;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;

/**
 * A test class's broker, with its Kafka front end on loopback, and the Apache kafka-clients consumers each test starts
 * in child JVMs of their own ({@link GroupConsumeChild}), in groups the broker coordinates. Registered as a static
 * extension, it starts the broker before the class's tests, stops each test's consumers after it, and stops the
 * broker and deletes its files after the class: the tests share the broker and take topics and groups of their own.
 *
 * <p>Classic consumers ask for a 6 second session (the least the broker allows, as Kafka's
 * {@code group.min.session.timeout.ms}) and heartbeat every half second; KIP-848's are the broker's, set alike. So a
 * rebalance is noticed soon and a killed member is gone seconds later; the broker starts a group's first generation
 * without delay. Each wait ends at what it waits for (a generation, the commits reaching the end of the topic), with
 * a bound that only stops a test that would otherwise hang.
 */
final class GroupConsumers implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    static final int PARTITIONS = 6;
    static final Set<Integer> ALL_PARTITIONS = IntStream.range(0, PARTITIONS).boxed()
            .collect(Collectors.toCollection(TreeSet::new));
    /**
     * Kafka 4's consumer group protocol (KIP-848): its session and heartbeat are the broker's, and a consumer that
     * sets its own is refused.
     */
    static final String NEW_PROTOCOL = "config.group.protocol=consumer";
    /**
     * How long any wait on the consumers may take: far more than they need, a bound rather than a figure. Each
     * wait ends at what it waits for, and child JVMs beside a second CPU-bound job are slow to start, join and read.
     */
    private static final Duration PATIENCE = Duration.ofMinutes(4);
    /** A consumer closes on its own by then, should the test never stop it: before its JVM's time limit. */
    private static final long STOP_AFTER_MS = ChildJvm.TIME_LIMIT.toMillis() - 20_000;
    private static final List<String> CLASSIC_CONFIG = List.of("config.session.timeout.ms=6000",
            "config.heartbeat.interval.ms=500", "config.auto.offset.reset=earliest");
    /** The KIP-848 session a broker gives unless a test class asks for another. */
    private static final Duration CONSUMER_SESSION = Duration.ofSeconds(6);

    private final Duration consumerSession;
    private final List<GroupConsumeChild> children = new ArrayList<>();
    private Path folder;
    private Path stopFiles;
    private RunningBroker broker;

    /** A broker whose KIP-848 members' sessions last 6 s, for tests that wait for a killed member's to run out. */
    GroupConsumers() {
        this(CONSUMER_SESSION);
    }

    /** A broker whose KIP-848 members' sessions last {@code consumerSession}: Kafka 4's sessions are the broker's. */
    GroupConsumers(Duration consumerSession) {
        this.consumerSession = consumerSession;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        folder = Files.createTempDirectory("toykafka-group-consumers-");
        stopFiles = Files.createDirectories(folder.resolve("stop"));
        broker = RunningBroker.overKafka(Files.createDirectories(folder.resolve("data")), Map.of(
                BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0",
                BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS, "6000",
                BrokerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS, String.valueOf(consumerSession.toMillis()),
                BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, "500"), true); // traced: the tests read what it answered
    }

    @Override
    public void afterEach(ExtensionContext context) {
        children.forEach(GroupConsumeChild::close);
        children.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            broker.close();
        } finally {
            Directories.deleteTree(folder);
        }
    }

    RunningBroker broker() {
        return broker;
    }

    /**
     * Starts a child JVM whose consumer ({@code more} may ask for several) reads {@code topic} in {@code group}, on the
     * classic protocol unless {@code more} names {@link #NEW_PROTOCOL}.
     */
    GroupConsumeChild start(KafkaClients clients, String name, String topic, String group, String... more) {
        Path stopFile = stopFiles.resolve(group + "-" + name);
        List<String> args = new ArrayList<>(List.of("group-consume", "bootstrap=" + broker.bootstrapServers(),
                "topic=" + topic, "group=" + group, "stop.file=" + stopFile, "stop.after.ms=" + STOP_AFTER_MS));
        boolean newProtocol = List.of(more).contains(NEW_PROTOCOL);
        args.addAll(newProtocol ? List.of("config.auto.offset.reset=earliest") : CLASSIC_CONFIG);
        args.addAll(List.of(more));
        String classPath = clients == KafkaClients.V3_9_CHILD_JVM ? ChildJvm.kafkaClients39ClassPath()
                : ChildJvm.testClassPath();
        GroupConsumeChild child = new GroupConsumeChild(name, ChildJvm.start(classPath, ClientsProbe.class.getName(), args),
                stopFile);
        children.add(child);
        return child;
    }

    /** A group of this test's, on a topic made now for it. */
    GroupOnATopic groupOnANewTopic(KafkaClients clients, String topic, String group) {
        createTopic(topic);
        return new GroupOnATopic(this, clients, topic, group);
    }

    /** The consumers started in this test so far. */
    List<GroupConsumeChild> started() {
        return List.copyOf(children);
    }

    /** Polls {@code done} until it holds; fails with what every consumer printed if {@link #PATIENCE} passes first. */
    static void await(String what, BooleanSupplier done, GroupConsumeChild... watched) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited " + PATIENCE.toSeconds() + " s for: " + what + "\n" + Arrays.stream(watched)
                        .map(GroupConsumeChild::describe).collect(Collectors.joining("\n")));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Waits for the child to stop on its own, its consumer failed with one exception of this type. */
    static void assertStopsWith(String exceptionType, GroupConsumeChild child) {
        await(child.name + " stops with " + exceptionType, () -> !child.running(), child);
        List<ProbeLine> errors = only("error", child.lines());
        assertEquals(1, errors.size(), child.describe());
        assertEquals(exceptionType, errors.get(0).get("type"), child.describe());
    }

    /** Waits for a generation in which exactly these members hold the whole topic between them; returns it. */
    static int awaitGeneration(Set<String> members, GroupConsumeChild... children) {
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

    /**
     * Waits, through the coordinator's ConsumerGroupDescribe, until the group is Stable with {@code size} members that
     * own the whole topic between them, each its whole target; returns each member's partitions by member id.
     */
    Map<String, Set<Integer>> awaitStable(String group, int size, GroupConsumeChild... children) {
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

    /**
     * After every member has left: more records, and a consumer that comes back reads those and nothing committed
     * before, and the group's commits held throughout.
     */
    void assertAReturningConsumerResumes(KafkaClients clients, String topic, String group, List<GroupConsumeChild> before,
                                         String... more) {
        Map<At, String> afterTheRestart = produce(topic, "after-the-restart", 3);
        GroupConsumeChild returning = start(clients, "E", topic, group, more);
        awaitCommittedToTheEnd(group, topic, returning);
        returning.stop();
        assertEquals(afterTheRestart, recordsRead(returning),
                "the restarted consumer resumed from the committed offsets: it read the new records and nothing before");
        assertCommitsHeld(Stream.concat(before.stream(), Stream.of(returning)).toArray(GroupConsumeChild[]::new));
    }

    // ---- the broker's side ----

    /** Whether the broker's trace has an answer to {@code api} that mentions {@code text}. */
    boolean brokerAnswered(String api, String text) {
        return broker.log().lines().anyMatch(line -> line.contains("<- " + api + " ") && line.contains(text));
    }

    /** Whether the broker's trace has a ConsumerGroupHeartbeat request of this member at this epoch. */
    boolean heartbeatSent(String memberId, int epoch) {
        return broker.log().lines().anyMatch(line -> line.contains("-> ConsumerGroupHeartbeat")
                && line.contains(memberId + " at epoch " + epoch));
    }

    void createTopic(String topic) {
        broker.broker().createTopic(topic, PARTITIONS, Map.of(), OnDuplicate.FAIL);
    }

    /** {@code perPartition} records to each partition through the broker's own API: each one's place and value. */
    Map<At, String> produce(String topic, String round, int perPartition) {
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

    /** One record in each partition of each topic, its value naming both; returns the values. */
    List<String> writeTo(String... topics) {
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
    void awaitCommittedToTheEnd(String group, String topic, GroupConsumeChild... consumers) {
        await(group + " commits the end of every partition of " + topic + " (ends " + endOffsets(topic) + ")",
                () -> committed(group, topic).equals(endOffsets(topic)), consumers);
    }
}
