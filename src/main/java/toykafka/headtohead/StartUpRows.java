package toykafka.headtohead;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import toykafka.harness.WorkFolder;

/**
 * From launch to the first produce accepted: on an empty folder, and after a {@code kill -9} of a broker holding
 * {@code recoveryMegabytes} of 1 KiB records, which the restart must recover before it takes the next. Both rows come
 * from one broker each run, made fresh in a folder of its own and removed after: its first launch is on an empty
 * folder, so it is the empty start-up, and the same broker is then filled, killed and launched again.
 */
record StartUpRows(Alternation rows, HeadToHeadReport report, int recoveryMegabytes, Duration startLimit,
                   Function<Path, ContenderBroker> ours, Function<Path, ContenderBroker> kafka) {

    void measure(Path work) {
        int[] runs = {0};
        List<HeadToHeadLoad.Figures[]> figures = rows.compare(isOurs -> {
            Path folder = work.resolve("start-up-" + (++runs[0]));
            try (ContenderBroker broker = (isOurs ? ours : kafka).apply(folder)) {
                HeadToHeadLoad load = new HeadToHeadLoad(broker.bootstrapServers());
                long launched = broker.launch();
                long firstStart = load.firstProduceAccepted("orders", launched, startLimit, broker);
                load.produce("orders", 1, (int) Math.max(1, (long) recoveryMegabytes * 1_000_000 / 1024), 1024, "1", 1);
                broker.kill();
                long relaunched = broker.launch();
                long restart = load.firstProduceAccepted("orders", relaunched, startLimit, broker);
                return new HeadToHeadLoad.Figures[] {figures(firstStart), figures(restart)};
            } finally {
                WorkFolder.delete(folder);
            }
        });
        report.add(rows.row("start-up, empty, launch to first produce", "ms", "ms", false, 1.0,
                Alternation.pick(figures, 0), run -> run.seconds() * 1e3));
        report.add(rows.row("start-up after kill -9 holding " + recoveryMegabytes + " MB", "ms", "ms", false, 1.0,
                Alternation.pick(figures, 1), run -> run.seconds() * 1e3));
    }

    private static HeadToHeadLoad.Figures figures(long nanos) {
        return new HeadToHeadLoad.Figures(1, 0, nanos / 1e9, Double.NaN, Double.NaN);
    }
}
