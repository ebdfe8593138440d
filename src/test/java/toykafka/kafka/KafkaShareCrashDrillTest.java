package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
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
 * {@code __share_group_state} before it answers an acknowledgement; Kafka 4.4's {@link KafkaShareConsumer} accepts
 * every record it is given and commits its acknowledgements after every poll; the broker is killed with SIGKILL after
 * a random number of answered commits, with a poll's records acquired and accepted but not yet committed, and started
 * again on the same data directory. The consumer outlives the kill
 * behind {@link KafkaProxy}, joins the group again, and reads on. A record whose acceptance was answered is never
 * delivered again; one acquired but not yet answered may be; in the end every record has been accepted.
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
    private static final int PARTITIONS = 2;
    private static final int RECORDS = 600;

    @TempDir
    Path work;

    @Test
    void no_answered_acceptance_is_delivered_again_after_kill_minus_9_and_none_is_lost() throws Exception {
        Random random = new Random(DRILL.seed());
        try (ProxiedDrillBroker broker = new ProxiedDrillBroker(work.resolve("data"), TOPIC, PARTITIONS)) {
            String bootstrap = broker.bootstrap();
            Set<String> answered = new HashSet<>();
            List<String> deliveredAgain = new ArrayList<>();
            int deliveries = 0;
            int commits = 0;
            startFromEarliest(bootstrap);
            produce(bootstrap);
            try (KafkaShareConsumer<String, String> consumer = consumer(bootstrap)) {
                consumer.subscribe(List.of(TOPIC));
                for (int cycle = 0; cycle <= DRILL.cycles() && answered.size() < RECORDS; cycle++) {
                    DRILL.cycle(cycle);
                    int killAfter = cycle == DRILL.cycles() ? Integer.MAX_VALUE : 1 + random.nextInt(6);
                    String where = "cycle " + cycle + " (seed " + DRILL.seed() + ", killed after " + killAfter
                            + " commits)";
                    long stalled = System.nanoTime() + PATIENCE.toNanos();
                    for (int committed = 0; committed < killAfter && answered.size() < RECORDS; ) {
                        List<String> polled = new ArrayList<>();
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                            polled.add(record.value());
                            consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                        }
                        deliveries += polled.size();
                        polled.stream().filter(answered::contains).forEach(deliveredAgain::add);
                        if (polled.isEmpty()) {
                            assertTrue(System.nanoTime() < stalled, where + ": no record for " + PATIENCE
                                    + "; accepted " + answered.size() + " of " + RECORDS);
                            continue;
                        }
                        stalled = System.nanoTime() + PATIENCE.toNanos();
                        Map<TopicIdPartition, Optional<KafkaException>> results = consumer.commitSync(PATIENCE);
                        if (!results.isEmpty() && results.values().stream().allMatch(Optional::isEmpty)) {
                            answered.addAll(polled);
                            committed++;
                            commits++;
                        }
                    }
                    if (cycle < DRILL.cycles()) {
                        // records acquired and accepted, but killed before the acceptance goes out: sent again
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                            consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                            deliveries++;
                            if (answered.contains(record.value())) {
                                deliveredAgain.add(record.value());
                            }
                        }
                        broker.kill();
                        broker.restart();
                    }
                }
            }
            broker.kill();
            broker.assertNoFaults("the last broker");
            assertEquals(List.of(), deliveredAgain, "a record whose acceptance was answered is never delivered again"
                    + " (seed " + DRILL.seed() + ")");
            assertEquals(RECORDS, answered.size(), "every record was accepted (seed " + DRILL.seed() + ")");
            System.out.printf("kafka share crash drill: %d kill -9 cycles, %d commits answered, %d deliveries of %d"
                    + " records, none accepted twice, none lost (seed %d)%n", DRILL.cycles(), commits, deliveries,
                    RECORDS, DRILL.seed());
        }
    }

    private static void startFromEarliest(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, GROUP),
                    List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                            AlterConfigOp.OpType.SET)))).all().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static void produce(String bootstrap) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, String.valueOf(i)));
                if (i % 10 == 9) {
                    producer.flush(); // small batches, so that a poll takes a few of them, not the whole topic
                }
            }
        }
    }

    /** Explicit acknowledgement, at most 20 records a fetch, and quick retries while the broker restarts. */
    private static KafkaShareConsumer<String, String> consumer(String bootstrap) {
        Map<String, Object> config = new TreeMap<>(Map.of("bootstrap.servers", bootstrap, "group.id", GROUP,
                "client.id", "drill-cook", "share.acknowledgement.mode", "explicit", "max.poll.records", "20",
                "share.acquire.mode", "record_limit", "reconnect.backoff.max.ms", "100",
                "retry.backoff.max.ms", "100"));
        return new KafkaShareConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }
}
