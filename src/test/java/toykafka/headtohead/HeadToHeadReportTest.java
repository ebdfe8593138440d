package toykafka.headtohead;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The head-to-head's arithmetic: which run is best, the median, the ratio and the target, per direction. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HeadToHeadReportTest {

    @TempDir
    Path dir;

    private static final HeadToHeadReport.Row RATE = new HeadToHeadReport.Row("produce", "records/s", "records/s", true,
            1.0, new double[] {90, 120, 100}, new double[] {100, 80, 150});
    private static final HeadToHeadReport.Row TIME = new HeadToHeadReport.Row("start-up", "ms", "ms", false, 1.0,
            new double[] {900, 1000, 1100, 950}, new double[] {2000, 1800, 2500, 2100});

    @Test
    void where_higher_is_better_the_best_is_the_highest_and_the_target_is_a_floor() {
        assertEquals(120, RATE.oursBest());
        assertEquals(150, RATE.kafkaBest());
        assertEquals(0.8, RATE.ratio(), 1e-9);
        assertEquals(1.0, RATE.medianRatio(), 1e-9, "100 against 100");
        assertFalse(RATE.met());
    }

    @Test
    void where_lower_is_better_the_best_is_the_lowest_and_the_target_is_a_ceiling() {
        assertEquals(900, TIME.oursBest());
        assertEquals(1800, TIME.kafkaBest());
        assertEquals(0.5, TIME.ratio(), 1e-9);
        assertEquals(975.0 / 2050.0, TIME.medianRatio(), 1e-9, "an even count's median is the mean of the middle two");
        assertTrue(TIME.met());
    }

    @Test
    void the_table_the_csv_and_the_chart_hold_every_row_even_ratios_far_from_parity() throws Exception {
        HeadToHeadReport report = new HeadToHeadReport();
        report.add(RATE);
        report.add(TIME);
        report.add(new HeadToHeadReport.Row("scale: 100 partitions", "records/s", "records/s", true, Double.NaN,
                new double[] {2_000_000}, new double[] {20_000}));
        report.add(new HeadToHeadReport.Row("end to end", "p99 ms", "ms", false, 1.0, new double[] {90}, new double[] {1}));

        String table = report.table("toykafka", "Apache Kafka");
        assertTrue(table.contains(">= 1.0 MISSED") && table.contains("<= 1.0 met"), table);
        assertEquals(5, table.lines().count(), "a header and a line a row");

        Path csv = dir.resolve("kafka.csv");
        report.writeCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(5, lines.size());
        assertTrue(lines.get(1).startsWith("\"produce\",records/s,records/s,higher,\"90.0000 120.0000 100.0000\","),
                lines.get(1));
        assertTrue(lines.get(1).endsWith(",0.8000,1.0000,1.0000,false"), lines.get(1));

        Path chart = dir.resolve("kafka.png");
        report.writeChart(chart, "a title");
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(Files.readAllBytes(chart), 4));
    }

    @Test
    void each_group_of_rows_gets_a_chart_of_its_own_named_after_it() throws Exception {
        HeadToHeadReport report = new HeadToHeadReport();
        report.startGroup("throughput");
        report.add(RATE);
        report.startGroup("start-up");
        report.add(TIME);
        report.startGroup("throughput"); // a group come back to keeps its one chart
        report.add(new HeadToHeadReport.Row("consume", "records/s", "records/s", true, 1.0, new double[] {5},
                new double[] {4}));
        assertEquals(List.of("throughput", "start-up"), report.groups());
        List<Path> charts = report.writeGroupCharts(dir.resolve("kafka.png"), "ours / Kafka");
        assertEquals(List.of(dir.resolve("kafka-throughput.png"), dir.resolve("kafka-start-up.png")), charts);
        for (Path chart : charts) {
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(Files.readAllBytes(chart), 4),
                    chart.toString());
        }
    }
}
