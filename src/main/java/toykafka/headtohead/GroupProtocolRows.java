package toykafka.headtohead;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import toykafka.lesson16.BarrierDrill;

/**
 * Kafka 4's consumer group protocol against the classic one, on both brokers: lesson 16's {@link BarrierDrill}, two
 * members over six partitions, one member's poll loop busy as a third member joins. The rows are how long the
 * newcomer waits for its first partition and for its whole share, and, once it leaves again, how long until the
 * other two own every partition, under each protocol. Both brokers tell a consumer group's members to heartbeat every
 * 5 s by default (every second in a quick run), and the drill's classic members heartbeat every 100 ms, the
 * consumer's own setting.
 */
final class GroupProtocolRows {

    private static final Duration PATIENCE = Duration.ofMinutes(2);

    private final int repeats;
    private final Duration busy;
    private final PrintStream out;
    private int topics;

    GroupProtocolRows(int repeats, Duration busy, PrintStream out) {
        this.repeats = repeats;
        this.busy = busy;
        this.out = out;
    }

    /** Every protocol's two rows, each run alternating which broker goes first. */
    List<HeadToHeadReport.Row> measure(ContenderBroker ours, ContenderBroker kafka) {
        List<HeadToHeadReport.Row> rows = new ArrayList<>();
        for (BarrierDrill.Protocol protocol : BarrierDrill.Protocol.values()) {
            List<BarrierDrill.Result> oursRuns = new ArrayList<>();
            List<BarrierDrill.Result> kafkaRuns = new ArrayList<>();
            for (int repeat = 0; repeat < repeats; repeat++) {
                boolean oursFirst = repeat % 2 == 0;
                for (boolean isOurs : oursFirst ? List.of(true, false) : List.of(false, true)) {
                    (isOurs ? oursRuns : kafkaRuns).add(run(isOurs ? ours : kafka, protocol));
                }
            }
            String name = "a member busy " + busy.toSeconds() + " s as a third joins, " + label(protocol);
            rows.add(row(name + ": the newcomer's first partition", oursRuns, kafkaRuns,
                    result -> result.newcomerFirst().toMillis()));
            rows.add(row(name + ": its whole share", oursRuns, kafkaRuns, result -> result.newcomerShare().toMillis()));
            rows.add(row("it leaves again, " + label(protocol) + ": until the other two own every partition",
                    oursRuns, kafkaRuns, result -> result.afterLeave().toMillis()));
        }
        return rows;
    }

    private static String label(BarrierDrill.Protocol protocol) {
        return switch (protocol) {
            case CLASSIC_EAGER -> "classic, eager";
            case CLASSIC_COOPERATIVE -> "classic, cooperative";
            case CONSUMER -> "consumer (KIP-848)";
        };
    }

    private HeadToHeadReport.Row row(String name, List<BarrierDrill.Result> ours, List<BarrierDrill.Result> kafka,
                                     ToLongFunction<BarrierDrill.Result> millis) {
        HeadToHeadReport.Row row = new HeadToHeadReport.Row(name, "ms", "ms", false, 1.0,
                ours.stream().mapToDouble(millis::applyAsLong).toArray(),
                kafka.stream().mapToDouble(millis::applyAsLong).toArray());
        out.printf(Locale.ROOT, "  %-62s toykafka %12s  Kafka %12s  ratio %.2f%n", name,
                HeadToHeadReport.figure(row.oursBest(), "ms"), HeadToHeadReport.figure(row.kafkaBest(), "ms"),
                row.ratio());
        return row;
    }

    /** One drill on one broker, on a topic of its own, deleted after. */
    private BarrierDrill.Result run(ContenderBroker broker, BarrierDrill.Protocol protocol) {
        HeadToHeadLoad load = new HeadToHeadLoad(broker.bootstrapServers());
        String topic = "group-race-" + (++topics);
        load.createTopic(topic, 6, Map.of());
        try {
            return BarrierDrill.run(broker.bootstrapServers(), topic, protocol, busy, PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(broker.name() + ": the group drill was interrupted", e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(broker.name() + ": " + e.getMessage(), e);
        } finally {
            load.deleteTopic(topic);
        }
    }
}
