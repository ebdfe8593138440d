package toykafka.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * A rolling move of three consumers from the classic protocol to Kafka 4's and back, one at a time, while records
 * flow, under the broker's default {@code group.consumer.migration.policy}: the group is upgraded when the first
 * moves, keeps the others as classic members, and is downgraded when the last moves back. What is written is what
 * both brokers must agree on: the group's type and each member's protocol as Admin describes it once the three share
 * the topic and the group is Stable, how many rebalances each classic member went through when the group was
 * upgraded (its rebalance listener's {@code onPartitionsAssigned} calls: one on Kafka 4.4, which converts the group
 * in the middle of the rebalance the first consumer's leave started), and, at the end, that every record was read
 * and none read again past a commit.
 */
final class MigrationProbe {

    private static final String TOPIC = "rolling";
    private static final int PARTITIONS = 6;
    private static final String GROUP = "rolling-cooks";
    private static final Duration CLOSE = ProbeSession.WAIT;

    private final ProbeSession session;
    private final Map<String, KafkaConsumer<String, String>> cooks = new TreeMap<>();
    /** Every record read, by partition and offset, and how many times. */
    private final Map<TopicPartition, Map<Long, Integer>> reads = new HashMap<>();
    /** The highest offset committed for each partition. */
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final List<String> readAgainPastACommit = new ArrayList<>();
    /** How many rebalances each cook's consumer finished since the last restart: its onPartitionsAssigned calls. */
    private final Map<String, Integer> rebalances = new TreeMap<>();
    /** Each cook's protocol now. */
    private final Map<String, String> protocols = new TreeMap<>();
    private int produced;

    private MigrationProbe(ProbeSession session) {
        this.session = session;
    }

    static void run(ProbeSession session) {
        session.createTopic(TOPIC, PARTITIONS, Map.of());
        MigrationProbe probe = new MigrationProbe(session);
        try {
            probe.rollingMove();
        } finally {
            probe.cooks.values().forEach(cook -> cook.close(CLOSE));
        }
    }

    private void rollingMove() {
        for (String cook : List.of("cook-1", "cook-2", "cook-3")) {
            start(cook, "classic");
        }
        settle("three classic members");
        for (String cook : List.of("cook-1", "cook-2", "cook-3")) {
            restart(cook, "consumer");
            settle(cook + " moved to the consumer protocol");
            if (cook.equals("cook-1")) { // the upgrade: Kafka rebalances the classic members once, not twice
                session.write("migration: the upgrade rebalanced each classic member " + classicRebalances());
            }
        }
        for (String cook : List.of("cook-1", "cook-2", "cook-3")) {
            restart(cook, "classic");
            settle(cook + " moved back to the classic protocol");
        }
        long readOnce = reads.values().stream().mapToLong(Map::size).sum();
        session.write("migration: " + produced + " records produced, " + readOnce + " read, none read again past a"
                + " commit " + readAgainPastACommit.isEmpty() + (readAgainPastACommit.isEmpty() ? ""
                : " " + readAgainPastACommit));
    }

    private void start(String name, String protocol) {
        Map<String, Object> settings = session.consumerSettings(GROUP, "earliest");
        settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        KafkaConsumer<String, String> cook = new KafkaConsumer<>(settings);
        cook.subscribe(List.of(TOPIC), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                rebalances.merge(name, 1, Integer::sum);
            }
        });
        cooks.put(name, cook);
        protocols.put(name, protocol);
    }

    /** Restarts a cook with another protocol; the rebalances are counted from here. */
    private void restart(String name, String protocol) {
        rebalances.clear();
        KafkaConsumer<String, String> old = cooks.remove(name);
        commit(old);
        old.close(CLOSE);
        start(name, protocol);
    }

    /**
     * Produces six records, then polls every cook until the three share the topic two partitions each and have
     * read all that was produced, and writes how Admin describes the group then.
     */
    private void settle(String when) {
        produce(PARTITIONS);
        boolean settled = await(() -> cooks.values().stream().allMatch(cook -> cook.assignment().size() == 2)
                && owners() == PARTITIONS && reads.values().stream().mapToLong(Map::size).sum() >= produced
                && allCommitted() && stable());
        session.write("migration: " + when + ": shared two each " + settled + "; " + describe());
    }

    /**
     * Whether Admin describes the group Stable: every member, classic ones too, caught up with the group's epoch, so
     * that no rebalance this step started is still to come and be counted in the next.
     */
    private boolean stable() {
        try (Admin admin = session.admin()) {
            return admin.describeConsumerGroups(List.of(GROUP)).all().get(ProbeSession.WAIT.toMillis(),
                    TimeUnit.MILLISECONDS).get(GROUP).groupState() == GroupState.STABLE;
        } catch (Exception e) {
            return false;
        }
    }

    /** The rebalances each classic cook that stayed on saw since the last restart, by client id. */
    private Map<String, Integer> classicRebalances() {
        Map<String, Integer> counts = new TreeMap<>();
        protocols.forEach((name, protocol) -> {
            if (protocol.equals("classic")) {
                counts.put(name, rebalances.getOrDefault(name, 0));
            }
        });
        return counts;
    }

    private int owners() {
        Set<TopicPartition> owned = new TreeSet<>((a, b) -> Integer.compare(a.partition(), b.partition()));
        cooks.values().forEach(cook -> owned.addAll(cook.assignment()));
        return owned.size();
    }

    private boolean allCommitted() {
        cooks.values().forEach(this::commit);
        return cooks.values().stream().allMatch(cook -> cook.assignment().stream().allMatch(partition ->
                cook.position(partition, Duration.ofSeconds(5)) == committed.getOrDefault(partition, 0L)));
    }

    private void produce(int records) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(session.producerSettings())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, "order", "order-" + (produced + i)))
                        .get(ProbeSession.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            produced += records;
        } catch (Exception e) {
            session.write("migration: producing failed: " + e.getClass().getSimpleName());
        }
    }

    /** Polls every cook, noting what it reads, until {@code done} holds; false if it never does. */
    private boolean await(BooleanSupplier done) {
        long deadline = System.nanoTime() + ProbeSession.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (KafkaConsumer<String, String> cook : cooks.values()) {
                for (ConsumerRecord<String, String> record : cook.poll(Duration.ofMillis(50))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < committed.getOrDefault(partition, 0L)) {
                        readAgainPastACommit.add(partition + "@" + record.offset());
                    }
                    reads.computeIfAbsent(partition, p -> new HashMap<>()).merge(record.offset(), 1, Integer::sum);
                }
            }
            if (done.getAsBoolean()) {
                return true;
            }
        }
        return false;
    }

    /** Commits what the cook read; a commit refused in a rebalance is left to the partition's next owner. */
    private void commit(KafkaConsumer<String, String> cook) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        try {
            cook.assignment().forEach(partition -> positions.put(partition, cook.position(partition,
                    Duration.ofSeconds(5))));
            cook.commitSync(Duration.ofSeconds(10));
            positions.forEach((partition, offset) -> committed.merge(partition, offset, Math::max));
        } catch (KafkaException refused) {
            // RebalanceInProgressException, CommitFailedException: its partitions were moving
        }
    }

    /** The group's type and each member's protocol, by client id, as Admin describes them. */
    private String describe() {
        try (Admin admin = session.admin()) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all()
                    .get(ProbeSession.WAIT.toMillis(), TimeUnit.MILLISECONDS).get(GROUP);
            return "the group is " + group.type() + ", members " + group.members().stream().map(member ->
                    member.clientId() + ":" + member.upgraded().map(upgraded -> upgraded ? "consumer" : "classic")
                            .orElse("classic")).sorted().toList();
        } catch (Exception e) {
            return "describing the group failed: " + e.getClass().getSimpleName();
        }
    }
}
