package toykafka.lesson14;

import static toykafka.lesson13.KafkaDemos.OPENING;
import static toykafka.lesson13.KafkaDemos.PATIENCE;
import static toykafka.lesson13.KafkaDemos.PATIENCE_ON_A_CLUSTER;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.group.classic.ConsumerProtocol;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.common.TopicPartition;
import toykafka.lesson10.DemoBroker;
import toykafka.lesson13.KafkaDemos;
import toykafka.narration.Narrator;
import toykafka.narration.Telling;

/**
 * Lesson 14, narrated: the fish-and-chips shop's cooks are Kafka's own {@code KafkaConsumer}s in one group,
 * kitchen, sharing the six partitions of orders. Each time a cook arrives or goes home the group rebalances:
 * every cook joins (JoinGroup), the leader among them assigns the partitions, the coordinator hands the
 * assignment out (SyncGroup), and the generation goes up. Every order is cooked once, and the committed offsets
 * end where the partitions end.
 *
 * <p>The service is watched through Kafka's public clients only, so {@link #narrateOn} runs it unchanged on any
 * cluster; on our own broker, {@link #narrate} also asks the coordinator what no client can: the leader, the
 * subscription it read, and a commit from a stale generation.
 */
public final class Lesson14Demo {

    private static final Path DATA = Path.of("data", "generated", "14-groups-over-kafka");
    static final String GROUP = "kitchen";
    static final String TOPIC = "orders";
    static final int PARTITIONS = 6;
    private static final String[] DISHES = {"cod and chips", "haddock and mushy peas", "plaice and chips",
            "pie and curry sauce", "scampi and chips", "battered sausage", "fishcake and chips"};

    private Lesson14Demo() {
    }

    /** With no argument, on our broker started in-process; with a bootstrap address, on that cluster. */
    public static void main(String[] args) {
        KafkaDemos.main(args, Lesson14Demo::narrate, Lesson14Demo::narrateOn);
    }

    /** The whole story on our broker, started in-process, including what only its coordinator can show. */
    public static void narrate(Narrator story) {
        Telling.run(14, DATA, () -> tellInProcess(story));
    }

    /**
     * The same service on any Kafka cluster, watched only through Kafka's public clients: the cooks'
     * group metadata, and Admin's group description, committed offsets and end offsets.
     */
    public static void narrateOn(Narrator story, String bootstrap) {
        Telling.run(14, DATA, () -> {
            story.title("Lesson 14: groups over Kafka's protocol, on " + bootstrap);
            story.say("What answers at " + bootstrap + " runs in another process (our own broker, started with"
                    + " ./toykafka broker, or Apache Kafka), so the demo watches it only as any client could: each"
                    + " cook's generation from its consumer's groupMetadata(), the group from Admin's"
                    + " describeConsumerGroups, the books from Admin's committed and end offsets. It skips what"
                    + " needs the coordinator's insides: which member leads, the subscription bytes the leader read,"
                    + " and a commit forged with a stale generation, because Kafka's Admin does not expose the"
                    + " group's leader or the raw member metadata. The cluster's group.initial.rebalance.delay.ms"
                    + " (3 s unless set otherwise) may keep the first cook waiting for others.");
            tell(story, bootstrap, Optional.empty(), PATIENCE_ON_A_CLUSTER);
        });
    }

    private static void tellInProcess(Narrator story)
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        story.title("Lesson 14: groups over Kafka's protocol");
        try (DemoBroker shop = DemoBroker.speakingKafka(DATA,
                Map.of(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0"))) {
            story.say("Our broker runs in this process, so besides what any client sees the demo can ask its group"
                    + " coordinator what a client cannot. group.initial.rebalance.delay.ms is 0, so the first cook"
                    + " is not kept waiting for others.");
            // the cooks close inside tell, while the front end is still up, so each cook's LeaveGroup is answered
            tell(story, shop.bootstrapServers(), Optional.of(shop.broker().groupCoordinator()), PATIENCE);
        }
    }

    /** The service, the same on any cluster; {@code insides} is our coordinator when the broker is ours. */
    private static void tell(Narrator story, String bootstrap, Optional<GroupCoordinator> insides, Duration patience)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = KafkaDemos.admin(bootstrap);
             KafkaProducer<String, String> tills = producer(bootstrap);
             Kitchen kitchen = new Kitchen(bootstrap, admin, GROUP, TOPIC, patience)) {
            createOrders(admin, bootstrap, patience);
            story.say("Admin makes the topic orders with six partitions (CreateTopics), at the cluster's default"
                    + " replication factor, and with retention.ms=-1. The tills stamp each order with the shop's"
                    + " opening time, years ago, and retention judges a record's age by its timestamp (lesson 9): at"
                    + " the default of seven days, the broker's next retention check would delete orders no cook had"
                    + " read yet. The cooks are KafkaConsumers with group.id=kitchen, each subscribed to orders: none"
                    + " of them names a partition. Which cook cooks which partition is for the group to settle.");
            service(story, admin, tills, kitchen, insides, patience);
        }
    }

    /** The topic orders, kept for ever: the tills' timestamps are years old. */
    static void createOrders(Admin admin, String bootstrap, Duration patience)
            throws InterruptedException, ExecutionException, TimeoutException {
        KafkaDemos.createKeptForever(admin, bootstrap, List.of(TOPIC), PARTITIONS, patience, "the topic and the group "
                + GROUP + ", new too (kafka-topics.sh --delete, kafka-consumer-groups.sh --delete)");
    }

    private static void service(Narrator story, Admin admin, KafkaProducer<String, String> tills, Kitchen kitchen,
            Optional<GroupCoordinator> insides, Duration patience)
            throws InterruptedException, ExecutionException, TimeoutException {
        story.say("cook-1 arrives alone. Its first poll asks which broker coordinates the group kitchen"
                + " (FindCoordinator), then sends JoinGroup with the protocols it can assign by (range) and its"
                + " subscription, the topics it wants, as bytes the coordinator never reads. The coordinator answers"
                + " the first JoinGroup with a member id (the client id and a random UUID: cook-1-...) and"
                + " MEMBER_ID_REQUIRED; cook-1 joins again with that id, the coordinator waits for the other members"
                + " (there are none), and answers: generation 1, and you are the leader.");
        kitchen.hire("cook-1");
        story.predict("who assigns cook-1 its partitions: the broker, or a consumer?");
        showGroup(story, kitchen, kitchen.settle(1), insides);
        story.say("The leader got every member's subscription in JoinGroup's answer and ran its own assignor, the"
                + " RangeAssignor named in partition.assignment.strategy. Then every member sent SyncGroup, the"
                + " leader's carrying the assignment of each member as bytes; the coordinator kept them and answered"
                + " each member with its own. The broker never decided anything: a new assignor needs new clients,"
                + " not a new broker.");
        serve(story, tills, kitchen, 1, patience);

        story.say("cook-2 arrives and sends JoinGroup. The group is Stable, so this starts a rebalance: the group"
                + " goes to PreparingRebalance, and the coordinator waits for every member to join again. cook-1"
                + " hears it in the answer to its next Heartbeat (REBALANCE_IN_PROGRESS) and joins again from its"
                + " next poll. Once both have joined, the barrier opens: a new generation, the same leader.");
        kitchen.hire("cook-2");
        story.predict("the range assignor gives each cook a run of neighbouring partitions, the cooks taken in the"
                + " order of their member ids. Which three does cook-2 get?");
        showGroup(story, kitchen, kitchen.settle(2), insides);
        story.say("That was an eager rebalance, the RangeAssignor's: before joining again cook-1 gave back every"
                + " partition it had, even the three it got straight back, and cooked nothing until SyncGroup"
                + " answered. A cooperative assignor (CooperativeStickyAssignor) lets a member keep the partitions"
                + " that stay with it and give back only those that move, at the price of a second rebalance.");
        serve(story, tills, kitchen, 2, patience);

        story.say("cook-3 arrives: generation 3, and six partitions shared three ways.");
        kitchen.hire("cook-3");
        showGroup(story, kitchen, kitchen.settle(3), insides);
        serve(story, tills, kitchen, 3, patience);

        story.say("cook-2 goes home mid-service. It has committed what it cooked; close() sends LeaveGroup, so the"
                + " coordinator need not wait for its session to run out: it starts a rebalance at once, and the"
                + " cooks still there join again.");
        kitchen.sendHome("cook-2");
        story.predict("who cooks orders-2 and orders-3 now, and from which offset?");
        showGroup(story, kitchen, kitchen.settle(4), insides);
        serve(story, tills, kitchen, 4, patience);

        fencing(story, kitchen, insides);
        books(story, admin, kitchen, patience);
    }

    /**
     * The settled generation as the cooks and Admin see it, what each cook's rebalance listener was told, and,
     * on our broker, what only the coordinator knows: the leader, and the subscription it was handed.
     */
    private static void showGroup(Narrator story, Kitchen kitchen, Kitchen.Described group,
            Optional<GroupCoordinator> insides) {
        int generation = kitchen.generation();
        story.show("generation", generation + " (" + group.state() + ")");
        insides.ifPresent(coordinator -> showLeader(story, coordinator.describeGroup(GROUP), generation));
        group.owned().forEach((cook, partitions) -> story.show(cook + " owns", partitions));
        for (Cook cook : kitchen.working()) {
            story.show(cook.name + "'s rebalance listener", String.join(", then ", cook.moves));
            cook.moves.clear();
        }
    }

    private static void showLeader(Narrator story, DescribedGroup group, int generation) {
        story.show("leader", group.members().stream().filter(member -> member.memberId().equals(group.leader()))
                .map(DescribedGroup.Member::clientId).findFirst().orElse("nobody"));
        if (generation == 1) {
            DescribedGroup.Member only = group.members().get(0);
            story.show("cook-1's subscription, as the leader read it", ConsumerProtocol.CODEC.topics(only.metadata()));
        }
    }

    /** One order to each partition from the tills; the cooks poll until every one is cooked, then commit. */
    private static void serve(Narrator story, KafkaProducer<String, String> tills, Kitchen kitchen, int round,
            Duration patience) throws InterruptedException, ExecutionException, TimeoutException {
        for (int partition = 0; partition < PARTITIONS; partition++) {
            kitchen.sent++;
            tills.send(order(round, partition)).get(patience.toMillis(), TimeUnit.MILLISECONDS);
        }
        kitchen.cookUntil(PARTITIONS);
        story.say("The tills send six orders, one to each partition. The cooks poll, cook, and commitSync:");
        for (Cook cook : kitchen.working()) {
            story.show(cook.name + " cooks", cook.plate.isEmpty() ? "nothing" : cook.plate.values());
            cook.plate.clear();
        }
    }

    /** The order a till sends to one partition in one round, stamped its number of milliseconds after opening. */
    static ProducerRecord<String, String> order(int round, int partition) {
        int order = (round - 1) * PARTITIONS + partition + 1;
        return new ProducerRecord<>(TOPIC, partition, OPENING + order, "order-" + order,
                DISHES[(order - 1) % DISHES.length]);
    }

    /** A member that missed a rebalance is refused: its generation is not the group's. */
    private static void fencing(Narrator story, Kitchen kitchen, Optional<GroupCoordinator> insides) {
        story.say("Why a generation at all? A cook that stalled (a long garbage collection, a slow network) may"
                + " miss a rebalance and come back still believing it owns its old partitions. Every commit and"
                + " heartbeat carries the member id and generation, and the coordinator refuses one that is not the"
                + " group's.");
        if (insides.isEmpty()) {
            story.say("Showing the refusal needs a commit sent with an old generation, which KafkaConsumer never"
                    + " sends of its own accord; on our broker the demo hands one to the coordinator directly, here"
                    + " it skips it.");
            return;
        }
        GroupCoordinator coordinator = insides.get();
        story.say("Here is the commit cook-1 would have sent had it slept through generation 4:");
        SortedMap<TopicPartition, Long> stale = new TreeMap<>(Map.of(new TopicPartition(TOPIC, 0), 0L));
        story.show("cook-1 commits orders-0 at 0 with generation 3",
                coordinator.commitOffsets(new OffsetCommitRequest(GROUP, 3, kitchen.memberIds.get("cook-1"), stale)));
        story.show("cook-2, gone home, commits with generation 3",
                coordinator.commitOffsets(new OffsetCommitRequest(GROUP, 3, kitchen.memberIds.get("cook-2"), stale)));
        story.say("KafkaConsumer answers either refusal by giving up its partitions (it cannot know what others did"
                + " with them) and joining again. The offset it tried to move back stayed where it was.");
    }

    /** Committed offsets against end offsets, partition by partition, and every order cooked exactly once. */
    private static void books(Narrator story, Admin admin, Kitchen kitchen, Duration patience)
            throws InterruptedException, ExecutionException, TimeoutException {
        story.say("Closing time. The group's committed offsets (Admin's listConsumerGroupOffsets, an OffsetFetch),"
                + " beside where each partition ends (listOffsets at latest, a ListOffsets):");
        Map<org.apache.kafka.common.TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            latest.put(new org.apache.kafka.common.TopicPartition(TOPIC, partition), OffsetSpec.latest());
        }
        Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata().get(patience.toMillis(), TimeUnit.MILLISECONDS);
        Map<org.apache.kafka.common.TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                admin.listOffsets(latest).all().get(patience.toMillis(), TimeUnit.MILLISECONDS);
        boolean even = true;
        for (org.apache.kafka.common.TopicPartition partition : latest.keySet()) {
            long end = ends.get(partition).offset();
            OffsetAndMetadata offset = committed.get(partition);
            even &= offset != null && offset.offset() == end;
            story.show(partition + " committed / end offset", (offset == null ? null : offset.offset()) + " / " + end);
        }
        story.show("orders sent, orders cooked, cooked twice", kitchen.sent + ", " + kitchen.cooked.size() + ", "
                + (kitchen.cookings - kitchen.cooked.size()));
        story.say(even ? "Every partition's committed offset is its end offset: across four generations and three"
                + " cooks, nothing was lost and nothing was cooked twice, because each partition had one owner at a"
                + " time, each owner committed before the partitions changed hands, and the next owner started from"
                + " the committed offset." : "Some committed offset is not its partition's end offset.");
    }

    static KafkaProducer<String, String> producer(String bootstrap) {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "tills");
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
    }
}
