package toykafka.lesson19;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import toykafka.apachekafka.KafkaCluster;
import toykafka.apachekafka.KafkaJars;

/**
 * The fish-and-chips shop on a real three-node Kafka cluster: the tills send orders to one partition, replicated
 * three ways, and mid-service its leader is killed with {@code kill -9}. A watcher notes every change of leader
 * and in-sync replicas; afterwards the partition is read back and every order the tills saw acknowledged is
 * looked for.
 */
public final class ShopDrill {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** One order a millisecond at most: enough to have some in flight whenever the leader dies. */
    private static final long PACE_NANOS = 1_000_000;

    /**
     * What one drill saw.
     *
     * @param acks                 the tills' {@code acks}
     * @param sent                 orders the tills sent
     * @param acknowledged         orders the tills were told were written
     * @param failed               orders the tills were told failed (they know to send these again)
     * @param kept                 distinct orders the partition holds afterwards
     * @param lostAcknowledged     acknowledged orders the partition does not hold
     * @param duplicates           orders held more than once
     * @param controller           the active controller of the KRaft quorum when the leader was killed
     * @param killed               the leader that was killed
     * @param newLeader            the node that led afterwards
     * @param longestSilence       the longest the tills waited between two acknowledgements, around the kill
     * @param watched              each change of leader or in-sync replicas, with its time since the kill
     * @param epochs               which offsets were written in which leader epoch, read back from the batches
     */
    public record Outcome(String acks, int sent, int acknowledged, int failed, int kept, int lostAcknowledged,
                          int duplicates, int controller, int killed, int newLeader, Duration longestSilence, List<String> watched,
                          List<String> epochs) {
    }

    private ShopDrill() {
    }

    /**
     * Creates {@code topic} (one partition, the cluster's replication factor), waits until every replica is in
     * sync, and runs the service: orders until the leader has answered one, then for {@code before}; the leader
     * killed; orders until a new leader has answered one, then for {@code after}; then the killed node is started
     * again and the partition read back. Waiting for the first answer keeps the drill a drill on a busy machine,
     * where a new producer may take longer than {@code before} to send anything: the leader must have written
     * orders of its own before it dies.
     */
    public static Outcome run(KafkaCluster.Layout layout, KafkaJars jars, String topic, String acks, Duration before,
            Duration after) throws InterruptedException, ExecutionException, TimeoutException {
        String bootstrap = layout.bootstrapServers();
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            create(admin, topic);
            TopicPartitionInfo ready = awaitPartition(admin, topic,
                    info -> info.leader() != null && info.isr().size() == info.replicas().size(), "all replicas in sync");
            int killed = ready.leader().id();
            int controller = admin.describeMetadataQuorum().quorumInfo().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)
                    .leaderId();

            Watcher watcher = new Watcher(admin, topic);
            Thread watching = new Thread(watcher, "leader-watcher");
            watching.setDaemon(true);
            watching.start();
            long killedAt;
            TopicPartitionInfo moved;
            Tills tills = new Tills(bootstrap, topic, acks);
            try {
                try {
                    tills.serveUntilAcknowledgedAfter(System.nanoTime(), before);
                    killedAt = System.nanoTime();
                    KafkaCluster.kill(layout, killed);
                    moved = awaitPartition(admin, topic, info -> info.leader() != null && info.leader().id() >= 0
                            && info.leader().id() != killed, "a new leader");
                    watcher.note(moved);
                    tills.serveUntilAcknowledgedAfter(System.nanoTime(), after);
                } finally {
                    tills.close();
                }
                KafkaCluster.restart(layout, killed, jars);
                watcher.note(awaitPartition(admin, topic, info -> info.isr().size() == info.replicas().size(),
                        "node " + killed + " back in sync after its restart"));
            } finally {
                watcher.stop();
                watching.join(PATIENCE.toMillis());
            }
            ReadBack read = readBack(bootstrap, partition);
            Set<String> acknowledged = tills.acknowledged.keySet();
            int lost = (int) acknowledged.stream().filter(order -> !read.orders.contains(order)).count();
            return new Outcome(acks, tills.sent, acknowledged.size(), tills.failed.get(), read.orders.size(), lost,
                    read.duplicates, controller, killed, moved.leader().id(), tills.longestSilenceAround(killedAt),
                    watcher.story(killedAt), read.epochs);
        }
    }

    private static void create(Admin admin, String topic) throws InterruptedException, ExecutionException,
            TimeoutException {
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty()))).all()
                    .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
            throw new IllegalStateException("topic " + topic + " already exists on this cluster: the drill needs a"
                    + " topic of its own; delete it, or start the cluster in a new data directory", e);
        }
    }

    /** Asks the cluster until the topic's one partition is as wanted, and returns it so. */
    static TopicPartitionInfo awaitPartition(Admin admin, String topic,
            java.util.function.Predicate<TopicPartitionInfo> wanted, String what)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        TopicPartitionInfo seen = null;
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription described = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(10, TimeUnit.SECONDS).get(topic);
                seen = described.partitions().get(0);
                if (wanted.test(seen)) {
                    return seen;
                }
            } catch (ExecutionException | TimeoutException e) {
                // a node just died or restarted: ask again
            }
            Thread.sleep(100);
        }
        throw new TimeoutException("no " + what + " for " + topic + "-0 within " + PATIENCE.toSeconds() + " s; last"
                + " seen: " + seen);
    }

    /** The tills: one producer sending numbered orders at a steady pace, noting when each was answered. */
    private static final class Tills implements AutoCloseable {
        private final KafkaProducer<String, String> producer;
        private final String topic;
        private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        private final ConcurrentLinkedQueue<Long> answers = new ConcurrentLinkedQueue<>();
        private final AtomicInteger failed = new AtomicInteger();
        private int sent;

        Tills(String bootstrap, String topic, String acks) {
            Map<String, Object> settings = new HashMap<>();
            settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            settings.put(ProducerConfig.CLIENT_ID_CONFIG, "tills");
            settings.put(ProducerConfig.ACKS_CONFIG, acks);
            settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, acks.equals("all")); // idempotence needs acks=all
            settings.put(ProducerConfig.LINGER_MS_CONFIG, 1);
            this.producer = new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
            this.topic = topic;
        }

        void serveFor(Duration duration) throws InterruptedException {
            long until = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < until) {
                sendOne();
            }
        }

        /** Goes on until an order sent after {@code from} has been acknowledged, then for {@code more}. */
        void serveUntilAcknowledgedAfter(long from, Duration more) throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (answers.stream().noneMatch(at -> at > from)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("the tills had no acknowledgement within " + PATIENCE.toSeconds()
                            + " s");
                }
                sendOne();
            }
            serveFor(more);
        }

        private void sendOne() throws InterruptedException {
            String order = "order-" + (++sent);
            producer.send(new ProducerRecord<>(topic, 0, order, order), (metadata, failure) -> {
                if (failure == null) {
                    acknowledged.put(order, metadata.offset());
                    answers.add(System.nanoTime());
                } else {
                    failed.incrementAndGet();
                }
            });
            TimeUnit.NANOSECONDS.sleep(PACE_NANOS);
        }

        /** The longest wait between two acknowledgements in the minute after the kill, the kill's own included. */
        Duration longestSilenceAround(long killedAt) {
            List<Long> times = new ArrayList<>(answers);
            times.add(killedAt);
            times.sort(null);
            long longest = 0;
            for (int i = 1; i < times.size(); i++) {
                if (times.get(i) >= killedAt && times.get(i) - killedAt < PATIENCE.toNanos()) {
                    longest = Math.max(longest, times.get(i) - times.get(i - 1));
                }
            }
            return Duration.ofNanos(longest);
        }

        @Override
        public void close() {
            producer.close(PATIENCE); // waits for every order still being retried
        }
    }

    /** Asks the cluster who leads the partition every 100 ms, and notes each change with when it was seen. */
    private static final class Watcher implements Runnable {
        private final Admin admin;
        private final String topic;
        private final Map<Long, String> changes = new java.util.concurrent.ConcurrentSkipListMap<>();
        private volatile boolean watching = true;
        private String last = ""; // guarded by this

        Watcher(Admin admin, String topic) {
            this.admin = admin;
            this.topic = topic;
        }

        void stop() {
            watching = false;
        }

        /** Notes what the partition looks like now, if that is a change. The drill notes what it awaited, too. */
        synchronized void note(TopicPartitionInfo info) {
            String now = "leader " + (info.leader() == null || info.leader().id() < 0 ? "none"
                    : "node " + info.leader().id()) + ", in sync " + info.isr().stream().map(node -> node.id())
                    .sorted().toList();
            if (!now.equals(last)) {
                last = now;
                changes.put(System.nanoTime(), now);
            }
        }

        /** Each change, its time counted from the kill (before it, negative), the kill itself among them. */
        List<String> story(long killedAt) {
            Map<Long, String> all = new java.util.TreeMap<>(changes);
            all.put(killedAt, "the leader is killed (kill -9)");
            List<String> lines = new ArrayList<>();
            all.forEach((at, what) -> lines.add(String.format("%+7.3f s  %s", (at - killedAt) / 1e9, what)));
            return lines;
        }

        @Override
        public void run() {
            while (watching && !Thread.currentThread().isInterrupted()) {
                try {
                    note(admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic)
                            .partitions().get(0));
                } catch (InterruptedException e) {
                    return;
                } catch (ExecutionException | TimeoutException | RuntimeException e) {
                    // the node answering may be the one just killed: ask again
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private record ReadBack(Set<String> orders, int duplicates, List<String> epochs) {
    }

    /** Reads the partition from its start to its high watermark, noting each run of offsets by leader epoch. */
    private static ReadBack readBack(String bootstrap, TopicPartition partition) {
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer())) {
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
            long end = reader.endOffsets(List.of(partition)).get(partition);
            Set<String> orders = new HashSet<>();
            int duplicates = 0;
            List<String> epochs = new ArrayList<>();
            int epoch = -1;
            long firstOfEpoch = 0;
            long lastOffset = -1;
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (reader.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
                    if (!orders.add(record.value())) {
                        duplicates++;
                    }
                    int recordEpoch = record.leaderEpoch().orElse(-1);
                    if (recordEpoch != epoch) {
                        if (epoch >= 0) {
                            epochs.add("offsets " + firstOfEpoch + " to " + lastOffset + ": leader epoch " + epoch);
                        }
                        epoch = recordEpoch;
                        firstOfEpoch = record.offset();
                    }
                    lastOffset = record.offset();
                }
            }
            if (epoch >= 0) {
                epochs.add("offsets " + firstOfEpoch + " to " + lastOffset + ": leader epoch " + epoch);
            }
            if (reader.position(partition) < end) {
                throw new IllegalStateException("read " + partition + " to offset " + reader.position(partition)
                        + " of " + end + " within " + PATIENCE.toSeconds() + " s");
            }
            return new ReadBack(orders, duplicates, epochs);
        }
    }
}
