package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.lesson10.SmallBrokerDay;

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
        assertTrue(analyse.errors().contains("for topics [payments]"), analyse.errors());
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
