package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code toykafka bench broker}: it runs with tiny settings and reports every figure, the HTTP produce of a client in
 * another JVM against the broker's Kafka port among them; bad options go first.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BrokerBenchTest {

    /**
     * A ratio of any size: on a busy machine either side of it can be starved, so a run may report 0.04 or 37.12;
     * how fast is for the benchmark's reader, not for this test.
     */
    private static final String RATIO = "\\d+\\.\\d\\d";

    @TempDir
    Path dir;

    @Test
    void a_small_run_reports_throughput_latency_and_ratios_for_both_value_sizes() throws Exception {
        Path report = dir.resolve("broker.txt");
        CommandRun.BenchReport bench = CommandRun.bench(report, "broker", "--records", "1000", "--single", "20",
                "--repeats", "1");
        String text = bench.text();
        for (String size : new String[] {"100", "1024"}) {
            assertTrue(text.contains("values of " + size + " bytes:"), text);
        }
        Matcher produce = Pattern.compile("produce, batches of 500 +([\\d,]+) records/s .* p50 +([\\d.]+) ms  p99 +([\\d.]+) ms")
                .matcher(text);
        assertTrue(produce.find(), text);
        assertTrue(Long.parseLong(produce.group(1).replace(",", "")) > 0, "a positive rate: " + produce.group());
        assertTrue(Double.parseDouble(produce.group(2)) <= Double.parseDouble(produce.group(3)), "p50 <= p99");
        assertEquals(12, Pattern.compile("ratio " + RATIO).matcher(text).results().count(), text);
        for (String row : new String[] {"from another JVM, HTTP +([\\d,]+) records/s .*\n +against its Kafka port +([\\d,]+)",
            "read, from another JVM +([\\d,]+) records/s .*\n +against a Fetch +([\\d,]+)"}) {
            Matcher overHttp = Pattern.compile(row + " records/s .* client +\\d+ % of a core  ratio (" + RATIO + ")")
                    .matcher(text);
            for (int size = 0; size < 2; size++) {
                assertTrue(overHttp.find(), "each value size has the row " + row + ":\n" + text);
                double http = Long.parseLong(overHttp.group(1).replace(",", ""));
                double kafka = Long.parseLong(overHttp.group(2).replace(",", ""));
                // printed to two places, of rates printed whole: a ratio of 37.12 may be off by more than 0.005
                assertEquals(http / kafka, Double.parseDouble(overHttp.group(3)), 0.006 + http / kafka / 1000,
                        "the ratio is of the two rates: " + overHttp.group());
            }
        }
        assertTrue(Pattern.compile("data path append " + RATIO + " \\(>= 0.9 (met|MISSED)\\); data path read " + RATIO
                + " \\(>= 0.9 (met|MISSED)\\)").matcher(text).find(), text);
        assertTrue(Pattern.compile("5,000 reads waiting on one partition, one append: completed p50 [\\d.]+ ms").matcher(text)
                .find(), text);
        assertTrue(Pattern.compile("targets: batched produce 100 B over HTTP " + RATIO + " of the Kafka port \\(>= 0.5"
                + " (met|MISSED)\\); batched produce 1024 B over HTTP " + RATIO + " of the Kafka port \\(>= 0.5"
                + " (met|MISSED)\\)").matcher(text).find(), text);
        assertTrue(bench.run().out().contains("Written to " + report), "it says where the report is");
        bench.assertOnlyTheReportIsLeft("the benchmark removes its broker's data and keeps only the report");
    }

    @Test
    void bad_options_are_refused_before_anything_runs() {
        CommandRun.assertRefused("--records must be at least 500", "bench", "broker", "--records", "10");
        CommandRun.assertRefused("--out names a directory", "bench", "broker", "--out", dir.toString());
    }
}
