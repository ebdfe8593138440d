package toykafka.headtohead;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;

/**
 * The head-to-head's figures: for each row, every run's figure on each broker, the best and the median, and the
 * ratio ours / Kafka of the bests. Written as a table, a CSV and charts of the ratios, one of every row and one for
 * each group of rows.
 */
final class HeadToHeadReport {

    /**
     * One measured figure on both brokers.
     *
     * @param target the ratio ours / Kafka aimed for: at least this where higher is better, at most where lower
     *               is; NaN for none
     */
    record Row(String name, String metric, String unit, boolean higherIsBetter, double target, double[] ours,
               double[] kafka) {

        double oursBest() {
            return best(ours);
        }

        double kafkaBest() {
            return best(kafka);
        }

        /** Ours over Kafka's, bests against bests. */
        double ratio() {
            return oursBest() / kafkaBest();
        }

        double medianRatio() {
            return median(ours) / median(kafka);
        }

        boolean hasTarget() {
            return !Double.isNaN(target);
        }

        boolean met() {
            return higherIsBetter ? ratio() >= target : ratio() <= target;
        }

        private double best(double[] runs) {
            return higherIsBetter ? Arrays.stream(runs).max().orElse(Double.NaN) : Arrays.stream(runs).min().orElse(Double.NaN);
        }
    }

    private final List<Row> rows = new ArrayList<>();
    /** Each row's group, by position: the rows added since the last {@link #startGroup}. */
    private final List<String> groupOfRow = new ArrayList<>();
    private String group = "rows";

    /** The rows added from now on belong to this group, and get a chart of their own. */
    void startGroup(String name) {
        group = name;
    }

    void add(Row row) {
        rows.add(row);
        groupOfRow.add(group);
    }

    /** The groups, in the order their first rows came. */
    List<String> groups() {
        return groupOfRow.stream().distinct().toList();
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    static double median(double[] runs) {
        double[] sorted = runs.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    String table(String oursName, String kafkaName) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%-44s %-10s %22s %22s %8s %8s  %s%n", "row", "metric", oursName + " best (median)",
                kafkaName + " best (median)", "ratio", "median", "target"));
        for (Row row : rows) {
            text.append(String.format(Locale.ROOT, "%-44s %-10s %22s %22s %8.2f %8.2f  %s%n", row.name(), row.metric(),
                    figure(row.oursBest(), row.unit()) + " (" + figure(median(row.ours()), row.unit()) + ")",
                    figure(row.kafkaBest(), row.unit()) + " (" + figure(median(row.kafka()), row.unit()) + ")",
                    row.ratio(), row.medianRatio(), row.hasTarget()
                            ? (row.higherIsBetter() ? ">= " : "<= ") + row.target() + (row.met() ? " met" : " MISSED") : ""));
        }
        return text.toString();
    }

    /** One line a row: its name and metric, every run on each broker, the bests, medians and the ratio. */
    void writeCsv(Path file) {
        List<String> lines = new ArrayList<>();
        lines.add("row,metric,unit,better,ours_runs,kafka_runs,ours_best,ours_median,kafka_best,kafka_median,ratio,"
                + "median_ratio,target,met");
        for (Row row : rows) {
            lines.add(String.join(",", quoted(row.name()), row.metric(), row.unit(), row.higherIsBetter() ? "higher" : "lower",
                    runs(row.ours()), runs(row.kafka()), number(row.oursBest()), number(median(row.ours())),
                    number(row.kafkaBest()), number(median(row.kafka())), number(row.ratio()), number(row.medianRatio()),
                    row.hasTarget() ? number(row.target()) : "", row.hasTarget() ? String.valueOf(row.met()) : ""));
        }
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** A bar a row of its ratio ours / Kafka, with a line at 1: every row, then a smaller chart for each group. */
    void writeChart(Path file, String title) {
        writeChart(rows, file, title, 1400, 1000);
    }

    /**
     * One chart per group, beside {@code file}, named after it and the group ({@code kafka.png} gives {@code
     * kafka-clients.png}); returns the files.
     */
    List<Path> writeGroupCharts(Path file, String title) {
        String base = file.getFileName().toString().replaceFirst("\\.png$", "");
        List<Path> written = new ArrayList<>();
        for (String name : groups()) {
            List<Row> inGroup = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                if (groupOfRow.get(i).equals(name)) {
                    inGroup.add(rows.get(i));
                }
            }
            Path chart = file.resolveSibling(base + "-" + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + ".png");
            writeChart(inGroup, chart, title + ": " + name, 900, 700);
            written.add(chart);
        }
        return written;
    }

    private static void writeChart(List<Row> rows, Path file, String title, int width, int height) {
        List<Row> shown = rows.stream().filter(row -> row.metric().equals("records/s") || row.metric().equals("ms")
                || row.metric().equals("p99 ms") && row.name().startsWith("end to end")).toList();
        List<String> names = shown.stream().map(row -> row.name() + (row.metric().equals("records/s") ? "" : " (" + row.metric()
                + ", Kafka/ours)")).toList();
        // Higher is better on every bar: a time's ratio is turned over, Kafka's time over ours.
        List<Double> ratios = shown.stream().map(row -> row.higherIsBetter() ? row.ratio() : 1 / row.ratio()).toList();
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height).title(title)
                .xAxisTitle("").yAxisTitle("ours / Apache Kafka (above 1: ours is ahead)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisLabelRotation(60);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setOverlapped(true);
        // On a log scale a ratio of 10 and one of 0.1 are as far from parity; bars stand on the lowest ratio shown.
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(Math.min(0.5, ratios.stream().mapToDouble(Double::doubleValue).min().orElse(1) / 1.5));
        chart.getStyler().setYAxisMax(Math.max(10, ratios.stream().mapToDouble(Double::doubleValue).max().orElse(1) * 1.5));
        chart.addSeries("ratio, best against best", names, ratios);
        CategorySeries parity = chart.addSeries("parity", names, names.stream().map(name -> 1.0).toList());
        parity.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        parity.setLineColor(Color.DARK_GRAY);
        parity.setMarker(new org.knowm.xchart.style.markers.None());
        try {
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static String figure(double value, String unit) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return switch (unit) {
            case "records/s" -> String.format(Locale.ROOT, "%,.0f", value);
            case "MB/s" -> String.format(Locale.ROOT, "%.1f", value);
            default -> String.format(Locale.ROOT, "%.2f", value);
        };
    }

    private static String runs(double[] runs) {
        return quoted(String.join(" ", Arrays.stream(runs).mapToObj(HeadToHeadReport::number).toList()));
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
