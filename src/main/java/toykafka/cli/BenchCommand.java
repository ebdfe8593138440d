package toykafka.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import toykafka.apachekafka.KafkaJars;
import toykafka.bench.ArchiveBenchmark;
import toykafka.bench.BrokerBenchmark;
import toykafka.bench.CleanerBenchmark;
import toykafka.bench.ConsoleLoadBenchmark;
import toykafka.bench.KafkaGroupBenchmark;
import toykafka.bench.KafkaProtocolBenchmark;
import toykafka.bench.LogBenchmark;
import toykafka.headtohead.HeadToHeadBenchmark;

/** {@code toykafka bench log}: measurements, printed and written under target/bench. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Runs a benchmark: log (lesson 8), broker (lesson 10), archive (lesson 11), cleaner (lesson 12),"
                + " kafka-protocol (lesson 13), kafka (ours against Apache Kafka) or console (what open pages cost).",
        subcommands = {BenchCommand.LogBench.class, BenchCommand.BrokerBench.class, BenchCommand.ArchiveBench.class,
            BenchCommand.CleanerBench.class, BenchCommand.KafkaProtocolBench.class, BenchCommand.KafkaBench.class,
            BenchCommand.ConsoleBench.class})
final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a benchmark to run: log, broker, archive,"
                + " cleaner, kafka-protocol, kafka or console");
    }

    @Command(name = "log", mixinStandardHelpOptions = true,
            description = "The file-backed log against raw FileChannel writes and reads of the same bytes and against"
                    + " Apache Kafka's own log (UnifiedLog, in a JVM of its own on target/apache-kafka) on the same"
                    + " batches, fsync per append with 1 and 8 appenders, and recovery time. About 30 seconds with the"
                    + " defaults.")
    static final class LogBench extends Benchmark {

        @Option(names = "--size-mib", paramLabel = "MIB", description = "MiB moved by each measurement (default: 256)")
        int sizeMib = 256;

        @Option(names = "--repeats", paramLabel = "N", description = "runs of each measurement; the best counts (default: 3)")
        int repeats = 3;

        @Option(names = "--fsync-ms", paramLabel = "MS", description = "how long each fsync measurement runs (default: 3000)")
        int fsyncMillis = 3000;

        @Override
        void check() {
            if (sizeMib < 1 || repeats < 1 || fsyncMillis < 60) {
                throw new IllegalArgumentException("--size-mib and --repeats must be at least 1 and --fsync-ms at"
                        + " least 60; were " + sizeMib + ", " + repeats + " and " + fsyncMillis);
            }
        }

        @Override
        String measure(ReportFile file) {
            LogBenchmark.Settings settings = new LogBenchmark.Settings(file.folder(), (long) sizeMib << 20,
                    16 << 10, repeats, Duration.ofMillis(fsyncMillis), (long) sizeMib << 20);
            return new LogBenchmark(settings, KafkaJars.inProject(), Main.out()).run();
        }
    }

    @Command(name = "broker", mixinStandardHelpOptions = true,
            description = "The broker over HTTP against its own file log in the same run: produce (batches of 500 and"
                    + " single records) and reads, records/s, MB/s and p50/p99 latency; then, from a client in a JVM of"
                    + " its own, HTTP against the broker's Kafka port on the same records. About a minute with the"
                    + " defaults.")
    static final class BrokerBench extends Benchmark {

        @Option(names = "--records", paramLabel = "N", description = "records per batched run (default: 200000)")
        int records = 200_000;

        @Option(names = "--single", paramLabel = "N", description = "records sent one a request per run (default: 5000)")
        int single = 5_000;

        @Option(names = "--clients", paramLabel = "N", description = "client threads, and connections of the client in a JVM"
                + " of its own, one partition each (default: 2)")
        int clients = 2;

        @Option(names = "--repeats", paramLabel = "N", description = "runs of each measurement; the best counts (default: 3)")
        int repeats = 3;

        @Override
        void check() {
            if (records < BrokerBenchmark.BATCH || single < 1 || clients < 1 || clients > 64 || repeats < 1) {
                throw new IllegalArgumentException("--records must be at least " + BrokerBenchmark.BATCH + ", --single and"
                        + " --repeats at least 1, and --clients from 1 to 64; were " + records + ", " + single + ", "
                        + repeats + " and " + clients);
            }
        }

        @Override
        String measure(ReportFile file) {
            return new BrokerBenchmark(new BrokerBenchmark.Settings(file.folder(), records, single, clients, repeats),
                    Main.out()).run();
        }
    }

    @Command(name = "console", mixinStandardHelpOptions = true,
            description = "What open console pages cost the broker: kafka-clients' produce throughput with no page"
                    + " open against the same with pages open (each asking what the console's script asks, at its"
                    + " pace), alternating; and the broker's threads and heap before and after. About a minute with"
                    + " the defaults, writing some gigabytes under the report's folder, removed at the end.")
    static final class ConsoleBench extends Benchmark {

        @Option(names = "--pages", paramLabel = "N", description = "pages open in the measured runs (default: 50)")
        int pages = 50;

        @Option(names = "--seconds", paramLabel = "S", description = "how long each produce run lasts (default: 8)")
        int seconds = 8;

        @Option(names = "--repeats", paramLabel = "N", description = "runs with and without pages; the best counts"
                + " (default: 3)")
        int repeats = 3;

        @Option(names = "--soak-minutes", paramLabel = "M", description = "instead, leave the pages open on a busy"
                + " partition this long and sample the broker's threads and heap each minute (default: 0, no soak)")
        int soakMinutes;

        @Override
        void check() {
            if (pages < 1 || pages > 500 || seconds < 1 || repeats < 1 || soakMinutes < 0 || soakMinutes > 1440) {
                throw new IllegalArgumentException("--pages must be from 1 to 500, --seconds and --repeats at least 1,"
                        + " and --soak-minutes from 0 to 1440; were " + pages + ", " + seconds + ", " + repeats + " and "
                        + soakMinutes);
            }
        }

        @Override
        String measure(ReportFile file) {
            ConsoleLoadBenchmark bench = new ConsoleLoadBenchmark(new ConsoleLoadBenchmark.Settings(
                    file.folder().resolve("console-run"), pages, Duration.ofSeconds(seconds), repeats), Main.out());
            return soakMinutes > 0 ? bench.soak(soakMinutes) : bench.run();
        }
    }

    @Command(name = "archive", mixinStandardHelpOptions = true,
            description = "Lesson 11's archive at scale: generates rows (default: a million), writes them as retention"
                    + " does, reads them into a table and runs every summary, against raw writes, raw reads and a bare"
                    + " CSV tokenizer of the same bytes. About a minute with the defaults.")
    static final class ArchiveBench extends Benchmark {

        @Option(names = "--rows", paramLabel = "N", description = "rows to generate (default: 1000000)")
        int rows = 1_000_000;

        @Option(names = "--repeats", paramLabel = "N", description = "runs of each measurement; the best counts (default: 2)")
        int repeats = 2;

        @Override
        void check() {
            if (rows < 1 || repeats < 1) {
                throw new IllegalArgumentException("--rows and --repeats must be at least 1; were " + rows + " and "
                        + repeats);
            }
        }

        @Override
        String measure(ReportFile file) {
            return new ArchiveBenchmark(new ArchiveBenchmark.Settings(file.folder(), rows, repeats), Main.out()).run();
        }
    }

    @Command(name = "cleaner", mixinStandardHelpOptions = true,
            description = "Lesson 12's log cleaner on compacted logs (default: a million records) with 1 %%, 10 %% and"
                    + " 100 %% distinct keys, cleaned until a pass reaches the active segment, MB/s against reading the same log once;"
                    + " with passes, bytes and records removed, and the offset map's peak. About a minute with the"
                    + " defaults.")
    static final class CleanerBench extends Benchmark {

        static final int MIN_RECORDS = 1_000;
        static final int MAX_RECORDS = 20_000_000;
        static final int MAX_REPEATS = 100;
        static final int MAX_MAP_MIB = 1024;

        @Option(names = "--records", paramLabel = "N", description = "records in each log (default: 1000000)")
        int records = 1_000_000;

        @Option(names = "--repeats", paramLabel = "N",
                description = "runs of each measurement, each on a freshly built log; the best counts (default: 3)")
        int repeats = 3;

        @Option(names = "--map-mib", paramLabel = "MIB",
                description = "the offset map's memory, 24 bytes a key (default: " + CleanerBenchmark.Settings.DEFAULT_MAP_MIB
                        + ", which holds 629,145 keys; Kafka's log.cleaner.dedupe.buffer.size is 128)")
        int mapMib = CleanerBenchmark.Settings.DEFAULT_MAP_MIB;

        @Override
        void check() {
            requireBetween("--records", records, MIN_RECORDS, MAX_RECORDS);
            requireBetween("--repeats", repeats, 1, MAX_REPEATS);
            int maxMapMib = (int) Math.min(MAX_MAP_MIB, Runtime.getRuntime().maxMemory() / 4 >> 20);
            if (mapMib < 1 || mapMib > maxMapMib) {
                throw new IllegalArgumentException("--map-mib must be from 1 to " + maxMapMib + " (at most "
                        + MAX_MAP_MIB + ", and a quarter of the JVM's max heap); was " + mapMib);
            }
        }

        @Override
        String measure(ReportFile file) {
            CleanerBenchmark.Settings standard = CleanerBenchmark.Settings.standard(file.folder());
            return new CleanerBenchmark(new CleanerBenchmark.Settings(file.folder(), records, standard.valueBytes(),
                    repeats, mapMib << 20), Main.out()).run();
        }
    }

    @Command(name = "kafka-protocol", mixinStandardHelpOptions = true,
            description = "Lesson 13's Kafka front end driven by Apache's kafka-clients: a KafkaProducer at acks=1 and a"
                    + " KafkaConsumer on one partition, 100-byte and 1 KiB values, records/s and MB/s against the log's"
                    + " appendBatches of the batches the broker stored and its transferTo of the same bytes; then"
                    + " consumer groups (lesson 14): a group of 3 against one assign() consumer, the rebalance after a"
                    + " close(), and the heap and threads of 100 to 1000 groups. About a minute with the defaults.")
    static final class KafkaProtocolBench extends Benchmark {

        static final int MAX_MEGABYTES = 1_000;
        static final int MAX_REPEATS = 100;

        @Option(names = "--megabytes", paramLabel = "MB",
                description = "megabytes of record values each run produces and consumes, at each value size (default: 20)")
        int megabytes = 20;

        @Option(names = "--repeats", paramLabel = "N", description = "runs of each measurement; the best counts (default: 3)")
        int repeats = 3;

        @Override
        void check() {
            requireBetween("--megabytes", megabytes, 1, MAX_MEGABYTES);
            requireBetween("--repeats", repeats, 1, MAX_REPEATS);
        }

        @Override
        String measure(ReportFile file) {
            String protocol = new KafkaProtocolBenchmark(new KafkaProtocolBenchmark.Settings(file.folder(), megabytes,
                    repeats), Main.out()).run();
            String groups = new KafkaGroupBenchmark(KafkaGroupBenchmark.Settings.standard(file.folder(), megabytes,
                    repeats), Main.out()).run();
            return protocol + groups;
        }
    }

    @Command(name = "kafka", mixinStandardHelpOptions = true,
            description = "Our broker against Apache Kafka itself, both started here in JVMs of their own and driven by"
                    + " the same kafka-clients: produce and consume at 1 and 8 partitions, 100 B and 1 KiB, acks=1 and"
                    + " all, and over SSL and SASL_SSL (SCRAM-SHA-512) at 1 partition, 1 KiB; the durable mode;"
                    + " end-to-end latency; 1 to 1,000 partitions and 1 to 100 connections;"
                    + " Kafka's kafka-producer-perf-test; share groups of 1, 4 and 8 consumers on one partition beside a"
                    + " consumer group; start-up, empty and after kill -9. Runs alternate; a table, CSV and chart under"
                    + " target/bench. About 18 minutes with the defaults; --quick in about 3.")
    static final class KafkaBench extends Benchmark {

        static final int MAX_REPEATS = 20;

        @Option(names = "--quick", description = "every kind of row on small sizes (scale up to 50 partitions, 10 producers), once"
                + " on each broker: it checks the rows, not the speeds")
        boolean quick;

        @Option(names = "--repeats", paramLabel = "N",
                description = "runs of each row on each broker (default: 3, or 1 with --quick)")
        Integer repeats;

        @Option(names = "--over-tls-only", description = "only the produce and consume rows over SSL and SASL_SSL"
                + " (SCRAM-SHA-512), with the plaintext row of their shape beside them: what TLS and SCRAM cost each broker")
        boolean overTlsOnly;

        private KafkaJars jars;

        @Override
        void check() {
            requireBetween("--repeats", runs(), 1, MAX_REPEATS);
            jars = KafkaJars.inProject();
        }

        @Override
        String measure(ReportFile file) {
            HeadToHeadBenchmark.Settings settings = quick ? HeadToHeadBenchmark.Settings.quick(file.folder(), runs())
                    : HeadToHeadBenchmark.Settings.full(file.folder(), runs());
            if (overTlsOnly) {
                settings = settings.withOverTlsOnly();
            }
            return new HeadToHeadBenchmark(settings, jars, Main.class.getName(), Main.out()).run(file.file());
        }

        private int runs() {
            return repeats != null ? repeats : quick ? 1 : 3;
        }
    }

    /**
     * What every benchmark's command does: refuses what would fail the run, then makes sure its report can be written
     * before any measuring, measures with the report's folder to work in, and writes what it found.
     */
    abstract static class Benchmark implements Runnable {

        @Mixin
        ReportOption report;

        @Override
        public final void run() {
            check();
            ReportFile file = report.file();
            file.write(measure(file));
        }

        /** Refuses what would fail the run, options out of range first. */
        abstract void check();

        /** Runs the measurements and returns the report's text. */
        abstract String measure(ReportFile file);
    }

    /** Refuses an option's value outside {@code min} to {@code max}, naming the option and the range. */
    private static void requireBetween(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be from " + min + " to " + max + "; was " + value);
        }
    }

    /** {@code --out}, which every benchmark takes: where its report goes. */
    static final class ReportOption {

        @Spec(Spec.Target.MIXEE)
        CommandSpec benchmark;

        @Option(names = "--out", paramLabel = "FILE",
                description = "where to write the results (default: target/bench/${COMMAND-NAME}.txt in the project folder)")
        Path out;

        ReportFile file() {
            return ReportFile.at(out, benchmark.name() + ".txt");
        }
    }

    /**
     * A benchmark's report: the file --out names, else target/bench/NAME. It is checked before the run, so a
     * report that cannot be written costs no measuring; the benchmark works in a directory made beside it,
     * and removes it afterwards.
     */
    private record ReportFile(Path file) {

        static ReportFile at(Path out, String name) {
            Path file = (out == null ? Path.of("target", "bench", name) : DumpCommand.typed(out)).toAbsolutePath();
            if (Files.isDirectory(file)) {
                throw new IllegalArgumentException("--out names a directory, " + file + "; give a file in it, such as "
                        + file.resolve(name));
            }
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, "", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the report to " + file + ": " + e.getMessage(), e);
            }
            return new ReportFile(file);
        }

        Path folder() {
            return file.getParent();
        }

        void write(String text) {
            try {
                Files.writeString(file, text);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
            Main.out().println("Written to " + file);
        }
    }
}
