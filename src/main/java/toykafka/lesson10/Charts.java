package toykafka.lesson10;

import java.awt.Color;
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
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/** The summaries drawn as PNG files with XChart, each {@value #WIDTH} by {@value #HEIGHT} pixels. */
public final class Charts {

    public static final int WIDTH = 800;
    public static final int HEIGHT = 480;

    static {
        // Charts are drawn into images, never onto a screen: a machine without a display must draw them too.
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** Records per topic, one stacked bar segment per reason they left. */
    public static Path volume(Table volume, Path folder) {
        CategoryChart chart = categoryChart("Records archived, by topic and reason", "topic", "records");
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

    /** Records over time, a line per topic; the gaps between busy buckets are drawn as zero. */
    public static Path overTime(Table overTime, long bucketMillis, String bucketName, Path folder) {
        XYChart chart = timeChart("Records per " + bucketName + ", by their timestamps", "records per " + bucketName);
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

    /** Records per partition of each topic: an even spread is flat, a hot partition stands out. */
    public static Path keySpread(Table spread, Path folder) {
        CategoryChart chart = categoryChart("Records per partition (the key partitioner's spread)", "partition",
                "records");
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

    /** How long records lived before retention archived them, beside the topic's retention.ms. */
    public static Path ageAtArchive(Table ages, Map<String, Long> retentionMs, Path folder) {
        CategoryChart chart = categoryChart("Age at archive against retention.ms", "topic", "minutes");
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
        XYChart chart = timeChart("Produce rate from the broker's statistics", "records in per second");
        for (String topic : distinct(topicStats, "topic")) {
            Table one = topicStats.where(topicStats.stringColumn("topic").isEqualTo(topic));
            chart.addSeries(topic, dates(one, "time"), one.doubleColumn("records_in_per_s").asList());
        }
        return save(chart, folder, "throughput.png");
    }

    /** Each group's lag, summed over its partitions, at every snapshot. */
    public static Path lag(Table groupLag, Path folder) {
        XYChart chart = timeChart("Consumer group lag from the broker's statistics", "records behind");
        for (String group : distinct(groupLag, "group")) {
            Table one = groupLag.where(groupLag.stringColumn("group").isEqualTo(group));
            Map<Instant, Long> total = new LinkedHashMap<>();
            for (Row row : one) {
                total.merge(row.getInstant("time"), row.getLong("lag"), Long::sum);
            }
            chart.addSeries(group, total.keySet().stream().map(Date::from).toList(), new ArrayList<>(total.values()));
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
