package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.BrokerConfig;
import toykafka.common.InvalidPartitionsException;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;

/**
 * Partitions by the thousand under the process's real descriptor limit, stopped and started the three ways a
 * broker is: created a thousand at a time and every partition written; a clean stop, and a start after it;
 * one more record in every partition from a child JVM killed with SIGKILL, and a start after that, which must
 * find both records of every partition. The suite runs 1,000; the figures come from
 * {@code mvn -o test -Dtest=ManyPartitionsDrillTest -Dtoykafka.partitionsDrill=10000}, which prints how long
 * each stop and start took, then goes on creating topics of 1,000 until the budget refuses one. Speed is
 * printed, never asserted: this machine is shared.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ManyPartitionsDrillTest {

    static final int PER_TOPIC = 1000;

    @TempDir
    Path dataDir;

    static Broker start(Path dataDir) {
        return Broker.start(BrokerConfig.of(Map.of()).with(BrokerConfig.STATS_INTERVAL_MS, 0)
                .with(BrokerConfig.DATA_DIR, dataDir));
    }

    @Test
    void thousands_of_partitions_fit_the_real_limit_and_survive_a_clean_stop_and_a_kill() throws Exception {
        Integer asked = Integer.getInteger("toykafka.partitionsDrill");
        int wanted = asked == null ? PER_TOPIC : asked;
        long openAtStart = DescriptorBudget.openNow();
        List<String> topics = new ArrayList<>();
        long began = System.nanoTime();
        Broker broker = start(dataDir);
        try {
            for (int t = 0; t * PER_TOPIC < wanted; t++) {
                topics.add(broker.createTopic("many" + t, PER_TOPIC, Map.of(), OnDuplicate.FAIL));
            }
            long created = System.nanoTime();
            for (String topic : topics) {
                for (int p = 0; p < PER_TOPIC; p++) {
                    produce(broker, topic, p, firstValue(topic, p));
                }
            }
            long held = DescriptorBudget.openNow() - openAtStart;
            System.out.printf("%d partitions: created in %d ms, one record each in %d ms, %d descriptors held%n",
                    topics.size() * PER_TOPIC, (created - began) / 1_000_000, millisSince(created), held);
            assertTrue(held <= (long) topics.size() * PER_TOPIC + BrokerConfig.of(Map.of()).logOpenFilesMax() + 100,
                    held + " descriptors: one per partition, and the bound on segment files");
        } finally {
            long stopBegan = System.nanoTime();
            broker.close();
            System.out.printf("clean stop in %d ms%n", millisSince(stopBegan));
        }

        long restartBegan = System.nanoTime();
        try (Broker restarted = start(dataDir)) {
            System.out.printf("start after the clean stop in %d ms%n", millisSince(restartBegan));
            everyPartitionHolds(restarted, topics, 1);
        }

        killAfterASecondRecordEach(topics);
        long recoveryBegan = System.nanoTime();
        try (Broker recovered = start(dataDir)) {
            System.out.printf("start after kill -9 in %d ms%n", millisSince(recoveryBegan));
            everyPartitionHolds(recovered, topics, 2);
            int refusedAt = -1;
            for (int t = topics.size(); asked != null && t < 40 && refusedAt < 0; t++) {
                try {
                    recovered.createTopic("more" + t, PER_TOPIC, Map.of(), OnDuplicate.FAIL);
                } catch (InvalidPartitionsException budget) {
                    refusedAt = t;
                    System.out.println("refused: " + budget.getMessage());
                }
            }
            System.out.println(refusedAt < 0 ? "not filled to the budget"
                    : "topics refused from " + refusedAt * PER_TOPIC + " partitions on");
        }
    }

    /** A child JVM starts the broker, appends a second record to every partition, and is killed once all are acked. */
    private void killAfterASecondRecordEach(List<String> topics) throws IOException, InterruptedException {
        Path errors = dataDir.getParent().resolve(dataDir.getFileName() + "-child.err");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                ManyPartitionsDrillChild.class.getName(), dataDir.toString(), String.join(",", topics))
                .redirectError(errors.toFile()).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String acked = lines.readLine();
            assertEquals("acked " + topics.size() * PER_TOPIC, acked, () -> "the child stopped early: " + stderr(errors));
        } finally {
            child.destroyForcibly(); // SIGKILL: no close, no flush, no marker
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child is gone");
        }
    }

    private static String stderr(Path errors) {
        try {
            return Files.readString(errors);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** Every partition, not a sample: a start that skipped recovering one would show here. */
    private static void everyPartitionHolds(Broker broker, List<String> topics, int records) {
        for (String topic : topics) {
            for (int p = 0; p < PER_TOPIC; p++) {
                List<String> expected = records == 1 ? List.of(firstValue(topic, p))
                        : List.of(firstValue(topic, p), secondValue(topic, p));
                assertEquals(expected, read(broker, topic, p), topic + "-" + p);
            }
        }
    }

    static String firstValue(String topic, int partition) {
        return topic + "/" + partition;
    }

    static String secondValue(String topic, int partition) {
        return topic + "/" + partition + "/again";
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    static void produce(Broker broker, String topic, int partition, String value) {
        Record record = new Record(null, value.getBytes(StandardCharsets.UTF_8), Instant.now(), List.of());
        broker.partitions().appendRecords(topic, List.of(new Partitions.ProduceRecord(partition, record)))
                .forEach(answer -> assertTrue(answer.written(), answer.message()));
    }

    private static List<String> read(Broker broker, String topic, int partition) {
        TopicPartition tp = new TopicPartition(topic, partition);
        PartitionData data = broker.partitions().read(FetchParams.of(tp, 0, 1 << 16,
                Duration.ZERO), ByteBuffer.allocate(1 << 16)).join().get(tp);
        return data.records(10).stream().map(r -> new String(r.record().value(), StandardCharsets.UTF_8)).toList();
    }
}
