package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code toykafka bench kafka-protocol}: it runs tiny and reports every figure, all positive; bad options go first. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaProtocolBenchTest {

    /** "  1,234 records/s  5.6 MB/s": a rate as every line of the report writes it. */
    private static final String RATE = " +([\\d,]+) records/s +([\\d.]+) MB/s";

    @TempDir
    Path dir;

    @Test
    void a_small_run_reports_the_clients_and_the_log_at_both_value_sizes_with_positive_figures() throws Exception {
        Path report = dir.resolve("kafka-protocol.txt");
        CommandRun.BenchReport bench = CommandRun.bench(report, "kafka-protocol", "--megabytes", "1", "--repeats", "1");
        String text = bench.text();
        assertTrue(text.contains("values of 100 bytes, 10,000 records a run:"), text);
        assertTrue(text.contains("values of 1024 bytes, 976 records a run:"), text);
        List<MatchResult> produce = Pattern.compile("produce, KafkaProducer acks=1" + RATE + " +against"
                + " FileLog.appendBatches" + RATE + " +ratio ([\\d.]+)").matcher(text).results().toList();
        List<MatchResult> consume = Pattern.compile("consume, KafkaConsumer" + RATE + " +against FileLog.transferTo"
                + RATE + " +ratio ([\\d.]+)").matcher(text).results().toList();
        assertEquals(2, produce.size(), text);
        assertEquals(2, consume.size(), text);
        List<MatchResult> runs = Pattern.compile("run 1: ([\\d,]+) batches of ([\\d,]+) bytes on average; produce" + RATE
                + ", append" + RATE + "; consume" + RATE + ", transferTo" + RATE).matcher(text).results().toList();
        assertEquals(2, runs.size(), "a run at each value size: " + text);
        for (MatchResult line : concat(produce, consume, runs)) {
            for (int group = 1; group <= line.groupCount(); group++) {
                assertTrue(Double.parseDouble(line.group(group).replace(",", "")) > 0,
                        "figure " + group + " is positive: " + line.group());
            }
        }
        assertTrue(Pattern.compile("targets: produce 100 B [\\d.]+ \\(>= 0.8 (met|MISSED)\\); consume 100 B"
                + " [\\d.]+ \\(>= 0.8 (met|MISSED)\\); produce 1024 B .*; consume 1024 B").matcher(text).find(), text);
        assertTrue(bench.run().out().contains("Written to " + report), "it says where the report is");
        bench.assertOnlyTheReportIsLeft("the benchmark removes its broker's data and its logs, and keeps only the"
                + " report");
    }

    @Test
    void bad_options_are_refused_before_anything_runs() {
        CommandRun.assertRefused("--megabytes must be from 1 to 1000; was 0", "bench", "kafka-protocol", "--megabytes",
                "0");
        CommandRun.assertRefused("--repeats must be from 1 to 100; was 0", "bench", "kafka-protocol", "--repeats", "0");
        CommandRun.assertRefused("--out names a directory", "bench", "kafka-protocol", "--out", dir.toString());
    }

    @SafeVarargs
    private static List<MatchResult> concat(List<MatchResult>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
