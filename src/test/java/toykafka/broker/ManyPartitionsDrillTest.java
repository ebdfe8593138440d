package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.InvalidPartitionsException;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;

/**
 * Partitions by the thousand under the process's real descriptor limit: created a thousand at a time, every
 * partition written, the broker restarted, partitions read back. The suite runs 1,000; the figure is
 * {@code mvn -o test -Dtest=ManyPartitionsDrillTest -Dtoykafka.partitionsDrill=10000}, which then goes on
 * creating topics of 1,000 until the budget refuses one, and prints its timings and descriptor counts.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ManyPartitionsDrillTest {

    private static final int PER_TOPIC = 1000;

    @TempDir
    Path dataDir;

    private Broker start() {
        return Broker.start(BrokerConfig.of(Map.of()).with(BrokerConfig.STATS_INTERVAL_MS, 0)
                .with(BrokerConfig.DATA_DIR, dataDir));
    }

    @Test
    void thousands_of_partitions_fit_within_the_real_limit_and_a_restart_serves_them_all() {
        Integer asked = Integer.getInteger("toykafka.partitionsDrill");
        int wanted = asked == null ? PER_TOPIC : asked;
        long openAtStart = DescriptorBudget.openNow();
        List<String> topics = new ArrayList<>();
        long began = System.nanoTime();
        try (Broker broker = start()) {
            for (int t = 0; t * PER_TOPIC < wanted; t++) {
                topics.add(broker.createTopic("many" + t, PER_TOPIC, Map.of(), OnDuplicate.FAIL));
            }
            long created = System.nanoTime();
            for (String topic : topics) {
                for (int p = 0; p < PER_TOPIC; p++) {
                    produce(broker, topic, p, topic + "/" + p);
                }
            }
            long held = DescriptorBudget.openNow() - openAtStart;
            System.out.printf("%d partitions: created in %d ms, one record each in %d ms, %d descriptors held%n",
                    topics.size() * PER_TOPIC, (created - began) / 1_000_000, (System.nanoTime() - created) / 1_000_000,
                    held);
            assertTrue(held <= (long) topics.size() * PER_TOPIC + BrokerConfig.of(Map.of()).logOpenFilesMax() + 100,
                    held + " descriptors: one per partition, and the bound on segment files");
        }
        long restartBegan = System.nanoTime();
        try (Broker restarted = start()) {
            long opened = System.nanoTime();
            for (String topic : topics) {
                for (int p = 0; p < PER_TOPIC; p += 97) {
                    assertEquals(List.of(topic + "/" + p), read(restarted, topic, p));
                }
            }
            int refusedAt = -1;
            for (int t = topics.size(); asked != null && t < 40 && refusedAt < 0; t++) {
                try {
                    restarted.createTopic("more" + t, PER_TOPIC, Map.of(), OnDuplicate.FAIL);
                } catch (InvalidPartitionsException budget) {
                    refusedAt = t;
                    System.out.println("refused: " + budget.getMessage());
                }
            }
            System.out.printf("restart opened them in %d ms; %s%n", (opened - restartBegan) / 1_000_000,
                    refusedAt < 0 ? "not filled to the budget" : "topics refused from " + refusedAt * PER_TOPIC
                            + " partitions on");
        }
    }

    private static void produce(Broker broker, String topic, int partition, String value) {
        Record record = new Record(null, value.getBytes(StandardCharsets.UTF_8), Instant.now(), List.of());
        broker.partitions().appendRecords(topic, List.of(new Partitions.ProduceRecord(partition, record)))
                .forEach(answer -> assertTrue(answer.written(), answer.message()));
    }

    private static List<String> read(Broker broker, String topic, int partition) {
        TopicPartition tp = new TopicPartition(topic, partition);
        Partitions.PartitionData data = broker.partitions().read(Partitions.FetchParams.of(tp, 0, 1 << 16,
                Duration.ZERO), ByteBuffer.allocate(1 << 16)).join().get(tp);
        return data.records(10).stream().map(r -> new String(r.record().value(), StandardCharsets.UTF_8)).toList();
    }
}
