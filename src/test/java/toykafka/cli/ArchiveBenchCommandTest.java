package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench archive runs, reports each measurement with its baseline, and cleans up: its figures are not judged here. */
class ArchiveBenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void a_small_run_reports_write_read_memory_and_summaries_and_leaves_only_its_report() throws IOException {
        CommandRun.BenchReport bench = CommandRun.bench(dir.resolve("archive.txt"), "archive", "--rows", "20000",
                "--repeats", "1");
        String report = bench.text();
        for (String measured : new String[] {"write: ", "raw FileChannel writes", "read into a table: ", "raw reads",
            "CSV tokenized alone", "memory: ", "all five summaries: "}) {
            assertTrue(report.contains(measured), measured + " in:\n" + report);
        }
        bench.assertOnlyTheReportIsLeft("the generated archive is removed");
    }
}
