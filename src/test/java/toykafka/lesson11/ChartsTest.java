package toykafka.lesson11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The charts a learner reads: none left blank or missing for want of data, none hiding a line behind another. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ChartsTest {

    @TempDir
    Path folder;

    @Test
    void two_topics_at_the_same_rate_are_two_visible_lines_and_the_legend_says_they_coincide() {
        Instant first = Instant.parse("2026-11-23T12:00:00Z");
        Instant second = first.plusSeconds(60);
        Table stats = Table.create("topic statistics",
                InstantColumn.create("time", List.of(first, second, first, second)),
                StringColumn.create("topic", "orders", "orders", "payments", "payments"),
                DoubleColumn.create("records_in_per_s", 2.0, 3.0, 2.0, 3.0));
        XYChart chart = Charts.throughputChart(stats);
        Map<String, XYSeries> series = chart.getSeriesMap();
        assertEquals(List.of("orders", "payments (same line as orders)"), List.copyOf(series.keySet()));
        XYSeries orders = series.get("orders");
        XYSeries payments = series.get("payments (same line as orders)");
        assertNotEquals(orders.getMarker(), payments.getMarker(), "each line has its own marker");
        assertNotEquals(orders.getLineStyle(), payments.getLineStyle(), "and its own dash");
    }

    @Test
    void a_summary_with_no_rows_is_a_picture_that_says_so() throws IOException {
        Table noAges = Table.create("ages", StringColumn.create("topic"), StringColumn.create("reason"),
                DoubleColumn.create("median_age_ms"), DoubleColumn.create("max_age_ms"));
        Path chart = Charts.ageAtArchive(noAges, Map.of("kaflog", 604_800_000L), folder);
        BufferedImage image = ImageIO.read(chart.toFile());
        assertEquals(Charts.WIDTH, image.getWidth());
        assertEquals(Charts.HEIGHT, image.getHeight());
        long drawn = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                drawn += image.getRGB(x, y) == image.getRGB(0, 0) ? 0 : 1;
            }
        }
        assertTrue(drawn > 1000, "the title and the reason are written on it: " + drawn + " pixels drawn");
    }

    @Test
    void the_over_time_chart_says_it_counts_archived_records() {
        assertTrue(Charts.overTimeTitle("minute").startsWith("Archived records per minute"));
    }
}
