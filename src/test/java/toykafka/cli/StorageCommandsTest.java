package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import toykafka.common.Record;
import toykafka.lesson08.FileLog;
import toykafka.common.TopicConfig;

/** dump, verify and bench: lesson 8's storage tools on the command line. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StorageCommandsTest {

    @TempDir
    Path dir;
    private Path partition;
    private final PrintStream realOut = System.out;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final StringWriter errors = new StringWriter();

    @BeforeEach
    void writeALogAndCapture() {
        try (FileLog log = FileLog.open(dir, "orders", 0, TopicConfig.defaults())) {
            log.append(Record.of("till-1", "cod", Instant.parse("2024-03-01T12:00:00Z")));
            log.append(Record.of("till-2", "chips", Instant.parse("2024-03-01T12:01:00Z")));
            partition = log.directory();
        }
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void release() {
        System.setOut(realOut);
    }

    private int run(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(errors, true));
        return commandLine.execute(args);
    }

    private String out() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private String segment() {
        return partition.resolve("00000000000000000000.log").toString();
    }

    @Test
    void help_lists_the_storage_commands_and_each_has_its_own_help() {
        assertEquals(0, run("--help"));
        for (String command : new String[] {"dump", "verify", "bench"}) {
            assertTrue(out().contains(command), "--help should mention " + command + ":\n" + out());
        }
        assertEquals(0, run("dump", "--help"));
        assertTrue(out().contains("Usage: toykafka dump [-hV] [-n=N] SEGMENT"), out());
        assertEquals(0, run("bench", "log", "--help"));
        assertTrue(out().contains("--size-mib=MIB"), out());
    }

    @Test
    void dump_prints_the_records_and_says_the_segment_is_good() {
        assertEquals(0, run("dump", segment()));
        assertTrue(out().contains("baseOffset=0 lastOffset=0 count=1 position=0 size=77 "), out());
        assertTrue(out().contains("| offset=1 timestamp=2024-03-01T12:01:00Z key=\"till-2\" value=\"chips\""), out());
        assertTrue(out().contains("00000000000000000000.log: ok, 2 records"), out());
    }

    @Test
    void dump_of_a_file_that_is_not_a_segment_is_a_one_line_error() {
        assertEquals(2, run("dump", dir.resolve("notes.txt").toString()));
        assertEquals(1, errors.toString().lines().count(), errors.toString());
        assertTrue(errors.toString().startsWith("toykafka: '"), errors.toString());
        assertTrue(errors.toString().contains("is not a segment: a segment file is named by its base offset"),
                errors.toString());
    }

    @Test
    void verify_exits_0_for_good_segments_and_1_naming_the_damage() throws IOException {
        assertEquals(0, run("verify", partition.toString()));
        assertTrue(out().contains("00000000000000000000.log: ok, 2 records"), out());
        try (RandomAccessFile raw = new RandomAccessFile(segment(), "rw")) {
            raw.seek(77 + 30); // the second batch's base timestamp
            raw.write(raw.read() ^ 1);
        }
        assertEquals(1, run("verify", segment()));
        assertTrue(out().contains("00000000000000000000.log at byte 77: CRC-32C mismatch"), out());
    }

    @Test
    void verify_without_a_path_is_refused_with_usage() {
        assertEquals(2, run("verify"));
        assertTrue(errors.toString().startsWith("toykafka: Missing required parameter: 'PATH'"), errors.toString());
        assertTrue(errors.toString().contains("Usage: toykafka verify"), errors.toString());
    }

    @Test
    void bench_without_a_benchmark_says_which_there_are() {
        assertEquals(2, run("bench"));
        assertTrue(errors.toString().startsWith("toykafka: choose a benchmark to run: log, broker, archive or cleaner"), errors.toString());
    }

    @Test
    void bench_log_refuses_sizes_out_of_range() {
        assertEquals(2, run("bench", "log", "--size-mib", "0"));
        assertEquals("toykafka: --size-mib and --repeats must be at least 1 and --fsync-ms at least 60; were 0, 3"
                + " and 3000", errors.toString().strip());
    }

    @Test
    void bench_log_refuses_a_directory_for_its_report_before_it_runs() {
        assertEquals(2, run("bench", "log", "--out", dir.toString()));
        assertTrue(errors.toString().startsWith("toykafka: --out names a directory, " + dir), errors.toString());
        assertEquals("", out(), "nothing was measured: the refusal came first");
    }

    @Test
    void bench_log_runs_small_and_writes_its_report_deleting_only_what_it_made() throws IOException {
        Path report = dir.resolve("bench/log.txt");
        Path mine = Files.createDirectories(dir.resolve("bench/log-work")).resolve("keep.txt");
        Files.writeString(mine, "a file the benchmark did not make");
        assertEquals(0, run("bench", "log", "--size-mib", "1", "--repeats", "1", "--fsync-ms", "60",
                "--out", report.toString()));
        String text = Files.readString(report);
        assertTrue(text.contains("append log batches") && text.contains("read   log fetch"), text);
        assertTrue(text.contains("8 appenders / 1 appender:"), text);
        assertTrue(text.contains("s per GiB"), text);
        assertTrue(out().contains("Written to " + report), out());
        assertEquals(List.of("log-work", "log.txt"), names(dir.resolve("bench")), "the benchmark removed its own"
                + " work directory, and nothing else");
        assertEquals("a file the benchmark did not make", Files.readString(mine));
    }

    @Test
    void dump_and_verify_only_read_even_what_opening_a_log_would_clean_up() throws IOException {
        Files.writeString(partition.resolve("recovery-point-offset-checkpoint.tmp"), "2\n"); // a checkpoint being written
        Files.write(partition.resolve("00000000000000000500.index"), new byte[8]);    // an index whose log went
        Map<String, String> before = snapshot(partition);
        assertEquals(0, run("verify", partition.toString()));
        assertEquals(0, run("dump", segment()));
        assertEquals(before, snapshot(partition), "no file was deleted or changed");
    }

    @Test
    void relative_paths_are_taken_from_where_the_command_was_typed() throws IOException {
        String saved = System.getProperty("toykafka.cwd");
        System.setProperty("toykafka.cwd", dir.toString()); // ./toykafka passes the folder it was called from
        try {
            assertEquals(0, run("dump", "orders-0/00000000000000000000.log"));
            assertTrue(out().contains("key=\"till-2\" value=\"chips\""), out());
            assertEquals(0, run("verify", "orders-0"));
            assertTrue(out().contains("00000000000000000000.log: ok, 2 records"), out());
            assertEquals(0, run("bench", "log", "--size-mib", "1", "--repeats", "1", "--fsync-ms", "60",
                    "--out", "results/log.txt"));
            assertTrue(Files.isRegularFile(dir.resolve("results/log.txt")), "the report went where it was asked");
        } finally {
            if (saved == null) {
                System.clearProperty("toykafka.cwd");
            } else {
                System.setProperty("toykafka.cwd", saved);
            }
        }
    }

    @Test
    void a_segment_name_past_the_largest_offset_is_refused_naming_the_file_and_the_limit() throws IOException {
        Path stray = Files.write(partition.resolve("99999999999999999999.log"), new byte[0]);
        assertEquals(2, run("verify", partition.toString()));
        assertEquals("toykafka: " + stray + " is not a segment this log can have: its name gives base offset"
                + " 99999999999999999999, but an offset is at most 9223372036854775807", errors.toString().strip());
        assertEquals(2, run("dump", stray.toString()));
        assertTrue(errors.toString().strip().endsWith("but an offset is at most 9223372036854775807"), errors.toString());
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static Map<String, String> snapshot(Path folder) throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (String name : names(folder)) {
            files.put(name, HexFormat.of().formatHex(Files.readAllBytes(folder.resolve(name))));
        }
        return files;
    }
}
