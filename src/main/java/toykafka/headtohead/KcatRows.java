package toykafka.headtohead;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The rows of a client in C: kcat, which is librdkafka, writing a topic from a file, and reading one from the
 * start (written by kafka-clients, so both brokers hold the same batches), 1 and 8 partitions, 100 B and 1 KiB.
 * librdkafka asks for its fetches and batches its produce requests its own way (1 MiB a partition per fetch, all
 * of a broker's partitions in one request), so it finds costs the kafka-clients rows do not. Without kcat on the
 * machine the rows are left out, and the report says how to install it.
 */
final class KcatRows {

    private static final List<Integer> VALUE_SIZES = List.of(100, 1024);
    /**
     * Reads of the topic a run of kcat -C sums: one read of 50 MB of one partition lasts about 60 ms on the clock,
     * as short as the machine's hiccups. Read once, one partition of 100 B lost by up to a sixth in every full run;
     * read for 0.9 s, the same kcat read ours faster in four alternations of four.
     */
    private static final int READS = 5;

    private final Alternation rows;
    private final int megabytes;
    private int topics;

    KcatRows(Alternation rows, int megabytes) {
        this.rows = rows;
        this.megabytes = megabytes;
    }

    /** Measures every kcat row; returns the report's line about them: the versions used, or why none ran. */
    String measure(ContenderBroker ours, ContenderBroker kafka) {
        Optional<KcatRun> found = KcatRun.find();
        if (found.isEmpty()) {
            return "No kcat rows: kcat is not installed (apt-get install kcat, or brew install kcat).";
        }
        KcatRun kcat = found.get();
        StringBuilder busy = new StringBuilder();
        for (int partitions : List.of(1, 8)) {
            for (int valueBytes : VALUE_SIZES) {
                int records = (int) Math.max(1, (long) megabytes * 1_000_000 / valueBytes);
                BrokerBusy oursBusy = new BrokerBusy();
                BrokerBusy kafkaBusy = new BrokerBusy();
                List<HeadToHeadLoad.Figures[]> runs = rows.compare(ours, kafka, broker -> {
                    HeadToHeadLoad load = new HeadToHeadLoad(broker.bootstrapServers());
                    String written = "kcat-" + (++topics);
                    load.createTopic(written, partitions, Map.of());
                    HeadToHeadLoad.Figures produced = kcat.produce(broker.bootstrapServers(), written, records, valueBytes,
                            broker.folder());
                    long held = load.recordsIn(written, partitions);
                    load.deleteTopic(written);
                    if (held != records) {
                        throw new IllegalStateException("kcat sent " + records + " records to " + written + ", and the"
                                + " broker holds " + held);
                    }
                    // what kcat reads is written by kafka-clients, off the clock: batches of one size on both
                    // brokers, where kcat's own would be cut by how fast each broker took them
                    String read = "kcat-" + (++topics);
                    load.createTopic(read, partitions, Map.of());
                    load.produce(read, partitions, records, valueBytes, "1", 1);
                    HeadToHeadLoad.Figures consumed = readsOf(kcat, broker, read, load.recordsIn(read, partitions),
                            broker == ours ? oursBusy : kafkaBusy);
                    load.deleteTopic(read);
                    return new HeadToHeadLoad.Figures[] {produced, consumed};
                });
                String name = partitions + " partition" + (partitions == 1 ? "" : "s") + ", "
                        + (valueBytes >= 1024 ? valueBytes / 1024 + " KiB" : valueBytes + " B");
                rows.addThroughput("kcat -P (librdkafka produce), " + name, Alternation.pick(runs, 0), false);
                rows.addThroughput("kcat -C (librdkafka consume), " + name, Alternation.pick(runs, 1), false);
                busy.append(String.format(Locale.ROOT, " %s: ours %.0f %%, Kafka %.0f %%;", name, oursBusy.percent(),
                        kafkaBusy.percent()));
            }
        }
        return "The kcat rows ran " + kcat.version() + " with librdkafka's defaults (acks=all, linger.ms=5); -P timed"
                + " from launch to exit, -C from its first records printed to its last, " + READS + " reads of the topic"
                + " added up. The broker's processor time while kcat -C ran, as a share of one core:" + busy
                + " where a broker is far from a whole core, kcat (one thread decoding and printing) sets the pace.";
    }

    /** A broker's processor time while kcat read from it, and how long kcat ran, over every read of a row. */
    private static final class BrokerBusy {
        private Duration cpu = Duration.ZERO;
        private long nanos;

        double percent() {
            return nanos == 0 ? Double.NaN : 100.0 * cpu.toNanos() / nanos;
        }
    }

    /**
     * kcat reading the topic {@value #READS} times, each read's figures added up, and the broker's processor time
     * over the same reads counted into {@code busy}.
     */
    private static HeadToHeadLoad.Figures readsOf(KcatRun kcat, ContenderBroker broker, String topic, long records,
                                                  BrokerBusy busy) {
        long read = 0;
        long valueBytes = 0;
        double seconds = 0;
        for (int r = 0; r < READS; r++) {
            Duration cpuBefore = broker.cpuTime();
            long started = System.nanoTime();
            HeadToHeadLoad.Figures once = kcat.consume(broker.bootstrapServers(), topic, records);
            busy.nanos += System.nanoTime() - started;
            busy.cpu = busy.cpu.plus(broker.cpuTime().minus(cpuBefore));
            read += once.records();
            valueBytes += once.valueBytes();
            seconds += once.seconds();
        }
        return new HeadToHeadLoad.Figures(read, valueBytes, seconds, Double.NaN, Double.NaN);
    }
}
