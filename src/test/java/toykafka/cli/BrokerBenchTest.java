package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code toykafka bench broker}: it runs with tiny settings and reports every figure; bad options go first. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BrokerBenchTest {

    @TempDir
    Path dir;

    private int run(StringWriter errors, ByteArrayOutputStream printed, String... args) {
        PrintStream realOut = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            CommandLine commandLine = Main.commandLine();
            commandLine.setErr(new PrintWriter(errors, true));
            return commandLine.execute(args);
        } finally {
            System.setOut(realOut);
        }
    }

    @Test
    void a_small_run_reports_throughput_latency_and_ratios_for_both_value_sizes() throws Exception {
        Path report = dir.resolve("broker.txt");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertEquals(0, run(new StringWriter(), printed, "bench", "broker", "--records", "1000", "--single", "20",
                "--repeats", "1", "--out", report.toString()));
        String text = Files.readString(report);
        for (String size : new String[] {"100", "1024"}) {
            assertTrue(text.contains("values of " + size + " bytes:"), text);
        }
        Matcher produce = Pattern.compile("produce, batches of 500 +([\\d,]+) records/s .* p50 +([\\d.]+) ms  p99 +([\\d.]+) ms")
                .matcher(text);
        assertTrue(produce.find(), text);
        assertTrue(Long.parseLong(produce.group(1).replace(",", "")) > 0, "a positive rate: " + produce.group());
        assertTrue(Double.parseDouble(produce.group(2)) <= Double.parseDouble(produce.group(3)), "p50 <= p99");
        assertEquals(6, Pattern.compile("ratio \\d+\\.\\d\\d").matcher(text).results().count(), text);
        assertTrue(Pattern.compile("targets: batched produce 100 B \\d\\.\\d\\d \\(>= 0.5 (met|MISSED)\\)").matcher(text).find(), text);
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("Written to " + report), "it says where the report is");
        try (var left = Files.list(dir)) {
            assertEquals(1, left.count(), "the benchmark removes its broker's data and keeps only the report");
        }
    }

    @Test
    void bad_options_are_refused_before_anything_runs() {
        StringWriter errors = new StringWriter();
        assertEquals(2, run(errors, new ByteArrayOutputStream(), "bench", "broker", "--records", "10"));
        assertTrue(errors.toString().contains("--records must be at least 500"), errors.toString());
        StringWriter again = new StringWriter();
        assertEquals(2, run(again, new ByteArrayOutputStream(), "bench", "broker", "--out", dir.toString()));
        assertTrue(again.toString().contains("--out names a directory"), again.toString());
    }
}
