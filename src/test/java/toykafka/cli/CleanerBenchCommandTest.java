package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench cleaner runs, reports each share of distinct keys with its baseline, and cleans up: its figures are not judged here. */
class CleanerBenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void a_small_run_reports_each_share_of_distinct_keys_against_reading_once_and_leaves_only_its_report()
            throws IOException {
        Path out = dir.resolve("cleaner.txt");
        // a map of 1 MiB holds 39,321 keys: 20,000 distinct keys fit, so each share is cleaned in one pass
        CommandRun.BenchReport bench = CommandRun.bench(out, "cleaner", "--records", "20000", "--repeats", "1",
                "--map-mib", "1");
        String report = bench.text();
        assertTrue(report.contains("toykafka bench cleaner: 20,000 records"), report);
        assertTrue(report.contains("read once") && report.contains("clean") && report.contains("ratio"), report);
        for (String share : new String[] {"1%", "10%", "100%"}) {
            String row = report.lines().filter(line -> line.strip().startsWith(share + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for " + share + " in:\n" + report));
            assertEquals(2, row.split(" MB/s").length - 1, "a clean rate and its read-once baseline: " + row);
        }
        assertTrue(report.lines().anyMatch(line -> line.matches("\\s*100%\\s+20,000 .* 1\\s+[0-9.]+ ->.*")), report);
        bench.assertOnlyTheReportIsLeft("the logs it built are removed");
    }

    @Test
    void options_out_of_range_are_refused_in_one_line_naming_the_option() {
        String reportFile = dir.resolve("c.txt").toString();
        CommandRun records = CommandRun.of("bench", "cleaner", "--records", "10", "--out", reportFile);
        assertEquals(2, records.exitCode());
        assertEquals("toykafka: --records must be from 1000 to 20000000; was 10", records.errors().strip());
        CommandRun repeats = CommandRun.of("bench", "cleaner", "--repeats", "0", "--out", reportFile);
        assertEquals(2, repeats.exitCode());
        assertEquals("toykafka: --repeats must be from 1 to 100; was 0", repeats.errors().strip());
        CommandRun mapMib = CommandRun.of("bench", "cleaner", "--map-mib", "0", "--out", reportFile);
        assertEquals(2, mapMib.exitCode());
        assertTrue(mapMib.errors().startsWith("toykafka: --map-mib must be from 1 to "), mapMib.errors());
        assertEquals(1, mapMib.errors().strip().lines().count(), mapMib.errors());
    }
}
