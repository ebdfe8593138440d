package toykafka.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumer-group part of {@code bench kafka-protocol}: with tiny settings it runs end to end and reports each
 * figure's line (the figures themselves are this machine's, and not checked), and leaves nothing behind.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaGroupBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void a_tiny_run_reports_throughput_rebalance_time_and_scale() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        KafkaGroupBenchmark.Settings tiny = new KafkaGroupBenchmark.Settings(dir, 1_200, 2, 1, List.of(3, 10),
                Duration.ofMillis(1_200));
        String report = new KafkaGroupBenchmark(tiny, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        assertEquals(report, printed.toString(StandardCharsets.UTF_8), "what it prints is what it reports");
        List<String> lines = List.of(
                "^toykafka bench kafka-protocol, consumer groups: one run on this machine \\(\\d+ cores, .+\\)$",
                "group.initial.rebalance.delay.ms=0 \\(Kafka's default is 3000\\)",
                "^throughput: 1,200 records of 100 bytes in 6 partitions, produced once by a KafkaProducer .* best of 2",
                "^    run 1: group +[\\d,]+ records/s +[\\d.]+ MB/s; assign\\(\\) +[\\d,]+ records/s +[\\d.]+ MB/s$",
                "^    run 2: group ",
                "^  group of 3, subscribe\\(\\) +[\\d,]+ records/s .* against one consumer, assign\\(\\) +[\\d,]+"
                        + " records/s .* ratio [\\d.]+$",
                "^rebalance: 3 members stable, .* median of 1",
                "^    1: \\d+ ms, the survivors then owning 3 \\+ 3 partitions; the coordinator started the rebalance [\\d.]+ ms"
                        + " after close\\(\\)$",
                "^  close\\(\\) to the survivors owning every partition: median \\d+ ms \\(least \\d+, most \\d+\\); the broker"
                        + " started the rebalance a median [\\d.]+ ms after close\\(\\)",
                "^scale: groups of 2 members each, raw clients framing Kafka's JoinGroupRequestData",
                "^ +3 groups: joined and synced in [\\d.]+ s, all Stable; [\\d,]+ heartbeats in [\\d.]+ s, every one"
                        + " answered NONE; groupCount\\(\\) 3$",
                "^ +10 groups: joined and synced in .* groupCount\\(\\) 10$",
                "^ +heap [\\d.]+ MiB against [\\d.]+ MiB with no groups: [-+][\\d.]+ MiB, -?[\\d.]+ KiB a group; live"
                        + " threads \\d+ against \\d+$",
                "^ +all left in [\\d.]+ s, groupCount\\(\\) back to 0 \\(0 with no groups\\) in [\\d.]+ s; heap [\\d.]+"
                        + " MiB \\([-+][\\d.]+ MiB\\), live threads \\d+$",
                "^targets: group/assign [\\d.]+ \\(>= 0.9 (met|MISSED)\\); rebalance \\d+ ms \\(< 1000 ms (met|MISSED)\\)$",
                "^\\(the consumer-group figures took \\d+ s\\)$");
        for (String line : lines) {
            assertTrue(Pattern.compile(line, Pattern.MULTILINE).matcher(report).find(), line + " in:\n" + report);
        }
        assertEquals(2, Pattern.compile("^ +heap ", Pattern.MULTILINE).matcher(report).results().count(),
                "a heap line for each group count:\n" + report);
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "the benchmark removes its broker's data");
        }
    }

    @Test
    void settings_it_cannot_run_are_refused() {
        assertThrows(IllegalArgumentException.class,
                () -> new KafkaGroupBenchmark.Settings(dir, 5, 1, 1, List.of(1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new KafkaGroupBenchmark.Settings(dir, 600, 1, 1, List.of(), Duration.ofSeconds(1)));
        assertEquals(1_000_000, KafkaGroupBenchmark.Settings.standard(dir, 20, 3).records(),
                "bench kafka-protocol's default 20 MB make a million records of 100 bytes for the group to read");
    }
}
