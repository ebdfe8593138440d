package toykafka.lesson11;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeSet;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * The summaries drawn as PNG files with XChart, each {@value #WIDTH} by {@value #HEIGHT} pixels. A summary
 * with no rows gets a picture that says so, in place of a chart XChart cannot draw.
 */
public final class Charts {

    public static final int WIDTH = 800;
    public static final int HEIGHT = 480;
    /** The start of what an empty chart's picture says. */
    public static final String NOTHING_TO_DRAW = "Nothing to draw: ";

    /** The statistics' lines take these in turn, so two lines that coincide still show as two. */
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.CROSS, SeriesMarkers.DIAMOND,
        SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.PLUS};
    private static final BasicStroke[] LINES = {SeriesLines.SOLID, SeriesLines.DASH_DASH, SeriesLines.DOT_DOT,
        SeriesLines.DASH_DOT};

    static {
        // Charts are drawn into images, never onto a screen: a machine without a display must draw them too.
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** Records per topic, one stacked bar segment per reason they left. */
    public static Path volume(Table volume, Path folder) {
        String title = "Records archived, by topic and reason";
        if (volume.rowCount() == 0) {
            return nothingToDraw(title, "no record was archived", folder, "volume.png");
        }
        CategoryChart chart = categoryChart(title, "topic", "records");
        chart.getStyler().setStacked(true);
        List<String> topics = distinct(volume, "topic");
        for (String reason : distinct(volume, "reason")) {
            List<Number> records = new ArrayList<>();
            for (String topic : topics) {
                records.add(sum(volume, "records", row -> row.getString("topic").equals(topic)
                        && row.getString("reason").equals(reason)));
            }
            chart.addSeries(reason, topics, records);
        }
        return save(chart, folder, "volume.png");
    }

    /** Archived records over time, a line per topic; the gaps between busy buckets are drawn as zero. */
    public static Path overTime(Table overTime, long bucketMillis, String bucketName, Path folder) {
        String title = overTimeTitle(bucketName);
        if (overTime.rowCount() == 0) {
            return nothingToDraw(title, "no record was archived", folder, "over-time.png");
        }
        XYChart chart = timeChart(title, "archived records per " + bucketName);
        for (String topic : distinct(overTime, "topic")) {
            Map<Long, Number> counts = new LinkedHashMap<>();
            for (Row row : overTime) {
                if (row.getString("topic").equals(topic)) {
                    counts.put(row.getInstant("bucket").toEpochMilli(), row.getNumber("records"));
                }
            }
            long first = counts.keySet().stream().min(Long::compare).orElseThrow();
            long last = counts.keySet().stream().max(Long::compare).orElseThrow();
            List<Date> times = new ArrayList<>();
            List<Number> records = new ArrayList<>();
            for (long bucket = first; bucket <= last; bucket += bucketMillis) {
                times.add(new Date(bucket));
                records.add(counts.getOrDefault(bucket, 0));
            }
            chart.addSeries(topic, times, records);
        }
        return save(chart, folder, "over-time.png");
    }

    /** The over-time chart counts records in the archive, not all the topic ever held. */
    static String overTimeTitle(String bucketName) {
        return "Archived records per " + bucketName + ", by their timestamps";
    }

    /** Records per partition of each topic: an even spread is flat, a hot partition stands out. */
    public static Path keySpread(Table spread, Path folder) {
        String title = "Records per partition (the key partitioner's spread)";
        if (spread.rowCount() == 0) {
            return nothingToDraw(title, "no record was archived", folder, "key-spread.png");
        }
        CategoryChart chart = categoryChart(title, "partition", "records");
        List<String> partitions = new ArrayList<>(new TreeSet<>(spread.intColumn("partition").asList()).stream()
                .map(String::valueOf).toList());
        for (String topic : distinct(spread, "topic")) {
            List<Number> records = new ArrayList<>();
            for (String partition : partitions) {
                records.add(sum(spread, "records", row -> row.getString("topic").equals(topic)
                        && String.valueOf(row.getInt("partition")).equals(partition)));
            }
            chart.addSeries(topic, partitions, records);
        }
        return save(chart, folder, "key-spread.png");
    }

    /**
     * How long records lived before retention archived them, beside the topic's retention.ms. {@code ages}
     * holds only the rows retention archived: records archived on request or by compaction left at no age.
     */
    public static Path ageAtArchive(Table ages, Map<String, Long> retentionMs, Path folder) {
        String title = "Age at archive against retention.ms";
        if (ages.rowCount() == 0) {
            return nothingToDraw(title, "no record here left by retention (reason retention), so no age to set"
                    + " against retention.ms", folder, "age-at-archive.png");
        }
        CategoryChart chart = categoryChart(title, "topic", "minutes");
        List<String> topics = distinct(ages, "topic");
        List<Number> median = new ArrayList<>();
        List<Number> oldest = new ArrayList<>();
        List<Number> retention = new ArrayList<>();
        for (String topic : topics) {
            median.add(minutes(max(ages, "median_age_ms", topic)));
            oldest.add(minutes(max(ages, "max_age_ms", topic)));
            Long configured = retentionMs.get(topic);
            retention.add(configured == null || configured < 0 ? 0 : minutes(configured));
        }
        chart.addSeries("median age", topics, median);
        chart.addSeries("oldest", topics, oldest);
        chart.addSeries("retention.ms", topics, retention);
        return save(chart, folder, "age-at-archive.png");
    }

    /** Records produced per second, as the broker counted them between its statistics snapshots. */
    public static Path throughput(Table topicStats, Path folder) {
        String title = "Produce rate from the broker's statistics";
        if (topicStats.rowCount() == 0) {
            return nothingToDraw(title, "the statistics hold no snapshot of a topic", folder, "throughput.png");
        }
        return save(throughputChart(topicStats), folder, "throughput.png");
    }

    /**
     * The produce rate chart: a line per topic, each with its own marker and dash, and a line that lies exactly
     * on an earlier one says so in the legend, so two topics at the same rate do not look like one.
     */
    static XYChart throughputChart(Table topicStats) {
        XYChart chart = timeChart("Produce rate from the broker's statistics", "records in per second");
        Map<String, List<?>> drawn = new LinkedHashMap<>();
        for (String topic : distinct(topicStats, "topic")) {
            Table one = topicStats.where(topicStats.stringColumn("topic").isEqualTo(topic));
            List<Date> times = dates(one, "time");
            List<Double> rates = one.doubleColumn("records_in_per_s").asList();
            String name = topic + sameAs(drawn, List.of(times, rates));
            distinguish(chart.addSeries(name, times, rates), drawn.size());
            drawn.put(topic, List.of(times, rates));
        }
        return chart;
    }

    /** " (same line as orders)" when these points were drawn already for a topic, else nothing. */
    private static String sameAs(Map<String, List<?>> drawn, List<?> points) {
        return drawn.entrySet().stream().filter(earlier -> earlier.getValue().equals(points)).findFirst()
                .map(earlier -> " (same line as " + earlier.getKey() + ")").orElse("");
    }

    private static void distinguish(XYSeries series, int index) {
        series.setMarker(MARKERS[index % MARKERS.length]);
        series.setLineStyle(LINES[index % LINES.length]);
    }

    /** Each group's lag, summed over its partitions, at every snapshot. */
    public static Path lag(Table groupLag, Path folder) {
        String title = "Consumer group lag from the broker's statistics";
        if (groupLag.rowCount() == 0) {
            return nothingToDraw(title, "the statistics hold no group's lag", folder, "lag.png");
        }
        XYChart chart = timeChart(title, "records behind");
        for (String group : distinct(groupLag, "group")) {
            Table one = groupLag.where(groupLag.stringColumn("group").isEqualTo(group));
            Map<Instant, Long> total = new LinkedHashMap<>();
            for (Row row : one) {
                total.merge(row.getInstant("time"), row.getLong("lag"), Long::sum);
            }
            distinguish(chart.addSeries(group, total.keySet().stream().map(Date::from).toList(),
                    new ArrayList<>(total.values())), chart.getSeriesMap().size() - 1);
        }
        return save(chart, folder, "lag.png");
    }

    private static CategoryChart categoryChart(String title, String x, String y) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(x).yAxisTitle(y).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        return chart;
    }

    private static XYChart timeChart(String title, String y) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("time (UTC)")
                .yAxisTitle(y).build();
        chart.getStyler().setTimezone(TimeZone.getTimeZone("UTC"));
        chart.getStyler().setDatePattern("HH:mm");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        return chart;
    }

    private static Path save(Chart<?, ?> chart, Path folder, String name) {
        Path file = folder.resolve(name);
        try {
            Files.createDirectories(folder);
            try (OutputStream out = Files.newOutputStream(file)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the chart " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * What a chart with no data shows: its title, and why there is nothing to draw, in place of a chart
     * XChart refuses to draw ("Y-Axis data cannot be empty").
     */
    static Path nothingToDraw(String title, String why, Path folder, String name) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.LIGHT_GRAY);
            g.drawRect(20, 50, WIDTH - 41, HEIGHT - 71);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            centred(g, List.of(title), 30);
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
            centred(g, wrapped(g.getFontMetrics(), NOTHING_TO_DRAW + why, WIDTH - 120), HEIGHT / 2);
        } finally {
            g.dispose();
        }
        Path file = folder.resolve(name);
        try {
            Files.createDirectories(folder);
            ImageIO.write(image, "png", file.toFile());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the chart " + file + ": " + e.getMessage(), e);
        }
    }

    private static void centred(Graphics2D g, List<String> lines, int firstBaseline) {
        FontMetrics metrics = g.getFontMetrics();
        for (int i = 0; i < lines.size(); i++) {
            g.drawString(lines.get(i), (WIDTH - metrics.stringWidth(lines.get(i))) / 2,
                    firstBaseline + i * metrics.getHeight());
        }
    }

    private static List<String> wrapped(FontMetrics metrics, String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (!line.isEmpty() && metrics.stringWidth(line + " " + word) > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.isEmpty() ? "" : " ").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    private static List<String> distinct(Table table, String column) {
        return new ArrayList<>(new TreeSet<>(table.stringColumn(column).asList()));
    }

    private static List<Date> dates(Table table, String column) {
        return table.instantColumn(column).asList().stream().map(Date::from).toList();
    }

    private static double sum(Table table, String column, Predicate<Row> which) {
        double total = 0;
        for (Row row : table) {
            if (which.test(row)) {
                total += row.getNumber(column);
            }
        }
        return total;
    }

    private static double max(Table table, String column, String topic) {
        double most = 0;
        for (Row row : table) {
            if (row.getString("topic").equals(topic)) {
                most = Math.max(most, row.getNumber(column));
            }
        }
        return most;
    }

    private static double minutes(double millis) {
        return millis / 60_000.0;
    }
}
