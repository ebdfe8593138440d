package toykafka.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import toykafka.archive.ArchiveReader;
import toykafka.lesson11.Analysis;
import toykafka.lesson11.Lesson11Demo;
import toykafka.lesson11.TablesawSummaries;

/** {@code toykafka analyse [PATH...]}: lesson 11's summaries, charts and page for an archive. */
@Command(name = "analyse", aliases = "analyze", mixinStandardHelpOptions = true,
        description = {"Reads an archive with Tablesaw, prints summary tables, and writes PNG charts and an HTML"
                + " page that shows them together (lesson 11).",
            "PATH is a broker's data directory (its archive, statistics topic and topic configs are all read),"
                + " an archive folder, or archive CSV files."})
final class AnalyseCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "what to read (default: the broker's data directory, data/generated/broker)")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--topic", paramLabel = "TOPIC", description = "only this topic; repeat for more (default: all)")
    List<String> topics = new ArrayList<>();

    @Option(names = "--from", paramLabel = "TIME", converter = TimeConverter.class,
            description = "only records with a timestamp at or after TIME: 2026-11-23 or 2026-11-23T12:00:00Z")
    Instant from = Instant.MIN;

    @Option(names = "--until", paramLabel = "TIME", converter = TimeConverter.class,
            description = "only records with a timestamp before TIME")
    Instant until = Instant.MAX;

    @Option(names = "--bucket", paramLabel = "SIZE", converter = BucketConverter.class,
            description = "the time bucket for records over time: minute, hour or day (default: minute)")
    ChronoUnit bucket = ChronoUnit.MINUTES;

    @Option(names = "--top", paramLabel = "N", description = "how many hot keys per topic (default: 5)")
    int top = 5;

    @Option(names = "--out", paramLabel = "DIR", description = "where the charts and page go (default: data/generated/analysis)")
    Path out = Path.of("data", "generated", "analysis");

    private static final Path DEFAULT_BROKER = Path.of("data", "generated", "broker");

    @Override
    public Integer call() {
        if (top < 1) {
            throw new IllegalArgumentException("--top must be 1 or more, was " + top);
        }
        if (!from.isBefore(until)) {
            throw new IllegalArgumentException("--from (" + from + ") must be before --until (" + until + ")");
        }
        List<Path> typed = paths.isEmpty() ? List.of(defaultBroker()) : paths.stream().map(DumpCommand::typed).toList();
        Analysis.Options options = new Analysis.Options(typed, new LinkedHashSet<>(topics), from, until, bucket, top,
                DumpCommand.typed(out));
        ProgressLine progress = new ProgressLine(Main.err(), Terminal.isErrorTerminal(), System::nanoTime);
        new Analysis(new TablesawSummaries()).run(options, progress, Main.out());
        progress.finish();
        return 0;
    }

    /** The default broker's data directory, which exists only once a broker has run with the defaults. */
    private static Path defaultBroker() {
        Path broker = DumpCommand.typed(DEFAULT_BROKER);
        if (!Files.exists(broker)) {
            throw new IllegalArgumentException("there is no archive to analyse yet: with no PATH this reads the"
                    + " default broker's data directory, " + DEFAULT_BROKER + ", which a broker started with"
                    + " ./toykafka broker makes. Start one and produce to it, or analyse the archive the tour's"
                    + " day at the shop leaves: ./toykafka analyse " + Lesson11Demo.BROKER_DATA);
        }
        return broker;
    }

    /**
     * Reading progress on one line, at most once a second, and only when reading takes that long; only on a
     * terminal, where {@code \r} redraws the line: in a file or a pipe it would be a pile of half lines.
     */
    static final class ProgressLine implements ArchiveReader.Progress {
        private final PrintStream err;
        private final boolean terminal;
        private final LongSupplier nanoTime;
        private final long started;
        private long lastShown;
        private boolean shown;

        ProgressLine(PrintStream err, boolean terminal, LongSupplier nanoTime) {
            this.err = err;
            this.terminal = terminal;
            this.nanoTime = nanoTime;
            this.started = nanoTime.getAsLong();
            this.lastShown = started;
        }

        @Override
        public void read(long rows, long bytesRead, long bytesTotal, int filesDone, int filesTotal) {
            long now = nanoTime.getAsLong();
            if (terminal && now - lastShown >= 1_000_000_000L) {
                lastShown = now;
                shown = true;
                double seconds = (now - started) / 1e9;
                err.printf(Locale.ROOT, "\rread %,d rows (%d%% of %,d bytes, file %d of %d), %,.0f rows/s   ", rows,
                        bytesTotal == 0 ? 100 : bytesRead * 100 / bytesTotal, bytesTotal, filesDone, filesTotal,
                        rows / seconds);
                err.flush();
            }
        }

        void finish() {
            if (shown) {
                err.println();
            }
        }
    }

    /** A day (midnight UTC) or an instant. */
    static final class TimeConverter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String text) {
            try {
                return text.contains("T") ? Instant.parse(text) : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a time: give a day such as"
                        + " 2026-11-23 or a UTC time such as 2026-11-23T12:00:00Z");
            }
        }
    }

    static final class BucketConverter implements CommandLine.ITypeConverter<ChronoUnit> {
        @Override
        public ChronoUnit convert(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "minute" -> ChronoUnit.MINUTES;
                case "hour" -> ChronoUnit.HOURS;
                case "day" -> ChronoUnit.DAYS;
                default -> throw new CommandLine.TypeConversionException("'" + text
                        + "' is not a bucket: choose minute, hour or day");
            };
        }
    }
}
