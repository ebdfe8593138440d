package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code toykafka bench console}: throughput with and without open pages, the pages' requests, the broker's
 * threads and heap, in a report; the broker's data gone afterwards. It checks the figures are there, never a speed.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsoleBenchTest {

    @TempDir
    Path dir;

    @Test
    void a_short_run_reports_both_throughputs_the_pages_requests_and_the_brokers_threads_and_heap() throws Exception {
        Path report = dir.resolve("console.txt");
        String text = CommandRun.bench(report, "console", "--pages", "5", "--seconds", "1", "--repeats", "1").text();
        Matcher alone = Pattern.compile("no page open: +([\\d,]+) records/s").matcher(text);
        Matcher watched = Pattern.compile("5 pages open: +([\\d,]+) records/s +\\(([\\d.]+) of no page; ([\\d,]+) page"
                + " requests/s\\)").matcher(text);
        assertTrue(alone.find() && watched.find(), text);
        assertTrue(Long.parseLong(alone.group(1).replace(",", "")) > 0, text);
        assertTrue(Long.parseLong(watched.group(3).replace(",", "")) > 0, "the pages asked the broker: " + text);
        assertTrue(text.contains("broker threads:") && text.contains("heap after a GC:"), text);
        assertFalse(Files.exists(dir.resolve("console-run")), "the run's broker data is removed");
    }

    @Test
    void pages_out_of_range_are_refused_with_the_range() {
        CommandRun.assertRefused("--pages must be from 1 to 500", "bench", "console", "--pages", "0",
                "--out", dir.resolve("c.txt").toString());
    }
}
