package toykafka.lesson11;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import toykafka.archive.ArchiveReader;
import toykafka.broker.Broker;
import toykafka.common.TopicConfig;
import toykafka.lesson08.PartitionDirectory;
import toykafka.storage.FileLogStorage;

/**
 * One analysis of an archive, as {@code ./toykafka analyse} runs it: read, summarize, print the tables, draw
 * the charts and write a page that shows them together. Given a broker's data directory, it also reads the
 * broker's statistics topic and each topic's {@code retention.ms}.
 */
public final class Analysis {

    /** What to read and where to write. Empty topics means every topic. */
    public record Options(List<Path> paths, Set<String> topics, Instant from, Instant until, ChronoUnit bucket,
                          int topKeys, Path out) {
    }

    /** The tables by title, the chart files, and the page. */
    public record Result(long rows, Map<String, Table> tables, List<Path> charts, Path page) {
    }

    private static final int ROWS_PRINTED = 20;
    private static final int ROWS_ON_PAGE = 200;

    private final ArchiveSummaries summaries;

    public Analysis(ArchiveSummaries summaries) {
        this.summaries = summaries;
    }

    public Result run(Options options, ArchiveReader.Progress progress, PrintStream out) {
        List<Path> archives = new ArrayList<>();
        List<Path> brokers = new ArrayList<>();
        for (Path path : options.paths()) {
            if (isBrokerDataDir(path)) {
                brokers.add(path);
                archives.add(path.resolve("archive"));
            } else {
                archives.add(path);
            }
        }
        ArchiveReader reader = ArchiveReader.of(archives).topics(options.topics().toArray(String[]::new))
                .from(options.from()).until(options.until()).onProgress(progress);
        Table archive = reader.read();
        if (archive.rowCount() == 0) {
            throw new IllegalArgumentException("no archived rows match: " + archives + (options.topics().isEmpty()
                    ? "" : " for topics " + options.topics()) + when(options.from(), options.until()));
        }

        Map<String, Table> tables = new LinkedHashMap<>();
        List<Path> charts = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        summarize(archive, options, brokers, tables, charts, empty);
        for (Path broker : brokers) {
            statistics(broker, options.out(), tables, charts);
        }
        if (brokers.isEmpty()) {
            tables.put("Broker statistics", Table.create("no broker data directory was given, so no statistics"));
        }

        out.println("Read " + archive.rowCount() + " archived records of " + archive.stringColumn("topic").countUnique()
                + " topic(s) from " + archives);
        tables.forEach((title, table) -> print(out, title, table));
        Path page = writePage(options.out(), archive.rowCount(), archives, tables, charts, empty);
        out.println();
        out.println("Charts: " + charts.stream().map(p -> p.getFileName().toString()).toList() + " in " + options.out());
        empty.forEach(note -> out.println("        " + note));
        out.println("Page:   " + page);
        return new Result(archive.rowCount(), tables, charts, page);
    }

    /** The time range asked for, in words: an unset end is "no end", not the largest instant there is. */
    static String when(Instant from, Instant until) {
        boolean start = !from.equals(Instant.MIN);
        boolean end = !until.equals(Instant.MAX);
        if (!start && !end) {
            return " at any time";
        }
        return (start ? " from " + from : " from the start") + (end ? " until " + until : " with no end");
    }

    /** The five summaries of the archive, each a table and all but the hot keys a chart. */
    private void summarize(Table archive, Options options, List<Path> brokers, Map<String, Table> tables,
                           List<Path> charts, List<String> empty) {
        Path out = options.out();
        Table volume = summaries.volume(archive);
        tables.put("Records and bytes per topic, partition and reason", volume);
        charts.add(Charts.volume(volume, out));

        String bucketName = options.bucket().toString().toLowerCase(Locale.ROOT).replaceAll("s$", "");
        Table overTime = summaries.overTime(archive, options.bucket());
        tables.put("Records per " + bucketName, overTime);
        charts.add(Charts.overTime(overTime, options.bucket().getDuration().toMillis(), bucketName, out));

        Table spread = summaries.keySpread(archive);
        tables.put("Keys across partitions", spread);
        charts.add(Charts.keySpread(spread, out));
        tables.put("Hot keys", summaries.hotKeys(archive, options.topKeys()));

        Table ages = summaries.ageAtArchive(archive);
        Map<String, Long> retention = retentionMs(brokers, new TreeSet<>(archive.stringColumn("topic").asSet()));
        tables.put("Age at archive", withRetention(ages, retention));
        Table byRetention = ages.where(ages.stringColumn("reason").isEqualTo("retention"));
        charts.add(Charts.ageAtArchive(byRetention, retention, out));
        if (byRetention.rowCount() == 0) {
            empty.add("age-at-archive.png has nothing to draw: no record here left by retention");
        }
    }

    /** What a broker's statistics topic says: its traffic per interval and its groups' lag. */
    private static void statistics(Path broker, Path out, Map<String, Table> tables, List<Path> charts) {
        BrokerStatsTables.Stats stats = BrokerStatsTables.read(broker);
        // The broker's own topics (__consumer_offsets, __broker_stats) are its bookkeeping, not its traffic.
        Table traffic = stats.topics().dropWhere(stats.topics().stringColumn("topic")
                .isIn(Broker.OFFSETS_TOPIC, Broker.STATS_TOPIC));
        if (traffic.rowCount() > 0) {
            tables.put("Broker statistics: records in and out per interval", traffic);
            charts.add(Charts.throughput(traffic, out));
        }
        if (stats.groups().rowCount() > 0) {
            tables.put("Broker statistics: consumer group lag", stats.groups());
            charts.add(Charts.lag(stats.groups(), out));
        }
    }

    /** A broker's data directory holds its archive and its statistics topic side by side. */
    public static boolean isBrokerDataDir(Path path) {
        return Files.isDirectory(path.resolve("archive")) && Files.isDirectory(path.resolve(Broker.STATS_TOPIC + "-0"));
    }

    /** Each topic's retention.ms as its topic file sets it, or Kafka's default. */
    static Map<String, Long> retentionMs(List<Path> brokers, Set<String> topics) {
        Map<String, Long> retention = new TreeMap<>();
        for (String topic : topics) {
            long value = Long.parseLong(TopicConfig.defaults().get(TopicConfig.RETENTION_MS));
            for (Path broker : brokers) {
                Path file = PartitionDirectory.resolve(broker, topic, 0).resolve(FileLogStorage.TOPIC_FILE);
                if (Files.isRegularFile(file)) {
                    Properties properties = new Properties();
                    try (InputStream in = Files.newInputStream(file)) {
                        properties.load(in);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
                    }
                    value = Long.parseLong(properties.getProperty("config." + TopicConfig.RETENTION_MS, String.valueOf(value)));
                }
            }
            retention.put(topic, value);
        }
        return retention;
    }

    // tag::join[]
    /** The ages beside each topic's retention.ms: a join of the summary with a small table of configs. */
    static Table withRetention(Table ages, Map<String, Long> retentionMs) {
        Table configs = Table.create("configs",
                StringColumn.create("topic", retentionMs.keySet()),
                LongColumn.create("retention_ms", retentionMs.values().stream().mapToLong(Long::longValue).toArray()));
        return ages.joinOn("topic").leftOuter(configs);
    }
    // end::join[]

    private static void print(PrintStream out, String title, Table table) {
        out.println();
        out.println("== " + title);
        if (table.columnCount() == 0) {
            out.println(table.name());
            return;
        }
        out.println(table.print(ROWS_PRINTED));
        if (table.rowCount() > ROWS_PRINTED) {
            out.println("(" + (table.rowCount() - ROWS_PRINTED) + " more rows on the page)");
        }
    }

    private static Path writePage(Path folder, long rows, List<Path> archives, Map<String, Table> tables, List<Path> charts,
                                  List<String> empty) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>toykafka archive analysis</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th{background:#eee}")
                .append("img{display:block;margin:1em 0;border:1px solid #ddd}</style></head><body>\n")
                .append("<h1>The archive, analysed</h1>\n<p>").append(rows).append(" archived records from ")
                .append(escape(archives.toString())).append(".</p>\n");
        empty.forEach(note -> html.append("<p>").append(escape(note)).append(".</p>\n"));
        for (Path chart : charts) {
            html.append("<img src=\"").append(escape(chart.getFileName().toString())).append("\" width=\"")
                    .append(Charts.WIDTH).append("\" height=\"").append(Charts.HEIGHT).append("\" alt=\"")
                    .append(escape(chart.getFileName().toString())).append("\">\n");
        }
        tables.forEach((title, table) -> html.append("<h2>").append(escape(title)).append("</h2>\n").append(htmlTable(table)));
        html.append("</body></html>\n");
        Path page = folder.resolve("index.html");
        try {
            Files.createDirectories(folder);
            Files.writeString(page, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + page + ": " + e.getMessage(), e);
        }
        return page;
    }

    private static String htmlTable(Table table) {
        if (table.columnCount() == 0) {
            return "<p>" + escape(table.name()) + "</p>\n";
        }
        StringBuilder html = new StringBuilder("<table><tr>");
        for (Column<?> column : table.columns()) {
            html.append("<th>").append(escape(column.name())).append("</th>");
        }
        html.append("</tr>\n");
        int shown = 0;
        for (Row row : table) {
            if (shown++ == ROWS_ON_PAGE) {
                html.append("<tr><td colspan=\"").append(table.columnCount()).append("\">")
                        .append(table.rowCount() - ROWS_ON_PAGE).append(" more rows</td></tr>\n");
                break;
            }
            html.append("<tr>");
            for (Column<?> column : table.columns()) {
                html.append("<td>").append(escape(column.getString(row.getRowNumber()))).append("</td>");
            }
            html.append("</tr>\n");
        }
        return html.append("</table>\n").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
