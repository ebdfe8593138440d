package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.ProxiedDrillBroker.PATIENCE;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.StaleMemberEpochException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.testing.Drill;

/**
 * The kill -9 drill for a group's commits, with kafka-clients 3.9, on the classic group protocol and on Kafka 4's: a child JVM runs the broker (fsyncing every
 * append, the commits in {@code __consumer_offsets} among them); a {@link KafkaConsumer} of a group reads a topic
 * and commits after every poll; the broker is killed with SIGKILL after a random number of acknowledged commits
 * and started again on the same data directory. After each restart the group's committed offsets, read with
 * Kafka's Admin, are exactly the last commit acknowledged before the kill; then the same consumer, which outlives
 * the kill behind {@link KafkaProxy}, finds the coordinator again, joins the group afresh (the restarted broker
 * knows no members) and reads on from those offsets, until it has committed every partition's end.
 *
 * <p>More cycles with {@code -Dtoykafka.kafka.groupDrill.cycles=20}, other kill points with
 * {@code -Dtoykafka.kafka.groupDrill.seed=N}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaGroupCrashDrillTest {

    @RegisterExtension
    static final Drill DRILL = Drill.seeded("toykafka.kafka.groupDrill.seed", 13)
            .cycles("toykafka.kafka.groupDrill.cycles", 4);
    private static final String TOPIC = "tickets";
    private static final String GROUP = "kitchen";
    private static final int PARTITIONS = 2;
    private static final int RECORDS = 2000;

    @TempDir
    Path work;

    @ParameterizedTest(name = "group.protocol={0}")
    @ValueSource(strings = {"classic", "consumer"})
    void every_acknowledged_commit_is_in_force_after_kill_minus_9_and_the_group_forms_again(String protocol)
            throws Exception {
        Random random = new Random(DRILL.seed());
        try (ProxiedDrillBroker broker = new ProxiedDrillBroker(work.resolve("data"), TOPIC, PARTITIONS)) {
            String bootstrap = broker.bootstrap();
            produce(bootstrap);
            Map<TopicPartition, Long> acknowledged = new TreeMap<>(java.util.Comparator.comparing(
                    TopicPartition::toString));
            int commits = 0;
            try (KafkaConsumer<String, String> consumer = consumer(bootstrap, protocol)) {
                consumer.subscribe(List.of(TOPIC));
                for (int cycle = 0; cycle < DRILL.cycles(); cycle++) {
                    DRILL.cycle(cycle);
                    int killAfter = 1 + random.nextInt(8);
                    String where = "cycle " + cycle + " (seed " + DRILL.seed() + ", killed after " + killAfter
                            + " commits)";
                    for (int committed = 0; committed < killAfter; ) {
                        Map<TopicPartition, Long> positions = pollOnce(consumer, where);
                        if (!positions.isEmpty() && commit(consumer, positions)) {
                            acknowledged.putAll(positions);
                            committed++;
                            commits++;
                        }
                    }
                    broker.kill();
                    broker.restart();
                    assertEquals(acknowledged, committedOffsets(bootstrap), where + ": the group's offsets after the"
                            + " restart are the last ones acknowledged");
                }
                // the group forms again after the last restart, and the consumer reads every partition to its end
                DRILL.at("the reads after the last cycle");
                long deadline = System.nanoTime() + PATIENCE.toNanos();
                Map<TopicPartition, Long> ends = Map.of(new TopicPartition(TOPIC, 0), broker.child().ends[0],
                        new TopicPartition(TOPIC, 1), broker.child().ends[1]);
                while (!acknowledged.equals(ends) && System.nanoTime() < deadline) {
                    Map<TopicPartition, Long> positions = pollOnce(consumer, "after the last restart");
                    if (!positions.isEmpty() && commit(consumer, positions)) {
                        acknowledged.putAll(positions);
                        commits++;
                    }
                }
                assertEquals(ends, acknowledged, "the consumer committed every partition's end");
            }
            assertEquals(acknowledged, committedOffsets(bootstrap), "and the group holds those offsets");
            System.out.printf("kafka group crash drill (%s): %d kill -9 cycles, %d commits acknowledged, each in"
                    + " force after every restart (seed %d)%n", protocol, DRILL.cycles(), commits, DRILL.seed());
            broker.kill();
            broker.assertNoFaults("the last broker");
        }
    }

    /** The topic's records, numbered, written before the drill and flushed: the drill is about commits. */
    private static void produce(String bootstrap) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        config.put("key.serializer", StringSerializer.class.getName());
        config.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, String.valueOf(i)));
            }
            producer.flush();
        }
    }

    /**
     * The drill's consumer, of either group protocol. Kafka 4's takes its session and heartbeat from the broker (every
     * 500 ms, as the drill's broker sets it), and after a restart rejoins the group the broker no longer knows.
     */
    private static KafkaConsumer<String, String> consumer(String bootstrap, String protocol) {
        Properties config = new Properties();
        config.put("group.protocol", protocol);
        config.put("bootstrap.servers", bootstrap);
        config.put("group.id", GROUP);
        config.put("client.id", "drill-cook");
        config.put("enable.auto.commit", "false");
        config.put("auto.offset.reset", "earliest");
        config.put("max.poll.records", "50");
        if (protocol.equals("classic")) {
            config.put("session.timeout.ms", "10000");
            config.put("heartbeat.interval.ms", "1000");
        }
        // while the broker restarts, try again every 100 ms rather than backing off to a second
        config.put("reconnect.backoff.max.ms", "100");
        config.put("retry.backoff.max.ms", "100");
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    /** One poll; the position after each partition's last record read, the offset a commit names. */
    private static Map<TopicPartition, Long> pollOnce(KafkaConsumer<String, String> consumer, String where) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            assertEquals(record.offset() * PARTITIONS + record.partition(), Long.parseLong(record.value()),
                    where + ": record " + record.value() + " is at its place");
            positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
        }
        return positions;
    }

    /** commitSync: true when the broker acknowledged it; a commit fenced by a rebalance is not acknowledged. */
    private static boolean commit(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> positions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        positions.forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
        try {
            consumer.commitSync(offsets, PATIENCE);
            return true;
        } catch (CommitFailedException | RebalanceInProgressException | StaleMemberEpochException fenced) {
            return false; // the group is forming again (or the member is rejoining): the next poll joins it
        }
    }

    private static Map<TopicPartition, Long> committedOffsets(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap, "reconnect.backoff.max.ms", "100",
                "retry.backoff.max.ms", "100"))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> committed = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
            offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
            return committed;
        }
    }
}
