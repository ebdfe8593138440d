package toykafka.headtohead;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import toykafka.harness.ConsumerGroupHeartbeatLoad;

/**
 * Many members of Kafka 4's consumer group protocol (KIP-848) heartbeating on both brokers: raw members
 * ({@link ConsumerGroupHeartbeatLoad}) that join, heartbeat once every interval at the epoch they were given, sending
 * back the partitions they were given, and leave. Once the group is steady the rows are the heartbeats answered a
 * second, the time from a heartbeat's send to its answer (p50, p99, the longest) and the broker's CPU, as a share of
 * one core. One group of all the members, then as many members in groups of 100: whether a heartbeat's cost grows
 * with its group or with all the members the broker holds.
 *
 * @param members   how many members each shape holds
 * @param partitions the partitions of the one topic every member subscribes to
 */
record GroupHeartbeatRows(int repeats, int members, int partitions, Duration interval, Duration timed,
                          PrintStream out) {

    /** The members per group of the second shape. */
    private static final int SMALL_GROUP = 100;
    /** The connections the members are dealt over, their heartbeats pipelined. */
    private static final int CONNECTIONS = 8;
    private static final Duration REBALANCE_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The rows for this many members, each heartbeating every 4 s and timed for 20 s (the full run's 5,000 offer 1,250
     * a second), or, under 1,000 members, a quick run's every second, timed for 2 s. The topic has a partition for
     * every five members: one member in five owns one, so the assignor and the members' reconciliation have
     * partitions to move as the members join, and Kafka makes the full run's 1,000 in seconds.
     */
    static GroupHeartbeatRows of(int members, int repeats, PrintStream out) {
        boolean quick = members < 1_000;
        return new GroupHeartbeatRows(repeats, members, Math.max(1, members / 5),
                Duration.ofSeconds(quick ? 1 : 4), Duration.ofSeconds(quick ? 2 : 20), out);
    }

    /** Both shapes' rows, each run alternating which broker goes first. */
    List<HeadToHeadReport.Row> measure(ContenderBroker ours, ContenderBroker kafka) {
        List<HeadToHeadReport.Row> rows = new ArrayList<>();
        for (int groupSize : List.of(members, SMALL_GROUP)) {
            int groups = members / groupSize;
            List<ConsumerGroupHeartbeatLoad.Result> oursRuns = new ArrayList<>();
            List<ConsumerGroupHeartbeatLoad.Result> kafkaRuns = new ArrayList<>();
            for (int repeat = 0; repeat < repeats; repeat++) {
                boolean oursFirst = repeat % 2 == 0;
                for (boolean isOurs : oursFirst ? List.of(true, false) : List.of(false, true)) {
                    ConsumerGroupHeartbeatLoad.Result result = run(isOurs ? ours : kafka, groups, groupSize, repeat);
                    out.println("    " + (isOurs ? ours : kafka).name() + ": " + result);
                    (isOurs ? oursRuns : kafkaRuns).add(result);
                }
            }
            String name = String.format(Locale.ROOT, "KIP-848 heartbeats, %s, 1 topic of %,d partitions, each member"
                    + " every %d s", groups == 1 ? String.format(Locale.ROOT, "%,d members of one group", members)
                    : String.format(Locale.ROOT, "%d groups of %d", groups, groupSize), partitions, interval.toSeconds());
            rows.add(row(name, "heartbeats/s", "heartbeats/s", true, oursRuns, kafkaRuns,
                    ConsumerGroupHeartbeatLoad.Result::answeredPerSecond));
            rows.add(row(name, "p50 ms", "ms", false, oursRuns, kafkaRuns, ConsumerGroupHeartbeatLoad.Result::p50Millis));
            rows.add(row(name, "p99 ms", "ms", false, oursRuns, kafkaRuns, ConsumerGroupHeartbeatLoad.Result::p99Millis));
            rows.add(row(name, "max ms", "ms", false, oursRuns, kafkaRuns, ConsumerGroupHeartbeatLoad.Result::maxMillis));
            rows.add(row(name, "broker CPU %", "%", false, oursRuns, kafkaRuns, result -> 100 * result.cpuShare()));
        }
        return rows;
    }

    private HeadToHeadReport.Row row(String name, String metric, String unit, boolean higherIsBetter,
                                     List<ConsumerGroupHeartbeatLoad.Result> ours,
                                     List<ConsumerGroupHeartbeatLoad.Result> kafka,
                                     ToDoubleFunction<ConsumerGroupHeartbeatLoad.Result> figure) {
        HeadToHeadReport.Row row = new HeadToHeadReport.Row(name, metric, unit, higherIsBetter, Double.NaN,
                ours.stream().mapToDouble(figure).toArray(), kafka.stream().mapToDouble(figure).toArray());
        out.printf(Locale.ROOT, "  %-62s toykafka %12s  Kafka %12s  ratio %.2f%n", name + " " + metric,
                HeadToHeadReport.figure(row.oursBest(), unit), HeadToHeadReport.figure(row.kafkaBest(), unit),
                row.ratio());
        return row;
    }

    /** One run on one broker, on a topic and groups of its own; the topic is deleted after. */
    private ConsumerGroupHeartbeatLoad.Result run(ContenderBroker broker, int groups, int groupSize, int repeat) {
        HeadToHeadLoad load = new HeadToHeadLoad(broker.bootstrapServers());
        String name = "heartbeats-" + groups + "x" + groupSize + "-" + repeat;
        load.createTopic(name, partitions, Map.of());
        try {
            List<String> groupIds = IntStream.range(0, groups).mapToObj(g -> name + "-group-" + g).toList();
            ConsumerGroupHeartbeatLoad.Shape shape = new ConsumerGroupHeartbeatLoad.Shape(groupIds, groupSize, name,
                    CONNECTIONS, interval, REBALANCE_TIMEOUT);
            long pid = broker.pid();
            return ConsumerGroupHeartbeatLoad.run(broker.port(), shape, timed, () -> cpuNanos(pid));
        } finally {
            load.deleteTopic(name);
        }
    }

    /** A process's CPU time so far, as the system counts it. */
    private static long cpuNanos(long pid) {
        Optional<Duration> cpu = ProcessHandle.of(pid).flatMap(process -> process.info().totalCpuDuration());
        return cpu.orElseThrow(() -> new IllegalStateException("the CPU time of process " + pid + " is not known"))
                .toNanos();
    }
}
