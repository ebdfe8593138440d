package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static toykafka.kafka.ProxiedDrillBroker.PATIENCE;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ShareMemberDescription;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import toykafka.testing.Drill;

/**
 * The kill -9 drill for a share group: a child JVM runs the broker, which writes each share partition's state to
 * {@code __share_group_state} before it answers an acknowledgement; Kafka 4.4's {@link KafkaShareConsumer}s of one
 * share group accept every record they are given and commit their acknowledgements after every poll; the broker is
 * killed with SIGKILL after a random number of answered commits, with a poll's records of each consumer acquired and
 * accepted but not yet committed, and started again on the same data directory. The consumers outlive the kill
 * behind {@link KafkaProxy} and read on as the members they were. A record whose acceptance was answered is never
 * delivered again; one acquired but not yet answered may be; in the end every record has been accepted. No poll
 * throws; after every restart each consumer, once the restarted broker has answered its heartbeat, has records
 * accepted again, and the group has each consumer as a member once: with three consumers of six partitions, the
 * group keeps all three members, as Kafka 4.4 does.
 *
 * <p>More cycles with {@code -Dtoykafka.kafka.shareDrill.cycles=20}, other kill points with
 * {@code -Dtoykafka.kafka.shareDrill.seed=N}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaShareCrashDrillTest {

    @RegisterExtension
    static final Drill DRILL = Drill.seeded("toykafka.kafka.shareDrill.seed", 29)
            .cycles("toykafka.kafka.shareDrill.cycles", 3);
    private static final String TOPIC = "tickets";
    private static final String GROUP = "line";

    @TempDir
    Path work;

    /** Every value whose acceptance was answered. */
    private final Set<String> answered = new HashSet<>();
    /** Values delivered again after their acceptance was answered: none, if the broker keeps its word. */
    private final List<String> deliveredAgain = new ArrayList<>();
    /** What a consumer's poll() threw, and where: nothing, if the group outlives the kills. */
    private final List<String> thrown = new ArrayList<>();
    private Throwable firstThrown;
    private int deliveries;
    private int commits;

    @Test
    void no_answered_acceptance_is_delivered_again_after_kill_minus_9_and_none_is_lost() throws Exception {
        drill(1, 2, 80);
    }

    @Test
    void three_consumers_of_one_share_group_each_read_on_after_every_kill_minus_9_and_none_of_their_polls_throws()
            throws Exception {
        drill(3, 6, 40);
    }

    /**
     * The drill with {@code consumers} consumers of a topic of {@code partitions}, holding {@code perCycle} records
     * a partition for each cycle: more than its consumer takes from it in a cycle before the kill (a poll takes 20
     * records at most), so that every consumer is still given records after the last restart.
     */
    private void drill(int consumers, int partitions, int perCycle) throws Exception {
        Random random = new Random(DRILL.seed());
        int records = partitions * perCycle * (DRILL.cycles() + 1);
        try (ProxiedDrillBroker broker = new ProxiedDrillBroker(work.resolve("data"), TOPIC, partitions)) {
            String bootstrap = broker.bootstrap();
            startFromEarliest(bootstrap);
            produce(bootstrap, records, partitions);
            Map<String, KafkaShareConsumer<String, String>> line = new TreeMap<>();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap, "reconnect.backoff.max.ms", "100",
                    "retry.backoff.max.ms", "100"))) {
                for (int i = 1; i <= consumers; i++) {
                    line.put("cook-" + i, consumer(bootstrap, "cook-" + i));
                }
                line.values().forEach(consumer -> consumer.subscribe(List.of(TOPIC)));
                for (int cycle = 0; cycle <= DRILL.cycles(); cycle++) {
                    DRILL.cycle(cycle);
                    boolean last = cycle == DRILL.cycles();
                    int killAfter = last ? Integer.MAX_VALUE : 1 + random.nextInt(6);
                    String where = "cycle " + cycle + " (seed " + DRILL.seed() + ", "
                            + (last ? "after the last restart)" : "killed after " + killAfter + " commits)");
                    readOn(line, killAfter, records, where);
                    assertEquals(List.copyOf(line.keySet()), members(admin), where + ": each consumer a member, once");
                    if (!last) {
                        // records acquired and accepted, but killed before the acceptance goes out: sent again
                        line.forEach((name, consumer) -> readOnce(name, consumer, false, where));
                        assertNothingThrown(where);
                        broker.kill();
                        broker.restart();
                    }
                }
            } finally {
                line.values().forEach(KafkaShareConsumer::close);
            }
            broker.kill();
            broker.assertNoFaults("the last broker");
            assertEquals(List.of(), deliveredAgain, "a record whose acceptance was answered is never delivered again"
                    + " (seed " + DRILL.seed() + ")");
            assertEquals(records, answered.size(), "every record was accepted (seed " + DRILL.seed() + ")");
            System.out.printf("kafka share crash drill, %d consumer%s of %d partitions: %d kill -9 cycles, %d commits"
                    + " answered, %d deliveries of %d records, none accepted twice, none lost, no poll threw, each"
                    + " consumer read on after every restart (seed %d)%n", consumers, consumers == 1 ? "" : "s",
                    partitions, DRILL.cycles(), commits, deliveries, records, DRILL.seed());
        }
    }

    /**
     * Reads until every consumer has had records accepted in this cycle, and then until {@code killAfter} commits
     * of the cycle were answered or every record was. A consumer polls once the broker has answered its heartbeat
     * in this cycle (or before its first, which its first poll sends), so the records it is given come from a
     * broker that kept it in the group; once it has had records accepted it waits for the others, so that it does
     * not take the records they wait for.
     */
    private void readOn(Map<String, KafkaShareConsumer<String, String>> line, int killAfter, int records,
                        String where) throws InterruptedException {
        Map<String, Double> heartbeatsBefore = new TreeMap<>();
        line.forEach((name, consumer) -> heartbeatsBefore.put(name, heartbeats(consumer)));
        Set<String> waiting = new TreeSet<>(line.keySet());
        int commitsBefore = commits;
        long stalled = System.nanoTime() + PATIENCE.toNanos();
        while (!waiting.isEmpty() || commits - commitsBefore < killAfter && answered.size() < records) {
            assertTrue(answered.size() < records, where + ": every record was accepted, but none by " + waiting
                    + " since the cycle began");
            int before = answered.size();
            boolean polled = false;
            for (String name : waiting.isEmpty() ? line.keySet() : Set.copyOf(waiting)) {
                KafkaShareConsumer<String, String> consumer = line.get(name);
                double heartbeatsAtStart = heartbeatsBefore.get(name);
                if (heartbeatsAtStart == 0 || heartbeats(consumer) > heartbeatsAtStart) {
                    polled = true;
                    if (readOnce(name, consumer, true, where) > 0) {
                        waiting.remove(name);
                    }
                }
            }
            assertNothingThrown(where);
            if (answered.size() > before) {
                stalled = System.nanoTime() + PATIENCE.toNanos();
            } else if (!polled) {
                Thread.sleep(20); // no heartbeat answered yet
            }
            assertTrue(System.nanoTime() < stalled, where + ": no record accepted for " + PATIENCE + ", none by "
                    + waiting + " since the cycle began; accepted " + answered.size() + " of " + records);
        }
    }

    /** How many heartbeats the broker has answered {@code consumer}, as its metric {@code heartbeat-total} counts. */
    private static double heartbeats(KafkaShareConsumer<?, ?> consumer) {
        return consumer.metrics().entrySet().stream().filter(metric -> metric.getKey().name().equals(
                "heartbeat-total")).mapToDouble(metric -> ((Number) metric.getValue().metricValue()).doubleValue())
                .findFirst().orElseThrow(() -> new AssertionError("no heartbeat-total among the metrics"));
    }

    /** The group's members by client id: each consumer of the drill once, and no other. */
    private static List<String> members(Admin admin) throws Exception {
        return admin.describeShareGroups(List.of(GROUP)).all().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)
                .get(GROUP).members().stream().map(ShareMemberDescription::clientId).sorted().toList();
    }

    /**
     * One poll of {@code consumer}, accepting each record it gives, and with {@code commit} its commit: the number
     * of records whose acceptance was answered, those of each partition whose acknowledgement succeeded. What the
     * poll throws is kept in {@link #thrown}, not thrown on.
     */
    private int readOnce(String name, KafkaShareConsumer<String, String> consumer, boolean commit, String where) {
        ConsumerRecords<String, String> records;
        try {
            records = consumer.poll(Duration.ofMillis(200));
        } catch (RuntimeException e) {
            thrown.add(name + "'s poll() in " + where + " threw " + e);
            firstThrown = firstThrown == null ? e : firstThrown;
            return 0;
        }
        for (ConsumerRecord<String, String> record : records) {
            consumer.acknowledge(record, AcknowledgeType.ACCEPT);
            deliveries++;
            if (answered.contains(record.value())) {
                deliveredAgain.add(record.value() + " to " + name + " in " + where);
            }
        }
        if (!commit || records.isEmpty()) {
            return 0;
        }
        Map<TopicIdPartition, Optional<KafkaException>> results = consumer.commitSync(PATIENCE);
        Set<TopicPartition> succeeded = results.entrySet().stream().filter(result -> result.getValue().isEmpty())
                .map(result -> result.getKey().topicPartition()).collect(Collectors.toSet());
        if (!results.isEmpty() && succeeded.size() == results.size()) {
            commits++;
        }
        int before = answered.size();
        for (ConsumerRecord<String, String> record : records) {
            if (succeeded.contains(new TopicPartition(record.topic(), record.partition()))) {
                answered.add(record.value());
            }
        }
        return answered.size() - before;
    }

    private void assertNothingThrown(String where) {
        if (!thrown.isEmpty()) {
            fail(where + ": a consumer's poll() threw: " + thrown, firstThrown);
        }
    }

    private static void startFromEarliest(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, GROUP),
                    List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                            AlterConfigOp.OpType.SET)))).all().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static void produce(String bootstrap, int records, int partitions) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % partitions, null, String.valueOf(i)));
                if (i % (5 * partitions) == 5 * partitions - 1) {
                    producer.flush(); // batches of 5, so that a poll takes a few of them, not the whole topic
                }
            }
        }
    }

    /** Explicit acknowledgement, at most 20 records a fetch, and quick retries while the broker restarts. */
    private static KafkaShareConsumer<String, String> consumer(String bootstrap, String clientId) {
        Map<String, Object> config = new TreeMap<>(Map.of("bootstrap.servers", bootstrap, "group.id", GROUP,
                "client.id", clientId, "share.acknowledgement.mode", "explicit", "max.poll.records", "20",
                "share.acquire.mode", "record_limit", "reconnect.backoff.max.ms", "100",
                "retry.backoff.max.ms", "100"));
        return new KafkaShareConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }
}
