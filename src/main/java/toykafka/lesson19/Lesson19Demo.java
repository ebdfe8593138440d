package toykafka.lesson19;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import toykafka.apachekafka.FreePorts;
import toykafka.apachekafka.KafkaCluster;
import toykafka.apachekafka.KafkaJars;
import toykafka.apachekafka.KafkaNode;
import toykafka.common.Directories;
import toykafka.lesson19.ReplicatedPartition.Acks;
import toykafka.narration.Narrator;
import toykafka.narration.Telling;

/**
 * Lesson 19, narrated: first one partition replicated three ways in this JVM, moved a step at a time, to see the
 * high watermark trail the log end, a slow follower leave the ISR, and a leader's death lose what only it had.
 * Then the same on Apache Kafka: three nodes started from Maven's jars, the shop's tills producing while the
 * leader is killed, under {@code acks=all} and then {@code acks=1}, and what each waits for an answer.
 */
public final class Lesson19Demo {

    private static final Path DATA = Path.of("data", "generated", "19-graduation");
    private static final long LAG_MAX_MS = 30_000;
    private static final int HEAP_MIB = 384;
    private static final int LATENCY_ORDERS = 500;
    /** How long a node's heartbeats may stop before it is declared dead: Kafka's default is 9 s; a drill waits less. */
    private static final int SESSION_TIMEOUT_MS = 4_000;

    private Lesson19Demo() {
    }

    public static void main(String[] args) {
        narrate(Narrator.toStandardOut());
    }

    /**
     * The tour's short version: part one only, then where to see part two. Three Kafka nodes take a minute to
     * start and drill, too long for a tour of every lesson.
     */
    public static void narrateForTour(Narrator story) {
        story.title("Lesson 19: graduation");
        inOneJvm(story);
        story.say("Part two runs the same on Apache Kafka itself: three nodes started from Maven's jars, a leader"
                + " killed with kill -9 while the tills produce, under acks=all and then acks=1, every acknowledged"
                + " order looked for afterwards. It takes about a minute on a quiet machine, several on a busy one:"
                + " ./toykafka lesson 19.");
    }

    public static void narrate(Narrator story) {
        story.title("Lesson 19: graduation");
        inOneJvm(story);
        Telling.run(18, DATA, () -> onApacheKafka(story));
    }

    /** The replication protocol by hand: every fetch a call, every time a number. */
    private static void inOneJvm(Narrator story) {
        story.say("Part one: a partition kept by three brokers, 1, 2 and 3, all in this JVM. Broker 1 leads; 2 and 3"
                + " follow by fetching from it. min.insync.replicas is 2 and replica.lag.time.max.ms 30 s.");
        ReplicatedPartition orders = new ReplicatedPartition(List.of(1, 2, 3), 2, LAG_MAX_MS, false,
                new PartitionBookkeeping());
        long first = orders.append("cod and chips", Acks.ALL);
        story.say("A till writes 'cod and chips' with acks=all. The leader appends it at offset " + first + ".");
        story.show("the partition", orders);
        story.predict("can a consumer read it yet?");
        story.show("what a consumer can read", orders.readable());
        orders.fetch(2, 100);
        story.say("Broker 2 fetches and copies it.");
        story.show("the partition", orders);
        orders.fetch(3, 200);
        story.say("Broker 3 fetches too. Every replica in sync now holds offset 0, so the high watermark passes it:"
                + " the write is committed, the till gets its answer, and consumers may read it.");
        story.show("the partition", orders);
        story.show("acknowledged", orders.acknowledged(first));
        story.show("what a consumer can read", orders.readable());

        story.say("Broker 3 stalls: a long garbage collection, a full disk, a cable pulled. It stops fetching. Three"
                + " more orders arrive; broker 2 keeps up.");
        for (String dish : List.of("haddock", "plaice", "scampi")) {
            orders.append(dish, Acks.ALL);
        }
        orders.fetch(2, 1_000);
        story.show("the partition at 1 s", orders);
        story.say("The high watermark waits for broker 3, still in sync as far as the leader knows: the tills wait"
                + " for their answers.");
        orders.tick(LAG_MAX_MS + 201);
        story.predict("broker 3 last caught up at 0.2 s. What changes at 30.201 s?");
        story.show("the partition at 30.201 s", orders);
        story.say("Broker 3 has not caught up for more than replica.lag.time.max.ms, so the leader drops it from the"
                + " ISR, and the high watermark moves to what the two left in sync hold. acks=all means every replica"
                + " in sync, not every replica; min.insync.replicas says how few that may be.");

        long unreplicated = orders.append("pie and curry sauce", Acks.ONE);
        story.say("A till with acks=1 writes 'pie and curry sauce'. The leader answers at once: offset " + unreplicated
                + ". Before broker 2 fetches it, broker 1 dies.");
        ReplicatedPartition.Election election = orders.crash(1, 31_000);
        story.show("the election", "broker " + election.leader() + " leads, leader epoch " + election.epoch());
        story.show("the partition", orders);
        story.show("what a consumer can read", orders.readable());
        story.say("The new leader is the first live replica in the ISR; the epoch goes up, so every broker can tell"
                + " this leader's writes from the last one's. 'pie and curry sauce' was acknowledged, and it is gone:"
                + " with acks=1 an answer means one broker had it.");
        try {
            orders.append("fishcake", Acks.ALL);
        } catch (NotEnoughReplicasException refused) {
            story.showRefusal("acks=all, with broker 2 alone in sync", refused);
        }
        story.say("Broker 2 is the whole ISR, fewer than min.insync.replicas: acks=all writes are refused rather"
                + " than kept on one broker. acks=1 ones would still be taken; Kafka 4.4 would not let consumers see"
                + " them until a second replica was back in sync, which this toy does not model. Then broker 3 wakes"
                + " and fetches everything it missed, and is back in sync.");
        orders.fetch(3, 31_500);
        orders.append("fishcake", Acks.ALL);
        story.say("Broker 2 takes the next order, 'fishcake', at offset " + unreplicated + ", the offset the lost order"
                + " had on broker 1.");
        orders.restart(1, 32_000);
        story.show("broker 1's log as it restarts", orders.log(1));
        orders.fetch(1, 33_000);
        orders.fetch(3, 33_000);
        story.say("Broker 1 restarts with its old log and follows. Its fetch names the epoch of its last record, 0,"
                + " and the new leader answers where epoch 0 ended in its log: at offset " + unreplicated + ". Broker 1"
                + " cuts its log there, copies 'fishcake' of epoch 1, and, caught up, is back in sync.");
        story.show("broker 1's log", orders.log(1));
        story.show("the partition", orders);
    }

    /** The same ideas on Apache Kafka itself: three nodes, a leader killed under load. */
    private static void onApacheKafka(Narrator story) throws IOException, InterruptedException, ExecutionException,
            TimeoutException {
        story.say("Part two: Apache Kafka. Three nodes, each a broker and a KRaft controller in one JVM of its own"
                + " (" + HEAP_MIB + " MiB of heap), started from the jars Maven fetched. New topics get three"
                + " replicas; min.insync.replicas is 2. A node that stops sending heartbeats is declared dead after"
                + " broker.session.timeout.ms: Kafka's default is 9 s, and this cluster's " + SESSION_TIMEOUT_MS / 1000
                + " s, so the drill is short.");
        Path folder = DATA.resolve("cluster");
        Directories.deleteTree(DATA);
        int port = FreePorts.run(6);
        KafkaCluster.Layout layout = new KafkaCluster.Layout(folder, 3, port, port + 1, HEAP_MIB,
                Map.of("broker.session.timeout.ms", String.valueOf(SESSION_TIMEOUT_MS),
                        "broker.heartbeat.interval.ms", "500"));
        KafkaJars jars = KafkaJars.inProject();
        try {
            List<KafkaNode.Running> nodes = KafkaCluster.start(layout, jars);
            story.show("bootstrap.servers", layout.bootstrapServers());
            story.show("started in", String.format("%.1f s", nodes.get(nodes.size() - 1).startup().toMillis() / 1e3));
            drill(story, layout, jars, "all");
            drill(story, layout, jars, "1");
            story.say("Last, what replication costs a till that waits for each answer before the next order: "
                    + LATENCY_ORDERS + " orders one at a time, to a topic with one replica and to one with three.");
            List<ProduceLatency.Measured> latencies = ProduceLatency.measure(layout.bootstrapServers(), LATENCY_ORDERS);
            for (ProduceLatency.Measured measured : latencies) {
                story.show("produce latency", measured);
            }
            story.say(latency(latencies));
            story.show("the cluster's partitions", lines(KafkaCluster.partitions(layout)));
        } finally {
            KafkaCluster.stop(layout, Duration.ofSeconds(30));
        }
    }

    /**
     * What the latencies showed, in the words their medians allow: a busy machine can make acks=all no slower than
     * acks=1, or three replicas no slower than one, and the narration must not claim otherwise.
     */
    static String latency(List<ProduceLatency.Measured> measured) {
        ProduceLatency.Measured oneAcks1 = find(measured, 1, "1");
        ProduceLatency.Measured oneAll = find(measured, 1, "all");
        ProduceLatency.Measured threeAcks1 = find(measured, 3, "1");
        ProduceLatency.Measured threeAll = find(measured, 3, "all");
        String acks = medians(threeAll, "acks=all", threeAcks1, "acks=1");
        String replicas = medians(threeAcks1, "three replicas", oneAcks1, "one");
        String withOne = "With one replica acks=all is acks=1: the leader is the whole ISR"
                + (slower(oneAll, oneAcks1) || slower(oneAcks1, oneAll) ? ", so their medians here ("
                + medians(oneAcks1, "acks=1", oneAll, "acks=all") + ") differ only by what else the machine was"
                + " doing at the time. " : ". ");
        String withThree = slower(threeAll, threeAcks1)
                ? "With three, acks=all waited longer than acks=1 (" + acks + "): it also waits for the followers'"
                + " next fetches to bring their new log end offsets, one more round trip. "
                : "With three, acks=all waited no longer than acks=1 this time (" + acks + "): the one more round"
                + " trip it waits for, the followers' next fetches, was lost in this machine's noise. ";
        String copying = slower(threeAcks1, oneAcks1)
                ? "Even acks=1 was slower with three replicas than with one (" + replicas + "), though it waits for"
                + " the leader alone: here three brokers share this machine's cores, and the followers' copying"
                + " takes time from the leader; on three machines it would not."
                : "acks=1 was no slower with three replicas than with one (" + replicas + "): it waits for the"
                + " leader alone, and this time the followers' copying did not get in its way.";
        return withOne + withThree + copying;
    }

    /** Whether {@code a}'s median wait was more than a tenth longer than {@code b}'s: less is this machine's noise. */
    private static boolean slower(ProduceLatency.Measured a, ProduceLatency.Measured b) {
        return a.p50().toNanos() > b.p50().toNanos() * 1.1;
    }

    /** The two medians, each named: "acks=all 8.48 ms, acks=1 7.21 ms". */
    private static String medians(ProduceLatency.Measured a, String aName, ProduceLatency.Measured b, String bName) {
        return String.format(Locale.ROOT, "%s %.2f ms, %s %.2f ms", aName, a.p50().toNanos() / 1e6, bName, b.p50().toNanos() / 1e6);
    }

    private static ProduceLatency.Measured find(List<ProduceLatency.Measured> measured, int replicas, String acks) {
        return measured.stream().filter(m -> m.replicas() == replicas && m.acks().equals(acks)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no measurement of " + replicas + " replicas with"
                        + " acks=" + acks + " among " + measured));
    }

    /** Several lines as one value, each under the first. */
    private static String lines(List<String> lines) {
        return String.join("\n      ", lines);
    }

    private static void drill(Narrator story, KafkaCluster.Layout layout, KafkaJars jars, String acks)
            throws InterruptedException, ExecutionException, TimeoutException {
        String topic = "orders-acks-" + acks;
        story.say("The tills send an order a millisecond to " + topic + " with acks=" + acks + ". Two seconds in, its"
                + " leader is killed with kill -9: no goodbye to anyone. The tills keep sending. Once a new leader"
                + " answers, they go on for two more seconds; then the killed node is started again, and the"
                + " partition is read back from the start.");
        ShopDrill.Outcome drill = ShopDrill.run(layout, jars, topic, acks, Duration.ofSeconds(2), Duration.ofSeconds(2));
        story.show("killed", "node " + drill.killed());
        story.show("the active controller", "node " + drill.controller());
        story.show("what the watcher saw", lines(drill.watched()));
        story.show("the partition's batches, by leader epoch", lines(drill.epochs()));
        story.show("the tills waited at most", String.format("%.1f s", drill.longestSilence().toMillis() / 1e3));
        story.show("orders sent, acknowledged, failed", drill.sent() + ", " + drill.acknowledged() + ", "
                + drill.failed());
        story.show("orders kept, acknowledged but lost, kept twice", drill.kept() + ", " + drill.lostAcknowledged()
                + ", " + drill.duplicates());
        if (acks.equals("all")) {
            String verdict = drill.lostAcknowledged() == 0 ? "Nothing acknowledged was lost."
                    : "Acknowledged orders were lost, which acks=all promises never happens: read the nodes' logs.";
            String controller = drill.controller() == drill.killed() ? " The node killed was also the quorum's active"
                    + " controller, so the controllers first elected another among themselves." : "";
            story.say(verdict + " Each acknowledged order was on at least two brokers, and the new leader came from"
                    + " the ISR, so it had every one. The orders in flight when the leader died were retried by the"
                    + " producer and written once, by idempotence, in node " + drill.newLeader() + "'s epoch. The"
                    + " wait is the controller noticing: a node is declared dead once its heartbeats have stopped for"
                    + " broker.session.timeout.ms, and only then is a new leader chosen." + controller);
        } else if (drill.lostAcknowledged() > 0) {
            boolean one = drill.lostAcknowledged() == 1;
            story.say("With acks=1, " + drill.lostAcknowledged() + " acknowledged order" + (one ? " was" : "s were")
                    + " lost: the killed leader answered for " + (one ? "it" : "them") + " before any follower had"
                    + " fetched " + (one ? "it" : "them") + ", and on its restart it cut " + (one ? "it" : "them")
                    + " off, as broker 1 did in part one.");
        } else {
            story.say("This time no acknowledged order was lost: the followers had fetched everything before the"
                    + " kill. With acks=1 that is luck, not a promise: whatever the leader acknowledged between its"
                    + " write and the followers' next fetch would have gone with it.");
        }
    }
}
