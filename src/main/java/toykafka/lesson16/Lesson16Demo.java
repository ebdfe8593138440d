package toykafka.lesson16;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.Partitions;
import toykafka.broker.group.consumer.DescribedConsumerGroup;
import toykafka.broker.group.GroupCoordinator;
import toykafka.common.Record;
import toykafka.common.TopicId;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson10.DemoBroker;
import toykafka.narration.Narrator;
import toykafka.narration.Telling;

/**
 * Lesson 16, narrated: the fish-and-chips shop's kitchen of lesson 14 on Kafka 4's consumer group protocol. Cooks
 * (Kafka's own {@code KafkaConsumer}s with {@code group.protocol=consumer}) join one at a time and the broker
 * assigns; the coordinator shows each member's epoch, what it owns and its target as the group reconciles. Then
 * the barrier's cost, measured: a cook whose poll loop is busy while a newcomer joins, under the classic protocol
 * (eager and cooperative) and under Kafka 4's.
 */
public final class Lesson16Demo {

    private static final Path DATA = Path.of("data", "generated", "16-rebalance-without-a-barrier");
    static final String TOPIC = "orders";
    static final int PARTITIONS = 6;
    /** How long the busy cook's poll loop stays away: long against a heartbeat, short for a demo. */
    static final Duration BUSY = Duration.ofSeconds(3);
    /** The same in the tour, which tells every lesson: long enough still against a heartbeat of 200 ms. */
    static final Duration BUSY_IN_THE_TOUR = Duration.ofMillis(1500);
    /** A cap on any wait, not a figure: the demo goes on as soon as it sees what it waits for. */
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private Lesson16Demo() {
    }

    public static void main(String[] args) {
        narrate(Narrator.toStandardOut());
    }

    public static void narrate(Narrator story) {
        narrate(story, BUSY);
    }

    /** The tour's telling: the same story, with a shorter batch in the drill. */
    public static void narrateForTour(Narrator story) {
        narrate(story, BUSY_IN_THE_TOUR);
    }

    private static void narrate(Narrator story, Duration busy) {
        Telling.run(16, DATA, () -> tell(story, busy));
    }

    /** What the demo measured, for its test: each protocol's run of the drill. */
    static Map<BarrierDrill.Protocol, BarrierDrill.Result> tell(Narrator story, Duration busy)
            throws IOException, InterruptedException {
        story.title("Lesson 16: the rebalance without a barrier");
        try (DemoBroker shop = DemoBroker.speakingKafka(DATA, Map.of(
                BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0", BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, "200"))) {
            Broker broker = shop.broker();
            broker.createTopic(TOPIC, PARTITIONS, Map.of("retention.ms", "-1"), OnDuplicate.FAIL);
            takeOrders(broker, 5);
            story.say("Our broker runs in this process with group.consumer.heartbeat.interval.ms=200 (Kafka's default"
                    + " is 5000), so the cooks hear from it often. The topic orders has six partitions and five"
                    + " orders in each. Every cook is a KafkaConsumer with group.protocol=consumer: it sends one"
                    + " request, ConsumerGroupHeartbeat, and never JoinGroup or SyncGroup.");
            kitchen(story, shop.bootstrapServers(), broker.groupCoordinator());
            return drill(story, shop.bootstrapServers(), busy);
        }
    }

    private static void takeOrders(Broker broker, int perPartition) {
        List<Partitions.ProduceRecord> orders = new ArrayList<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            for (int i = 0; i < perPartition; i++) {
                orders.add(new Partitions.ProduceRecord(partition, Record.of("till-" + partition,
                        "order " + partition + "." + i, Instant.ofEpochMilli(1_700_000_000_000L))));
            }
        }
        broker.partitions().appendRecords(TOPIC, orders);
    }

    // tag::kitchen[]
    /** Two cooks join one after the other; the coordinator shows the group at each step. */
    private static void kitchen(Narrator story, String bootstrap, GroupCoordinator coordinator)
            throws InterruptedException {
        Map<String, String> kip848 = BarrierDrill.Protocol.CONSUMER.settings;
        try (LineCook first = new LineCook("cook-1", bootstrap, "kitchen", TOPIC, kip848)) {
            await(() -> first.ownedCount() == PARTITIONS);
            story.say("cook-1 joins with epoch 0. The broker's uniform assignor gives it every partition in the answer"
                    + " to that first heartbeat: a new group's epoch 1 moves to 2, and cook-1's member epoch is 2."
                    + " No leader, no barrier.");
            show(story, coordinator.describeConsumerGroup("kitchen"));
            story.predict("cook-2 joins. Does cook-1 stop reading while the group changes? Who gives what up, and when?");
            try (LineCook second = new LineCook("cook-2", bootstrap, "kitchen", TOPIC, kip848)) {
                await(() -> first.ownedCount() == 3 && second.ownedCount() == 3);
                story.say("cook-2's join moved the group epoch to 3, and the assignor computed a new target for both"
                        + " cooks at that epoch. cook-2's half was still cook-1's, so cook-2 was given nothing at"
                        + " first; cook-1 was told at its next heartbeat to give that half up, and its epoch waited"
                        + " until a heartbeat said it had (its listener's onPartitionsRevoked ran, and it committed"
                        + " first). Only then was cook-2 given the three. cook-1 read the other three all along.");
                story.show("what each cook's rebalance listener was told", new TreeMap<>(Map.of(first.name,
                        first.moves(), second.name, second.moves())));
                show(story, coordinator.describeConsumerGroup("kitchen"));
            }
        }
    }
    // end::kitchen[]

    private static void show(Narrator story, DescribedConsumerGroup group) {
        Map<String, String> members = new TreeMap<>();
        for (DescribedConsumerGroup.Member member : group.members()) {
            members.put(member.clientId(), "epoch " + member.memberEpoch() + ", owns " + partitions(member.assignment())
                    + ", target " + partitions(member.target()));
        }
        story.show("kitchen: " + group.state() + ", group epoch " + group.groupEpoch() + ", assignment epoch "
                + group.assignmentEpoch() + ", assignor " + group.assignor(), members);
    }

    private static List<Integer> partitions(Map<TopicId, SortedSet<Integer>> byTopic) {
        return byTopic.values().stream().flatMap(SortedSet::stream).sorted().toList();
    }

    private static Map<BarrierDrill.Protocol, BarrierDrill.Result> drill(Narrator story, String bootstrap,
                                                                         Duration busy) throws InterruptedException {
        String shortened = busy.equals(BUSY) ? ""
                : " (the lesson's " + BUSY.toMillis() + " ms, shortened for the tour)";
        story.say("Now the barrier's cost. Two cooks own three partitions each. One of them starts a long batch: its"
                + " poll loop stays away for " + busy.toMillis() + " ms" + shortened + " (its heartbeats go on, from"
                + " the consumer's own thread, so it is not thrown out). Just then a third cook arrives. The drill"
                + " runs three times, each in a group of its own: the classic protocol with an eager assignor"
                + " (range), the classic protocol with cooperative-sticky (KIP-429), and Kafka 4's.");
        story.predict("under which protocols does the steady cook, the one that is not busy, stop reading?");
        Map<BarrierDrill.Protocol, BarrierDrill.Result> results = new EnumMap<>(BarrierDrill.Protocol.class);
        for (BarrierDrill.Protocol protocol : BarrierDrill.Protocol.values()) {
            BarrierDrill.Result result = BarrierDrill.run(bootstrap, TOPIC, protocol, busy, PATIENCE);
            results.put(protocol, result);
            story.show(protocol.name(), "the steady cook kept at least " + result.steadyFewest() + " of 3 partitions"
                    + " and owned none for " + millis(result.steadyIdle()) + "; the newcomer waited "
                    + millis(result.newcomerFirst()) + " for its first partition and " + millis(result.newcomerShare())
                    + " for both; when it left, the other two owned everything again " + millis(result.afterLeave())
                    + " later");
        }
        story.say("Eager: the join started a rebalance, every cook gave back everything, and the barrier waited for"
                + " the busy cook to poll and join again, so the steady cook owned nothing for about as long as the"
                + " other was busy. Cooperative: the steady cook kept two partitions, but the newcomer still waited"
                + " at the barrier for the busy cook, for every partition, even the one the steady cook had already"
                + " given up. " + kafka4(results.get(BarrierDrill.Protocol.CONSUMER), busy));
        return results;
    }

    /** What Kafka 4's run showed, in the words its figures allow: a slow machine can make the newcomer wait too. */
    static String kafka4(BarrierDrill.Result result, Duration busy) {
        if (result.newcomerFirst().compareTo(busy) < 0) {
            return "Kafka 4's: the newcomer got the steady cook's partition after " + millis(result.newcomerFirst())
                    + ", before the busy cook came back, as soon as the steady cook had let it go; only the one the"
                    + " busy cook had to hand over waited for it. One slow member holds back only what it holds.";
        }
        return "Kafka 4's: this time the newcomer's first partition came only after " + millis(result.newcomerFirst())
                + ", when the busy cook (away " + millis(busy) + ") was back already: the steady cook's partition is"
                + " handed over a heartbeat or two after the join, and on this run the machine was slower than that."
                + " The steady cook still kept " + result.steadyFewest() + " of 3 throughout; run it again on a quieter"
                + " machine to see the newcomer served before the busy cook returns.";
    }

    private static String millis(Duration time) {
        return time.toMillis() + " ms";
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the kitchen did not settle within " + PATIENCE.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }
}
