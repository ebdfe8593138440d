package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench archive runs, reports each measurement with its baseline, and cleans up: its figures are not judged here. */
class ArchiveBenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void a_small_run_reports_write_read_memory_and_summaries_and_leaves_only_its_report() throws IOException {
        String report = CommandRun.bench(dir.resolve("archive.txt"), "archive", "--rows", "20000", "--repeats", "1")
                .text();
        for (String measured : new String[] {"write: ", "raw FileChannel writes", "read into a table: ", "raw reads",
            "CSV tokenized alone", "memory: ", "all five summaries: "}) {
            assertTrue(report.contains(measured), measured + " in:\n" + report);
        }
        try (var left = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("archive.txt")), left.toList(), "the generated archive is removed");
        }
    }
}
