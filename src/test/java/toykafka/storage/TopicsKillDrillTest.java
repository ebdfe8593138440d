package toykafka.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.archive.Archive;
import toykafka.common.TopicConfig;
import toykafka.lesson04.BrokerSettings;
import toykafka.lesson04.TopicRegistry;

/**
 * Topics on disk outlive the JVM that made them: a child JVM creates, changes and deletes topics and
 * appends with flush.messages=1, is killed with SIGKILL, and the test's own JVM then finds every topic
 * as the child left it and every acknowledged record at its offset.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TopicsKillDrillTest {

    @TempDir
    Path dataDir;

    private record Ack(int partition, long offset, String value) {
    }

    @Test
    void topics_configs_deletes_and_acknowledged_records_survive_kill_minus_9_of_the_jvm() throws Exception {
        List<Ack> acked = new ArrayList<>();
        acked.addAll(runAndKill(0, 40));
        check(acked, List.of("drinks", "orders"), 3);
        acked.addAll(runAndKill(1, 60));
        check(acked, List.of("orders"), 4);
        acked.addAll(runAndKill(2, 25));
        check(acked, List.of("orders"), 4);
    }

    private List<Ack> runAndKill(int cycle, int killAfter) throws IOException, InterruptedException {
        Path errors = dataDir.resolve("child-" + cycle + ".err");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-XX:TieredStopAtLevel=1",
                TopicsKillDrillChild.class.getName(), dataDir.toString(), String.valueOf(cycle))
                .redirectError(errors.toFile())
                .start();
        List<Ack> acks = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String ready = lines.readLine();
            if (ready == null || !ready.startsWith("ready")) {
                fail("cycle " + cycle + ": the child did not start: " + ready + " " + Files.readString(errors));
            }
            String line;
            while ((line = lines.readLine()) != null) {
                String[] words = line.split(" ");
                acks.add(new Ack(Integer.parseInt(words[2]), Long.parseLong(words[3]), words[4]));
                if (acks.size() == killAfter) {
                    child.toHandle().destroyForcibly(); // SIGKILL: no close, no shutdown hook
                }
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child is gone");
        }
        assertTrue(acks.size() >= killAfter, "cycle " + cycle + ": the child stopped early: " + Files.readString(errors));
        return acks;
    }

    private void check(List<Ack> acked, List<String> topicsLeft, int partitions) {
        try (TopicRegistry topics = new TopicRegistry(BrokerSettings.STRICT, Clock.systemUTC(),
                new FileLogStorage(dataDir, Clock.systemUTC(), Archive.discard()))) {
            assertEquals(topicsLeft, topics.listTopics(), "the topics the killed JVM left");
            assertEquals(partitions, topics.describeTopic("orders").partitions());
            assertEquals(Map.of(TopicConfig.FLUSH_MESSAGES, "1", TopicConfig.RETENTION_MS, "-1"),
                    topics.describeTopic("orders").overrides(), "the config the first JVM set");
            for (Ack ack : acked) {
                assertEquals(ack.value(), topics.log("orders", ack.partition()).read(ack.offset()).valueText(),
                        "acknowledged orders-" + ack.partition() + "@" + ack.offset());
            }
        }
        assertFalse(Files.exists(dataDir.resolve("drinks-0")) && !topicsLeft.contains("drinks"),
                "a deleted topic's records are gone from disk");
    }
}
