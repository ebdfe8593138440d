package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** bench archive runs, reports each measurement with its baseline, and cleans up: its figures are not judged here. */
class ArchiveBenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void a_small_run_reports_write_read_memory_and_summaries_and_leaves_only_its_report() throws IOException {
        PrintStream realOut = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int exit;
        StringWriter errors = new StringWriter();
        try {
            CommandLine commandLine = Main.commandLine();
            commandLine.setErr(new PrintWriter(errors, true));
            exit = commandLine.execute("bench", "archive", "--rows", "20000", "--repeats", "1", "--out",
                    dir.resolve("archive.txt").toString());
        } finally {
            System.setOut(realOut);
        }
        assertEquals(0, exit, errors.toString());
        String report = Files.readString(dir.resolve("archive.txt"));
        for (String measured : new String[] {"write: ", "raw FileChannel writes", "read into a table: ", "raw reads",
            "CSV tokenized alone", "memory: ", "all five summaries: "}) {
            assertTrue(report.contains(measured), measured + " in:\n" + report);
        }
        try (var left = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("archive.txt")), left.toList(), "the generated archive is removed");
        }
    }
}
