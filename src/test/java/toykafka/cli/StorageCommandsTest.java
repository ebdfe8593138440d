package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.Record;
import toykafka.lesson09.FileLog;
import toykafka.common.TopicConfig;

/** dump, verify and bench: lesson 8's storage tools on the command line. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StorageCommandsTest {

    @TempDir
    Path dir;
    private Path partition;

    @BeforeEach
    void writeALog() {
        try (FileLog log = FileLog.open(dir, "orders", 0, TopicConfig.defaults())) {
            log.append(Record.of("till-1", "cod", Instant.parse("2024-03-01T12:00:00Z")));
            log.append(Record.of("till-2", "chips", Instant.parse("2024-03-01T12:01:00Z")));
            partition = log.directory();
        }
    }

    private String segment() {
        return partition.resolve("00000000000000000000.log").toString();
    }

    @Test
    void help_lists_the_storage_commands_and_each_has_its_own_help() {
        CommandRun help = CommandRun.of("--help");
        assertEquals(0, help.exitCode());
        for (String command : new String[] {"dump", "verify", "bench"}) {
            assertTrue(help.out().contains(command), "--help should mention " + command + ":\n" + help.out());
        }
        CommandRun dumpHelp = CommandRun.of("dump", "--help");
        assertEquals(0, dumpHelp.exitCode());
        assertTrue(dumpHelp.out().contains("Usage: toykafka dump [-hV] [-n=N] SEGMENT"), dumpHelp.out());
        CommandRun benchLogHelp = CommandRun.of("bench", "log", "--help");
        assertEquals(0, benchLogHelp.exitCode());
        assertTrue(benchLogHelp.out().contains("--size-mib=MIB"), benchLogHelp.out());
    }

    @Test
    void dump_prints_the_records_and_says_the_segment_is_good() {
        CommandRun dump = CommandRun.of("dump", segment());
        assertEquals(0, dump.exitCode());
        assertTrue(dump.out().contains("baseOffset=0 lastOffset=0 count=1 position=0 size=77 "), dump.out());
        assertTrue(dump.out().contains("| offset=1 timestamp=2024-03-01T12:01:00Z key=\"till-2\" value=\"chips\""),
                dump.out());
        assertTrue(dump.out().contains("00000000000000000000.log: ok, 2 records"), dump.out());
    }

    @Test
    void dump_of_a_file_that_is_not_a_segment_is_a_one_line_error() {
        CommandRun dump = CommandRun.of("dump", dir.resolve("notes.txt").toString());
        assertEquals(2, dump.exitCode());
        assertEquals(1, dump.errors().lines().count(), dump.errors());
        assertTrue(dump.errors().startsWith("toykafka: '"), dump.errors());
        assertTrue(dump.errors().contains("is not a segment: a segment file is named by its base offset"),
                dump.errors());
    }

    @Test
    void verify_exits_0_for_good_segments_and_1_naming_the_damage() throws IOException {
        CommandRun good = CommandRun.of("verify", partition.toString());
        assertEquals(0, good.exitCode());
        assertTrue(good.out().contains("00000000000000000000.log: ok, 2 records"), good.out());
        try (RandomAccessFile raw = new RandomAccessFile(segment(), "rw")) {
            raw.seek(77 + 30); // the second batch's base timestamp
            raw.write(raw.read() ^ 1);
        }
        CommandRun damaged = CommandRun.of("verify", segment());
        assertEquals(1, damaged.exitCode());
        assertTrue(damaged.out().contains("00000000000000000000.log at byte 77: CRC-32C mismatch"), damaged.out());
    }

    @Test
    void verify_without_a_path_is_refused_with_usage() {
        CommandRun verify = CommandRun.of("verify");
        assertEquals(2, verify.exitCode());
        assertTrue(verify.errors().startsWith("toykafka: Missing required parameter: 'PATH'"), verify.errors());
        assertTrue(verify.errors().contains("Usage: toykafka verify"), verify.errors());
    }

    @Test
    void bench_without_a_benchmark_says_which_there_are() {
        CommandRun bench = CommandRun.of("bench");
        assertEquals(2, bench.exitCode());
        assertTrue(bench.errors().startsWith("toykafka: choose a benchmark to run: log, broker, archive, cleaner, kafka-protocol, kafka or console"),
                bench.errors());
    }

    @Test
    void bench_log_refuses_sizes_out_of_range() {
        CommandRun bench = CommandRun.of("bench", "log", "--size-mib", "0");
        assertEquals(2, bench.exitCode());
        assertEquals("toykafka: --size-mib and --repeats must be at least 1 and --fsync-ms at least 60; were 0, 3"
                + " and 3000", bench.errors().strip());
    }

    @Test
    void bench_log_refuses_a_directory_for_its_report_before_it_runs() {
        CommandRun bench = CommandRun.of("bench", "log", "--out", dir.toString());
        assertEquals(2, bench.exitCode());
        assertTrue(bench.errors().startsWith("toykafka: --out names a directory, " + dir), bench.errors());
        assertEquals("", bench.out(), "nothing was measured: the refusal came first");
    }

    @Test
    void bench_log_runs_small_and_writes_its_report_deleting_only_what_it_made() throws IOException {
        Path report = dir.resolve("bench/log.txt");
        Path mine = Files.createDirectories(dir.resolve("bench/log-work")).resolve("keep.txt");
        Files.writeString(mine, "a file the benchmark did not make");
        CommandRun bench = CommandRun.of("bench", "log", "--size-mib", "1", "--repeats", "1", "--fsync-ms", "60",
                "--out", report.toString());
        assertEquals(0, bench.exitCode());
        String text = Files.readString(report);
        assertTrue(text.contains("append log batches") && text.contains("read   log fetch"), text);
        assertBesideKafkasLog(text, "log batches", "UnifiedLog.appendAsLeader");
        assertBesideKafkasLog(text, "log fetch", "UnifiedLog.read");
        assertTrue(text.contains("8 appenders / 1 appender:"), text);
        assertTrue(text.contains("s per GiB"), text);
        assertTrue(bench.out().contains("Written to " + report), bench.out());
        assertEquals(List.of("log-work", "log.txt"), names(dir.resolve("bench")), "the benchmark removed its own"
                + " work directory, and nothing else");
        assertEquals("a file the benchmark did not make", Files.readString(mine));
    }

    @Test
    void dump_and_verify_only_read_even_what_opening_a_log_would_clean_up() throws IOException {
        Files.writeString(partition.resolve("recovery-point-offset-checkpoint.tmp"), "2\n"); // a checkpoint being written
        Files.write(partition.resolve("00000000000000000500.index"), new byte[8]);    // a deletion that stopped
        Files.write(partition.resolve("00000000000000000500.log.deleted"), new byte[0]); // after renaming its log
        Map<String, String> before = snapshot(partition);
        assertEquals(0, CommandRun.of("verify", partition.toString()).exitCode());
        assertEquals(0, CommandRun.of("dump", segment()).exitCode());
        assertEquals(before, snapshot(partition), "no file was deleted or changed");
    }

    @Test
    void relative_paths_are_taken_from_where_the_command_was_typed() throws IOException {
        String saved = System.getProperty("toykafka.cwd");
        System.setProperty("toykafka.cwd", dir.toString()); // ./toykafka passes the folder it was called from
        try {
            CommandRun dump = CommandRun.of("dump", "orders-0/00000000000000000000.log");
            assertEquals(0, dump.exitCode());
            assertTrue(dump.out().contains("key=\"till-2\" value=\"chips\""), dump.out());
            CommandRun verify = CommandRun.of("verify", "orders-0");
            assertEquals(0, verify.exitCode());
            assertTrue(verify.out().contains("00000000000000000000.log: ok, 2 records"), verify.out());
            assertEquals(0, CommandRun.of("bench", "log", "--size-mib", "1", "--repeats", "1", "--fsync-ms", "60",
                    "--out", "results/log.txt").exitCode());
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
        CommandRun verify = CommandRun.of("verify", partition.toString());
        assertEquals(2, verify.exitCode());
        assertEquals("toykafka: " + stray + " is not a segment this log can have: its name gives base offset"
                + " 99999999999999999999, but an offset is at most 9223372036854775807", verify.errors().strip());
        CommandRun dump = CommandRun.of("dump", stray.toString());
        assertEquals(2, dump.exitCode());
        assertTrue(dump.errors().strip().endsWith("but an offset is at most 9223372036854775807"), dump.errors());
    }

    /** A row per value size puts ours beside Apache Kafka's log, both measured: a figure above 0 and a ratio. */
    private static void assertBesideKafkasLog(String report, String ours, String kafkas) {
        Matcher row = Pattern.compile(" " + ours + " +(\\d+) MB/s  Kafka log +(\\d+) MB/s  ratio (\\d+\\.\\d+)  \\("
                + "[^\n]*" + Pattern.quote(kafkas)).matcher(report);
        int rows = 0;
        while (row.find()) {
            rows++;
            assertTrue(Long.parseLong(row.group(1)) > 0 && Long.parseLong(row.group(2)) > 0
                    && Double.parseDouble(row.group(3)) > 0, row.group());
        }
        assertEquals(2, rows, "one row for 100-byte and one for 1 KiB values:\n" + report);
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
