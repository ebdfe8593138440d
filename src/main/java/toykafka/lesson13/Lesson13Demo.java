package toykafka.lesson13;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import toykafka.broker.Broker;
import toykafka.broker.BrokerConfig;
import toykafka.broker.Partitions;
import toykafka.broker.group.ConsumerProtocol;
import toykafka.broker.group.DescribedGroup;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.GroupState;
import toykafka.broker.group.OffsetCommitRequest;
import toykafka.common.TopicPartition;
import toykafka.kafka.KafkaFrontEnd;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson08.PartitionDirectory;
import toykafka.narration.Narrator;

/**
 * Lesson 13, narrated: the fish-and-chips shop's cooks are Kafka's own {@code KafkaConsumer}s in one group,
 * kitchen, sharing the six partitions of orders. Each time a cook arrives or goes home the group rebalances:
 * every cook joins (JoinGroup), the leader among them assigns the partitions, the coordinator hands the
 * assignment out (SyncGroup), and the generation goes up. Every order is cooked once, and the committed offsets
 * end where the partitions end.
 */
public final class Lesson13Demo {

    private static final Path DATA = Path.of("data", "generated", "13-groups-over-kafka");
    private static final String GROUP = "kitchen";
    private static final String TOPIC = "orders";
    private static final int PARTITIONS = 6;
    private static final String[] DISHES = {"cod and chips", "haddock and mushy peas", "plaice and chips",
            "pie and curry sauce", "scampi and chips", "battered sausage", "fishcake and chips"};
    private static final long OPENING = 1_700_000_000_000L;
    /** How long a rebalance or a round of orders may take before the demo gives up and says what it saw. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(50);

    private Lesson13Demo() {
    }

    public static void main(String[] args) {
        narrate(Narrator.toStandardOut());
    }

    public static void narrate(Narrator story) {
        try {
            tell(story);
        } catch (IOException e) {
            throw new UncheckedIOException("the lesson 13 demo could not use " + DATA + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the lesson 13 demo was interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a Kafka client in the lesson 13 demo failed: " + e.getCause(), e);
        }
    }

    private static void tell(Narrator story) throws IOException, InterruptedException, ExecutionException {
        story.title("Lesson 13: groups over Kafka's protocol");
        PartitionDirectory.deleteTree(DATA);
        BrokerConfig config = BrokerConfig.of(Map.of(BrokerConfig.HTTP_PORT, "0", BrokerConfig.KAFKA_PORT, "0",
                        BrokerConfig.STATS_INTERVAL_MS, "0", BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0"))
                .with(BrokerConfig.DATA_DIR, DATA.toAbsolutePath());
        try (Broker broker = Broker.start(config);
             KafkaFrontEnd front = KafkaFrontEnd.start(broker, false, new PrintStream(System.err, true));
             KafkaProducer<String, String> tills = producer(front.bootstrapServers())) {
            broker.createTopic(TOPIC, PARTITIONS, Map.of(), OnDuplicate.FAIL);
            story.say("The broker makes the topic orders with six partitions. The cooks are KafkaConsumers with"
                    + " group.id=kitchen, each subscribed to orders: none of them names a partition. Which cook"
                    + " cooks which partition is for the group to settle. group.initial.rebalance.delay.ms is 0, so"
                    + " the first cook is not kept waiting for others.");
            Kitchen kitchen = new Kitchen(front.bootstrapServers(), broker.groupCoordinator());
            try {
                service(story, broker, tills, kitchen);
            } finally {
                kitchen.close(); // while the front end is still up, so each cook's LeaveGroup is answered
            }
        }
    }

    private static void service(Narrator story, Broker broker, KafkaProducer<String, String> tills, Kitchen kitchen)
            throws InterruptedException, ExecutionException {
        story.say("cook-1 arrives alone. Its first poll asks which broker coordinates the group kitchen"
                + " (FindCoordinator), then sends JoinGroup with the protocols it can assign by (range) and its"
                + " subscription, the topics it wants, as bytes the coordinator never reads. The coordinator answers"
                + " the first JoinGroup with a member id (the client id and a random UUID: cook-1-...) and"
                + " MEMBER_ID_REQUIRED; cook-1 joins again with that id, the coordinator waits for the other members"
                + " (there are none), and answers: generation 1, and you are the leader.");
        kitchen.hire("cook-1");
        story.predict("who assigns cook-1 its partitions: the broker, or a consumer?");
        kitchen.settle(1);
        showGroup(story, kitchen, 1);
        story.say("The leader got every member's subscription in JoinGroup's answer and ran its own assignor, the"
                + " RangeAssignor named in partition.assignment.strategy. Then every member sent SyncGroup, the"
                + " leader's carrying the assignment of each member as bytes; the coordinator kept them and answered"
                + " each member with its own. The broker never decided anything: a new assignor needs new clients,"
                + " not a new broker.");
        serve(story, tills, kitchen, 1);

        story.say("cook-2 arrives and sends JoinGroup. The group is Stable, so this starts a rebalance: the group"
                + " goes to PreparingRebalance, and the coordinator waits for every member to join again. cook-1"
                + " hears it in the answer to its next Heartbeat (REBALANCE_IN_PROGRESS) and joins again from its"
                + " next poll. Once both have joined, the barrier opens: a new generation, the same leader.");
        kitchen.hire("cook-2");
        story.predict("the range assignor gives each cook a run of neighbouring partitions, the cooks taken in the"
                + " order of their member ids. Which three does cook-2 get?");
        kitchen.settle(2);
        showGroup(story, kitchen, 2);
        story.say("That was an eager rebalance, the RangeAssignor's: before joining again cook-1 gave back every"
                + " partition it had, even the three it got straight back, and cooked nothing until SyncGroup"
                + " answered. A cooperative assignor (CooperativeStickyAssignor) lets a member keep the partitions"
                + " that stay with it and give back only those that move, at the price of a second rebalance.");
        serve(story, tills, kitchen, 2);

        story.say("cook-3 arrives: generation 3, and six partitions shared three ways.");
        kitchen.hire("cook-3");
        kitchen.settle(3);
        showGroup(story, kitchen, 3);
        serve(story, tills, kitchen, 3);

        story.say("cook-2 goes home mid-service. It has committed what it cooked; close() sends LeaveGroup, so the"
                + " coordinator need not wait for its session to run out: it starts a rebalance at once, and the"
                + " cooks still there join again.");
        kitchen.sendHome("cook-2");
        story.predict("who cooks orders-2 and orders-3 now, and from which offset?");
        kitchen.settle(4);
        showGroup(story, kitchen, 4);
        serve(story, tills, kitchen, 4);

        fencing(story, kitchen);
        books(story, broker, kitchen);
    }

    /** What the coordinator holds after a rebalance, and what each cook's rebalance listener was told. */
    private static void showGroup(Narrator story, Kitchen kitchen, int generation) {
        DescribedGroup group = kitchen.coordinator.describeGroup(GROUP);
        story.show("generation", group.generation() + " (" + group.state() + ")");
        story.show("leader", clientIdOf(group, group.leader()));
        if (generation == 1) {
            DescribedGroup.Member only = group.members().get(0);
            story.show("cook-1's subscription, as the leader read it", ConsumerProtocol.CODEC.topics(only.metadata()));
        }
        for (Map.Entry<String, List<TopicPartition>> cook : assignments(group).entrySet()) {
            story.show(cook.getKey() + " owns", cook.getValue());
        }
        for (Cook cook : kitchen.working()) {
            story.show(cook.name + "'s rebalance listener", String.join(", then ", cook.moves));
            cook.moves.clear();
        }
    }

    /** Each member's partitions, decoded from the assignment bytes the leader sent, by client id. */
    static SortedMap<String, List<TopicPartition>> assignments(DescribedGroup group) {
        SortedMap<String, List<TopicPartition>> owned = new TreeMap<>();
        for (DescribedGroup.Member member : group.members()) {
            owned.put(member.clientId(), ConsumerProtocol.CODEC.partitions(member.assignment()));
        }
        return owned;
    }

    private static String clientIdOf(DescribedGroup group, String memberId) {
        return group.members().stream().filter(member -> member.memberId().equals(memberId))
                .map(DescribedGroup.Member::clientId).findFirst().orElse("nobody");
    }

    /** One order to each partition from the tills; the cooks poll until every one is cooked, then commit. */
    private static void serve(Narrator story, KafkaProducer<String, String> tills, Kitchen kitchen, int round)
            throws InterruptedException, ExecutionException {
        for (int partition = 0; partition < PARTITIONS; partition++) {
            kitchen.sent++;
            int order = (round - 1) * PARTITIONS + partition + 1;
            tills.send(new ProducerRecord<>(TOPIC, partition, OPENING + order, "order-" + order,
                    DISHES[(order - 1) % DISHES.length])).get();
        }
        kitchen.cookUntil(PARTITIONS);
        story.say("The tills send six orders, one to each partition. The cooks poll, cook, and commitSync:");
        for (Cook cook : kitchen.working()) {
            story.show(cook.name + " cooks", cook.plate.isEmpty() ? "nothing" : cook.plate.values());
            cook.plate.clear();
        }
    }

    /** A member that missed a rebalance is refused: its generation is not the group's. */
    private static void fencing(Narrator story, Kitchen kitchen) {
        story.say("Why a generation at all? A cook that stalled (a long garbage collection, a slow network) may"
                + " miss a rebalance and come back still believing it owns its old partitions. Every commit and"
                + " heartbeat carries the member id and generation, and the coordinator refuses one that is not the"
                + " group's. Here is the commit cook-1 would have sent had it slept through generation 4:");
        GroupCoordinator coordinator = kitchen.coordinator;
        SortedMap<TopicPartition, Long> stale = new TreeMap<>(Map.of(new TopicPartition(TOPIC, 0), 0L));
        story.show("cook-1 commits orders-0 at 0 with generation 3",
                coordinator.commitOffsets(new OffsetCommitRequest(GROUP, 3, kitchen.memberIds.get("cook-1"), stale)));
        story.show("cook-2, gone home, commits with generation 3",
                coordinator.commitOffsets(new OffsetCommitRequest(GROUP, 3, kitchen.memberIds.get("cook-2"), stale)));
        story.say("KafkaConsumer answers either refusal by giving up its partitions (it cannot know what others did"
                + " with them) and joining again. The offset it tried to move back stayed where it was.");
    }

    /** Committed offsets against end offsets, partition by partition, and every order cooked exactly once. */
    private static void books(Narrator story, Broker broker, Kitchen kitchen) {
        story.say("Closing time. The group's committed offsets (OffsetFetch), beside where each partition ends:");
        SortedMap<TopicPartition, Long> committed = kitchen.coordinator.fetchOffsets(GROUP, null).offsets();
        boolean even = true;
        for (int partition = 0; partition < PARTITIONS; partition++) {
            TopicPartition topicPartition = new TopicPartition(TOPIC, partition);
            long end = broker.partitions().listOffsets(topicPartition, Partitions.LATEST).offset();
            Long offset = committed.get(topicPartition);
            even &= offset != null && offset == end;
            story.show(topicPartition + " committed / end offset", offset + " / " + end);
        }
        story.show("orders sent, orders cooked, cooked twice", kitchen.sent + ", " + kitchen.cooked.size() + ", "
                + (kitchen.cookings - kitchen.cooked.size()));
        story.say(even ? "Every partition's committed offset is its end offset: across four generations and three"
                + " cooks, nothing was lost and nothing was cooked twice, because each partition had one owner at a"
                + " time, each owner committed before the partitions changed hands, and the next owner started from"
                + " the committed offset." : "Some committed offset is not its partition's end offset.");
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "tills");
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
    }

    /** The cooks, each a KafkaConsumer of the group, all polled in turn from the demo's one thread. */
    private static final class Kitchen implements AutoCloseable {
        private final String bootstrap;
        private final GroupCoordinator coordinator;
        private final Map<String, Cook> cooks = new TreeMap<>();
        private final Map<String, String> memberIds = new TreeMap<>();
        /** Every order any cook has read, as partition@offset, and how many reads there were in all. */
        private final TreeSet<String> cooked = new TreeSet<>();
        private int cookings;
        private int sent;

        Kitchen(String bootstrap, GroupCoordinator coordinator) {
            this.bootstrap = bootstrap;
            this.coordinator = coordinator;
        }

        void hire(String name) {
            cooks.put(name, new Cook(name, bootstrap));
        }

        void sendHome(String name) {
            cooks.remove(name).close();
        }

        List<Cook> working() {
            return List.copyOf(cooks.values());
        }

        /** Polls every cook until the group is Stable at this generation and each cook holds its assignment. */
        void settle(int generation) {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (true) {
                pollAll();
                DescribedGroup group = coordinator.describeGroup(GROUP);
                if (settled(group, generation)) {
                    group.members().forEach(member -> memberIds.put(member.clientId(), member.memberId()));
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the kitchen did not settle at generation " + generation
                            + " within " + PATIENCE.toSeconds() + " s: the group is " + group.state()
                            + " at generation " + group.generation() + " with " + assignments(group));
                }
            }
        }

        private boolean settled(DescribedGroup group, int generation) {
            if (group.state() != GroupState.STABLE || group.generation() != generation
                    || group.members().size() != cooks.size()) {
                return false;
            }
            SortedMap<String, List<TopicPartition>> assigned = assignments(group);
            return cooks.values().stream().allMatch(cook -> cook.assignment().equals(assigned.get(cook.name)));
        }

        /** Polls every cook until {@code orders} new orders have been read between them, then each commits. */
        void cookUntil(int orders) {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            int before = cookings;
            while (cookings - before < orders) {
                pollAll();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the kitchen cooked " + (cookings - before) + " of " + orders
                            + " orders within " + PATIENCE.toSeconds() + " s");
                }
            }
            cooks.values().forEach(cook -> cook.consumer.commitSync());
        }

        private void pollAll() {
            for (Cook cook : cooks.values()) {
                for (ConsumerRecord<String, String> record : cook.consumer.poll(POLL)) {
                    // in partition order, whichever fetch brought the record
                    cook.plate.put(record.partition() + "@" + record.offset(), "#" + record.key().substring(
                            "order-".length()) + " " + record.value() + " (" + record.topic() + "-" + record.partition()
                            + "@" + record.offset() + ")");
                    cooked.add(record.partition() + "@" + record.offset());
                    cookings++;
                }
            }
        }

        @Override
        public void close() {
            List<Cook> left = new ArrayList<>(cooks.values());
            cooks.clear();
            RuntimeException failed = null;
            for (Cook cook : left) {
                try {
                    cook.close();
                } catch (RuntimeException e) {
                    failed = failed == null ? e : failed;
                }
            }
            if (failed != null) {
                throw failed;
            }
        }
    }

    /** One cook: a KafkaConsumer of the group, and what its rebalance listener and polls have seen. */
    private static final class Cook implements ConsumerRebalanceListener, AutoCloseable {
        private final String name;
        private final KafkaConsumer<String, String> consumer;
        /** What the rebalance listener was told since the last look. */
        private final List<String> moves = new ArrayList<>();
        /** What the cook has read since the last look, by partition@offset (one digit of partition: six of them). */
        private final SortedMap<String, String> plate = new TreeMap<>();

        Cook(String name, String bootstrap) {
            this.name = name;
            Properties settings = new Properties();
            settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            settings.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
            settings.put(ConsumerConfig.CLIENT_ID_CONFIG, name); // the member id is the client id and a UUID
            settings.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
            settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"); // the cooks commitSync themselves
            settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "100"); // hear of a rebalance soon
            this.consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer());
            consumer.subscribe(List.of(TOPIC), this);
        }

        List<TopicPartition> assignment() {
            return consumer.assignment().stream().map(partition -> new TopicPartition(partition.topic(),
                    partition.partition())).sorted().toList();
        }

        @Override
        public void onPartitionsRevoked(Collection<org.apache.kafka.common.TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                moves.add("gives back " + sorted(partitions));
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<org.apache.kafka.common.TopicPartition> partitions) {
            moves.add("is given " + sorted(partitions));
        }

        private static List<TopicPartition> sorted(Collection<org.apache.kafka.common.TopicPartition> partitions) {
            return partitions.stream().map(partition -> new TopicPartition(partition.topic(), partition.partition()))
                    .sorted().toList();
        }

        @Override
        public void close() {
            consumer.close(); // sends LeaveGroup
        }
    }
}
