package toykafka.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.group.GroupCoordinator;
import toykafka.harness.BenchBroker;
import toykafka.harness.KafkaClientsVersion;
import toykafka.harness.PrintedReport;
import toykafka.harness.WorkFolder;

/**
 * The broker's consumer groups over Kafka's protocol, measured in one run against a broker and its Kafka front
 * end started here, with {@code group.initial.rebalance.delay.ms=0}:
 *
 * <ol>
 *   <li>throughput: a group of {@value GroupConsumersBench#MEMBERS} {@code KafkaConsumer}s that {@code
 *       subscribe()} (range assignor, a thread each) reading a {@value #PARTITIONS}-partition topic to its end,
 *       against one consumer {@code assign()}ed the same partitions, the two sides taking turns;</li>
 *   <li>rebalance time: of {@value GroupConsumersBench#MEMBERS} stable members one calls {@code close()}, and the
 *       clock runs until the two survivors' rebalance listeners have been handed every partition between them;</li>
 *   <li>scale: many groups of two members each, written as light raw clients that frame Kafka's own message
 *       classes ({@code JoinGroupRequestData} and the rest) over a few plain sockets, joined, synced and
 *       heartbeating; the heap (after {@code System.gc()}) and the live threads against the same with no
 *       groups, and that both, and {@link GroupCoordinator#groupCount()}, come back once they all leave.</li>
 * </ol>
 *
 * Kafka's counterpart of the first is {@code kafka-consumer-perf-test --group}. The clients share this JVM with
 * the broker, so the heap measured is theirs as well as its; the raw members keep only two ids and a generation
 * a group, and their sockets and threads are open before the baseline is taken.
 *
 * <p>This class holds the settings, starts the broker, calls the parts ({@link GroupConsumersBench} for the first
 * two, {@link GroupScaleBench} for the third) and writes the report and the verdicts on the targets.
 */
public final class KafkaGroupBenchmark {

    /** How often the bench's broker drops empty groups: each group count's run waits for the last one's to go. */
    private static final int CLEANUP_MS = 100;

    /**
     * What to run.
     *
     * @param workDir     where the broker's data directory is made (and removed afterwards)
     * @param records     records in the topic the throughput runs read, values of {@value #VALUE_BYTES} bytes
     * @param repeats     throughput runs of each side; the best counts
     * @param rebalances  rebalances timed; the median counts
     * @param groupCounts the numbers of two-member groups the scale part holds at once, one measurement each
     * @param steady      how long the groups are Stable and heartbeating before the heap and threads are read
     */
    public record Settings(Path workDir, int records, int repeats, int rebalances, List<Integer> groupCounts,
                           Duration steady) {

        public Settings {
            groupCounts = List.copyOf(groupCounts);
            if (records < PARTITIONS || repeats < 1 || rebalances < 1 || groupCounts.isEmpty()
                    || groupCounts.stream().anyMatch(count -> count < 1) || steady.isNegative() || steady.isZero()) {
                throw new IllegalArgumentException("the group benchmark needs at least " + PARTITIONS + " records, a"
                        + " repeat, a rebalance, one or more group counts of 1 or more and a positive steady time;"
                        + " was " + records + ", " + repeats + ", " + rebalances + ", " + groupCounts + ", " + steady);
            }
        }

        /**
         * What {@code bench kafka-protocol} runs: five times the records of its {@code --megabytes} at {@value
         * #VALUE_BYTES} bytes each (a million at its default of 20: the group reads six partitions at once, and
         * 200,000 records were read in well under 0.1 s, too short a run to time), its {@code --repeats}, 5
         * rebalances, and 100, 500 and 1000 groups each Stable and heartbeating for 3 s.
         */
        public static Settings standard(Path workDir, int megabytes, int repeats) {
            int records = (int) Math.max(PARTITIONS, 5L * megabytes * 1_000_000 / VALUE_BYTES);
            if (megabytes < FULL_SCALE_MEGABYTES) {
                // a run this small checks the plumbing, as the tests do: one rebalance, ten groups, one second
                return new Settings(workDir, records, repeats, 1, List.of(10), Duration.ofSeconds(1));
            }
            return new Settings(workDir, records, repeats, 5, List.of(100, 500, 1000), Duration.ofSeconds(3));
        }
    }

    /** From this many megabytes (the bench's default is 20) the rebalance and scale figures run at full size. */
    static final int FULL_SCALE_MEGABYTES = 10;
    static final int PARTITIONS = 6;
    static final int VALUE_BYTES = 100;
    private static final double THROUGHPUT_TARGET = 0.9;
    private static final Duration REBALANCE_TARGET = Duration.ofSeconds(1);

    private final Settings settings;
    private final PrintedReport report;

    public KafkaGroupBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.report = new PrintedReport(out);
    }

    public String run() {
        long began = System.nanoTime();
        report.heading("kafka-protocol, consumer groups");
        report.line("  the broker and its Kafka front end in this process on a loopback port, group.initial.rebalance.delay.ms=0"
                + " (Kafka's default is 3000), offsets.retention.check.interval.ms=" + CLEANUP_MS + " (Kafka's is 600000:"
                + " the empty groups are dropped at once); kafka-clients " + KafkaClientsVersion.get());
        report.line("  consumers: range assignor, heartbeat.interval.ms=" + GroupConsumersBench.CONSUMER_HEARTBEAT_MS
                + " (Kafka's default is 3000: a member hears of a rebalance only in a heartbeat's answer), no auto"
                + " commit, the client's defaults otherwise");
        List<String> targets = new ArrayList<>();
        try (WorkFolder work = WorkFolder.under(settings.workDir(), "kafka-group-bench-");
             BenchBroker broker = BenchBroker.start(BenchBroker.config(work.resolve("broker"))
                     .with(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0")
                     .with(BrokerConfig.OFFSETS_RETENTION_CHECK_INTERVAL_MS, String.valueOf(CLEANUP_MS)))
                     .withKafka(System.err)) {
            GroupCoordinator coordinator = broker.broker().groupCoordinator();
            targets.addAll(targets(new GroupConsumersBench(settings, report).run(coordinator,
                    broker.kafka().bootstrapServers())));
            new GroupScaleBench(settings, report).run(coordinator, broker.kafka().port());
        }
        report.line("targets: " + String.join("; ", targets));
        report.line(String.format(Locale.ROOT, "(the consumer-group figures took %.0f s)", (System.nanoTime() - began) / 1e9));
        return report.text();
    }

    /** The verdicts on the two targets. */
    private static List<String> targets(GroupConsumersBench.Outcome outcome) {
        double ratio = outcome.groupToAssign();
        Duration median = outcome.medianRebalance();
        return List.of(String.format(Locale.ROOT, "group/assign %s (>= %.1f %s)", PrintedReport.twoDigits(ratio),
                        THROUGHPUT_TARGET, ratio >= THROUGHPUT_TARGET ? "met" : "MISSED"),
                String.format(Locale.ROOT, "rebalance %d ms (< %d ms %s)", median.toMillis(),
                        REBALANCE_TARGET.toMillis(), median.compareTo(REBALANCE_TARGET) < 0 ? "met" : "MISSED"));
    }
}
