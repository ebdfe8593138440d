package toykafka.headtohead;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Each broker's processor time in the throughput rows of kafka-clients and kcat's reads, per record and as a share of one core while
 * the client ran, over every run of a row. A rate on a shared machine moves by a fifth from run to run; what a
 * broker spends on a record does not, and a broker far from a whole core is not what sets a row's pace.
 */
final class BrokerCpu {

    /** One broker's sums over a row's runs. */
    private static final class Spent {
        private Duration cpu = Duration.ZERO;
        private long records;
        private long nanos;

        double microsPerRecord() {
            return records == 0 ? Double.NaN : cpu.toNanos() / 1e3 / records;
        }

        double percentOfACore() {
            return nanos == 0 ? Double.NaN : 100.0 * cpu.toNanos() / nanos;
        }
    }

    private final ContenderBroker ours;
    /** Per row, ours then Kafka's, in the order the rows were first run. */
    private final Map<String, Spent[]> rows = new LinkedHashMap<>();

    BrokerCpu(ContenderBroker ours) {
        this.ours = ours;
    }

    /** Runs {@code run} on {@code broker}, counting the broker's processor time and the records into {@code row}. */
    HeadToHeadLoad.Figures timed(String row, ContenderBroker broker, Supplier<HeadToHeadLoad.Figures> run) {
        Duration before = broker.cpuTime();
        long started = System.nanoTime();
        HeadToHeadLoad.Figures figures = run.get();
        long nanos = System.nanoTime() - started;
        Spent spent = rows.computeIfAbsent(row, name -> new Spent[] {new Spent(), new Spent()})[broker == ours ? 0 : 1];
        spent.cpu = spent.cpu.plus(broker.cpuTime().minus(before));
        spent.nanos += nanos;
        spent.records += figures.records();
        return figures;
    }

    /** The report's paragraph: a line a row, ours then Kafka, per record and as a share of a core. */
    String report() {
        StringBuilder text = new StringBuilder("\nEach broker's processor time while the client ran (its whole JVM, as"
                + " the system counts it, over every run): microseconds a record, ours / Kafka, and the share of one"
                + " core, ours / Kafka. A broker far from a whole core does not set the row's pace; the client and the"
                + " machine do.\n");
        rows.forEach((row, spent) -> text.append(String.format(Locale.ROOT, "  %-62s %6.2f / %6.2f us   %3.0f %% / %3.0f %%%n",
                row, spent[0].microsPerRecord(), spent[1].microsPerRecord(), spent[0].percentOfACore(),
                spent[1].percentOfACore())));
        return text.toString();
    }
}
