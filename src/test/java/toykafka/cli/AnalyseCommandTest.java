package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.lesson03.Lesson03Demo;
import toykafka.lesson11.Charts;
import toykafka.lesson11.SmallBrokerDay;
import toykafka.narration.Narrator;

/** ./toykafka analyse as a learner runs it: on a broker's data directory, on an archive, and on bad input. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AnalyseCommandTest {

    @TempDir
    static Path shared;
    private static Path broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void aBrokerWithAHistory() {
        broker = SmallBrokerDay.write(shared.resolve("broker"));
    }

    @Test
    void a_brokers_data_directory_gives_every_table_chart_and_the_page() {
        Path out = dir.resolve("analysis");
        CommandRun analyse = CommandRun.of("analyse", broker.toString(), "--out", out.toString(), "--bucket", "hour");
        assertEquals(0, analyse.exitCode(), analyse.errors());
        for (String title : new String[] {"== Records and bytes per topic, partition and reason", "== Records per hour",
            "== Keys across partitions", "== Hot keys", "== Age at archive",
            "== Broker statistics: records in and out per interval", "== Broker statistics: consumer group lag"}) {
            assertTrue(analyse.out().contains(title), title + " in:\n" + analyse.out());
        }
        for (String file : new String[] {"volume.png", "over-time.png", "key-spread.png", "age-at-archive.png",
            "throughput.png", "lag.png", "index.html"}) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
        assertTrue(analyse.out().contains("Page:   " + out.resolve("index.html")), analyse.out());
    }

    @Test
    void an_archive_folder_alone_is_analysed_without_statistics() {
        CommandRun analyse = CommandRun.of("analyse", broker.resolve("archive").toString(), "--out", dir.toString());
        assertEquals(0, analyse.exitCode(), analyse.errors());
        assertTrue(analyse.out().contains("no broker data directory was given, so no statistics"), analyse.out());
        assertFalse(Files.exists(dir.resolve("lag.png")));
    }

    @Test
    void a_topic_with_no_archived_rows_says_so() {
        CommandRun analyse = CommandRun.of("analyse", broker.toString(), "--topic", "payments", "--out",
                dir.toString());
        assertEquals(2, analyse.exitCode());
        assertTrue(analyse.errors().startsWith("toykafka: no archived rows match: "), analyse.errors());
        assertTrue(analyse.errors().contains("for topics [payments] at any time"), analyse.errors());
    }

    @Test
    void a_refusal_names_an_open_end_in_words() {
        CommandRun analyse = CommandRun.assertRefused("from 2026-05-01T00:00:00Z with no end", "analyse",
                broker.toString(), "--topic", "payments", "--from", "2026-05-01", "--out", dir.toString());
        assertFalse(analyse.errors().contains("+1000000000"), "no end is not the largest instant: " + analyse.errors());
    }

    @Test
    void an_archive_of_records_archived_on_request_only_still_gives_every_table_and_chart() throws IOException {
        Path archive = Files.writeString(dir.resolve("kaflog.csv"),
                "topic,partition,offset,timestamp,key,value,reason,archived_at\n"
                + "kaflog,0,0,2026-11-23T12:00:00Z,,first,archive,2026-11-23T12:05:00Z\n");
        Path out = dir.resolve("analysis");
        CommandRun analyse = CommandRun.of("analyse", archive.toString(), "--out", out.toString());
        assertEquals(0, analyse.exitCode(), analyse.errors());
        assertTrue(analyse.out().contains("== Age at archive"), analyse.out());
        assertTrue(analyse.out().contains("age-at-archive.png has nothing to draw: no record here left by retention"),
                analyse.out());
        for (String file : new String[] {"volume.png", "over-time.png", "key-spread.png", "age-at-archive.png"}) {
            BufferedImage image = ImageIO.read(out.resolve(file).toFile());
            assertTrue(image != null && image.getWidth() == Charts.WIDTH, file + " is a chart-sized picture");
        }
        assertTrue(Files.readString(out.resolve("index.html")).contains("age-at-archive.png has nothing to draw"));
    }

    @Test
    void the_readmes_example_on_lesson_3s_archive_finds_records() throws IOException {
        String line = Files.readAllLines(Path.of("README.adoc")).stream()
                .filter(text -> text.startsWith("./toykafka analyse data/generated/03-orders-archive.csv")).findFirst()
                .orElseThrow();
        Path archive = dir.resolve("03-orders-archive.csv");
        Lesson03Demo.narrate(new Narrator(new PrintStream(OutputStream.nullOutputStream())), archive);
        List<String> args = new ArrayList<>(List.of(line.replaceAll("#.*", "").strip().split("\\s+")));
        args.remove(0); // ./toykafka
        args.set(1, archive.toString());
        args.addAll(List.of("--out", dir.resolve("analysis").toString()));
        CommandRun analyse = CommandRun.of(args.toArray(String[]::new));
        assertEquals(0, analyse.exitCode(), line + ": " + analyse.errors());
        assertTrue(analyse.out().matches("(?s)Read [1-9][0-9]* archived records of 1 topic\\(s\\).*"), analyse.out());
    }

    @Test
    void progress_is_drawn_on_a_terminal_only() {
        long[] now = {0};
        ByteArrayOutputStream toFile = new ByteArrayOutputStream();
        AnalyseCommand.ProgressLine redirected = new AnalyseCommand.ProgressLine(new PrintStream(toFile), false,
                () -> now[0]);
        ByteArrayOutputStream toScreen = new ByteArrayOutputStream();
        AnalyseCommand.ProgressLine terminal = new AnalyseCommand.ProgressLine(new PrintStream(toScreen), true,
                () -> now[0]);
        for (int second = 1; second <= 3; second++) {
            now[0] = second * 1_000_000_000L;
            redirected.read(second * 1000L, second, 3, 1, 1);
            terminal.read(second * 1000L, second, 3, 1, 1);
        }
        redirected.finish();
        terminal.finish();
        assertEquals("", toFile.toString(), "redirected output gets no \\r lines");
        assertTrue(toScreen.toString().startsWith("\rread 1,000 rows"), toScreen.toString());
    }

    private String refusal(String... args) {
        CommandRun refused = CommandRun.of(args);
        assertEquals(2, refused.exitCode(), refused.out());
        String said = refused.errors();
        assertEquals(1, said.lines().filter(line -> line.startsWith("toykafka: ")).count(), said);
        assertFalse(said.contains("\tat "), "no stack trace: " + said);
        assertFalse(Files.exists(dir.resolve("index.html")), "no page from bad input");
        return said;
    }

    @Test
    void a_missing_path_is_named() {
        Path missing = dir.resolve("no-such-archive");
        assertTrue(refusal("analyse", missing.toString(), "--out", dir.toString())
                .contains("cannot read the archive " + missing + ": there is no such file or folder"));
    }

    @Test
    void an_empty_folder_is_refused() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertTrue(refusal("analyse", empty.toString(), "--out", dir.toString()).contains("holds no archive files"));
    }

    @Test
    void a_file_that_is_not_an_archive_is_refused_with_its_first_line() throws IOException {
        Path orders = Files.writeString(dir.resolve("orders.csv"), "till,item\n1,cod\n");
        assertTrue(refusal("analyse", orders.toString(), "--out", dir.toString())
                .contains(orders + " is not a toykafka archive: its first line is 'till,item'"));
    }

    @Test
    void a_bad_row_is_named_by_file_row_and_column() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.csv"), "topic,partition,offset,timestamp,key,value,reason,archived_at\n"
                + "orders,0,zero,2026-11-23T12:00:00Z,k,v,retention,2026-11-23T13:00:00Z\n");
        assertTrue(refusal("analyse", bad.toString(), "--out", dir.toString())
                .contains(bad + ": row 1 (line 2), column offset: 'zero' is not a whole number"));
    }

    @Test
    void options_out_of_range_are_refused_with_the_choices() {
        assertTrue(refusal("analyse", broker.toString(), "--bucket", "week").contains("choose minute, hour or day"));
        assertTrue(refusal("analyse", broker.toString(), "--from", "monday").contains("give a day such as 2026-11-23"));
        assertTrue(refusal("analyse", broker.toString(), "--from", "2026-11-24", "--until", "2026-11-23")
                .contains("must be before --until"));
        assertTrue(refusal("analyse", broker.toString(), "--top", "0").contains("--top must be 1 or more, was 0"));
    }
}
