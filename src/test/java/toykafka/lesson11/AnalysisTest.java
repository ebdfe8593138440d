package toykafka.lesson11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** The whole analysis of a broker's data directory: tables, charts that are real images, and the page. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AnalysisTest {

    @TempDir
    static Path folder;
    private static Analysis.Result result;
    private static String printed;

    @BeforeAll
    static void analyseASmallDay() {
        Path dataDir = SmallBrokerDay.write(folder.resolve("broker"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Analysis.Options options = new Analysis.Options(List.of(dataDir), Set.of(), Instant.MIN, Instant.MAX,
                ChronoUnit.MINUTES, 2, folder.resolve("analysis"));
        result = new Analysis(new TablesawSummaries()).run(options, (rows, bytes, total, done, files) -> { },
                new PrintStream(out, true, StandardCharsets.UTF_8));
        printed = out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void every_archived_record_is_counted_once() {
        Table volume = result.tables().get("Records and bytes per topic, partition and reason");
        long archived = (long) volume.numberColumn("records").sum();
        assertEquals(result.rows(), archived);
        assertEquals(40, archived, "two hours on, every order is past retention.ms, so all went to the archive");
        assertTrue(printed.contains("Read " + archived + " archived records of 1 topic(s)"), printed);
    }

    @Test
    void every_chart_is_a_png_of_the_stated_size_with_something_drawn_on_it() throws IOException {
        assertEquals(List.of("volume.png", "over-time.png", "key-spread.png", "age-at-archive.png", "throughput.png",
                "lag.png"), result.charts().stream().map(p -> p.getFileName().toString()).toList());
        for (Path chart : result.charts()) {
            BufferedImage image = ImageIO.read(chart.toFile());
            assertTrue(image != null, chart + " is not an image");
            assertEquals(Charts.WIDTH, image.getWidth(), chart.toString());
            assertEquals(Charts.HEIGHT, image.getHeight(), chart.toString());
            Set<Integer> colours = new HashSet<>();
            long notBackground = 0;
            int background = image.getRGB(0, 0);
            for (int y = 0; y < image.getHeight(); y += 2) {
                for (int x = 0; x < image.getWidth(); x += 2) {
                    int rgb = image.getRGB(x, y);
                    colours.add(rgb);
                    notBackground += rgb == background ? 0 : 1;
                }
            }
            assertTrue(colours.size() > 10, chart + " has " + colours.size() + " colours: is anything drawn?");
            assertTrue(notBackground > image.getWidth() * image.getHeight() / 4 / 50,
                    chart + " is nearly blank: " + notBackground + " sampled pixels differ from the background");
        }
    }

    @Test
    void the_page_shows_every_chart_and_every_table() throws IOException {
        String page = Files.readString(result.page());
        for (Path chart : result.charts()) {
            assertTrue(page.contains("<img src=\"" + chart.getFileName() + "\" width=\"800\" height=\"480\""), chart.toString());
        }
        for (String title : result.tables().keySet()) {
            assertTrue(page.contains("<h2>" + title.replace("&", "&amp;") + "</h2>"), title);
        }
    }

    @Test
    void the_statistics_topic_gives_each_intervals_records_and_the_groups_lag() {
        Table traffic = result.tables().get("Broker statistics: records in and out per interval");
        assertEquals(List.of(20L, 20L), traffic.longColumn("records_in").asList(),
                "each snapshot counts since the one before, not since the start");
        assertEquals(List.of(1200.0, 1200.0), traffic.doubleColumn("seconds").asList());
        Table lag = result.tables().get("Broker statistics: consumer group lag");
        assertEquals(List.of("orders-0", "orders-0"), lag.stringColumn("partition").asList());
        assertEquals(List.of(0L, 10L), lag.longColumn("lag").asList(),
                "10 committed of 10 written, then of 20");
    }

    @Test
    void age_at_archive_sits_beside_the_topics_retention_ms() {
        Table ages = result.tables().get("Age at archive");
        assertEquals(List.of(3_600_000L), ages.longColumn("retention_ms").asList());
        assertTrue(ages.longColumn("min_age_ms").get(0) >= 3_600_000L, "nothing is archived before it expires");
    }
}
