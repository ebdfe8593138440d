package toykafka.headtohead;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The head-to-head's rule of fairness and its bookkeeping: every measurement runs {@code repeats} times on each
 * broker, the order turned round each time (A B, B A, …) so a noisy machine hurts both alike, and its figures
 * become the report's rows, each printed as it is made.
 */
record Alternation(int repeats, HeadToHeadReport report, PrintStream out) {

    /** Runs a measurement on the two resident brokers: see {@link #compare(Function)}. */
    List<HeadToHeadLoad.Figures[]> compare(ContenderBroker ours, ContenderBroker kafka,
            Function<ContenderBroker, HeadToHeadLoad.Figures[]> run) {
        return compare(isOurs -> run.apply(isOurs ? ours : kafka));
    }

    // tag::alternate[]
    /**
     * Runs a measurement {@code repeats} times on each broker (the argument says whether on ours), the order
     * turned round each time; returns the runs, ours at even indexes and Kafka's at odd ones.
     */
    List<HeadToHeadLoad.Figures[]> compare(Function<Boolean, HeadToHeadLoad.Figures[]> side) {
        List<HeadToHeadLoad.Figures[]> runs = new ArrayList<>();
        for (int repeat = 0; repeat < repeats; repeat++) {
            boolean oursFirst = repeat % 2 == 0;
            HeadToHeadLoad.Figures[] first = runOn(side, oursFirst);
            HeadToHeadLoad.Figures[] second = runOn(side, !oursFirst);
            runs.add(oursFirst ? first : second);
            runs.add(oursFirst ? second : first);
        }
        return runs;
    }
    // end::alternate[]

    private static HeadToHeadLoad.Figures[] runOn(Function<Boolean, HeadToHeadLoad.Figures[]> side, boolean ours) {
        try {
            return side.apply(ours);
        } catch (RuntimeException e) {
            throw new IllegalStateException((ours ? "toykafka: " : "Apache Kafka: ") + e.getMessage(), e);
        }
    }

    /** Figure {@code index} of every run, ours first then Kafka's, each in run order. */
    static List<HeadToHeadLoad.Figures> pick(List<HeadToHeadLoad.Figures[]> runs, int index) {
        List<HeadToHeadLoad.Figures> picked = new ArrayList<>();
        for (int i = 0; i < runs.size(); i += 2) {
            picked.add(runs.get(i)[index]);
        }
        for (int i = 1; i < runs.size(); i += 2) {
            picked.add(runs.get(i)[index]);
        }
        return picked;
    }

    /** The rows of a throughput measurement (records/s, MB/s, and latencies if timed), one line printed for them. */
    void addThroughput(String name, List<HeadToHeadLoad.Figures> figures, boolean latencies) {
        HeadToHeadReport.Row headline = made(name, "records/s", "records/s", true, 1.0, figures,
                HeadToHeadLoad.Figures::recordsPerSecond);
        report.add(headline);
        report.add(made(name, "MB/s", "MB/s", true, Double.NaN, figures, HeadToHeadLoad.Figures::megabytesPerSecond));
        if (latencies) {
            report.add(made(name, "p50 ms", "ms", false, Double.NaN, figures, HeadToHeadLoad.Figures::p50Millis));
            report.add(made(name, "p99 ms", "ms", false, Double.NaN, figures, HeadToHeadLoad.Figures::p99Millis));
        }
        out.printf(Locale.ROOT, "  %-62s toykafka %12s  Kafka %12s  ratio %.2f%n", name,
                HeadToHeadReport.figure(headline.oursBest(), "records/s"),
                HeadToHeadReport.figure(headline.kafkaBest(), "records/s"), headline.ratio());
    }

    /** A row of one figure of every run, printed as it is made. */
    HeadToHeadReport.Row row(String name, String metric, String unit, boolean higherIsBetter, double target,
            List<HeadToHeadLoad.Figures> figures, ToDoubleFunction<HeadToHeadLoad.Figures> value) {
        HeadToHeadReport.Row row = made(name, metric, unit, higherIsBetter, target, figures, value);
        out.printf(Locale.ROOT, "  %-62s toykafka %12s  Kafka %12s  ratio %.2f%n", name + " " + metric,
                HeadToHeadReport.figure(row.oursBest(), unit), HeadToHeadReport.figure(row.kafkaBest(), unit), row.ratio());
        return row;
    }

    private static HeadToHeadReport.Row made(String name, String metric, String unit, boolean higherIsBetter,
            double target, List<HeadToHeadLoad.Figures> figures, ToDoubleFunction<HeadToHeadLoad.Figures> value) {
        int half = figures.size() / 2;
        double[] ours = figures.subList(0, half).stream().mapToDouble(value).toArray();
        double[] kafka = figures.subList(half, figures.size()).stream().mapToDouble(value).toArray();
        return new HeadToHeadReport.Row(name, metric, unit, higherIsBetter, target, ours, kafka);
    }
}
