package toykafka.headtohead;

import java.util.List;
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

    /**
     * Measures every kcat row, each broker's processor time while kcat read counted into {@code cpu}; returns the
     * report's line about them: the versions used, or why none ran.
     */
    String measure(ContenderBroker ours, ContenderBroker kafka, BrokerCpu cpu) {
        Optional<KcatRun> found = KcatRun.find();
        if (found.isEmpty()) {
            return "No kcat rows: kcat is not installed (apt-get install kcat, or brew install kcat).";
        }
        KcatRun kcat = found.get();
        for (int partitions : List.of(1, 8)) {
            for (int valueBytes : VALUE_SIZES) {
                int records = (int) Math.max(1, (long) megabytes * 1_000_000 / valueBytes);
                String name = partitions + " partition" + (partitions == 1 ? "" : "s") + ", "
                        + (valueBytes >= 1024 ? valueBytes / 1024 + " KiB" : valueBytes + " B");
                String consumeRow = "kcat -C (librdkafka consume), " + name;
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
                    long toRead = load.recordsIn(read, partitions);
                    HeadToHeadLoad.Figures consumed = cpu.timed(consumeRow, broker,
                            () -> readsOf(kcat, broker.bootstrapServers(), read, toRead));
                    load.deleteTopic(read);
                    return new HeadToHeadLoad.Figures[] {produced, consumed};
                });
                rows.addThroughput("kcat -P (librdkafka produce), " + name, Alternation.pick(runs, 0), false);
                rows.addThroughput(consumeRow, Alternation.pick(runs, 1), false);
            }
        }
        return "The kcat rows ran " + kcat.version() + " with librdkafka's defaults (acks=all, linger.ms=5); -P timed"
                + " from launch to exit, -C from its first records printed to its last, " + READS + " reads of the topic"
                + " added up; each broker's processor time while kcat -C read is among the lines below the table.";
    }

    /** kcat reading the topic {@value #READS} times, each read's figures added up. */
    private static HeadToHeadLoad.Figures readsOf(KcatRun kcat, String bootstrap, String topic, long records) {
        long read = 0;
        long valueBytes = 0;
        double seconds = 0;
        for (int r = 0; r < READS; r++) {
            HeadToHeadLoad.Figures once = kcat.consume(bootstrap, topic, records);
            read += once.records();
            valueBytes += once.valueBytes();
            seconds += once.seconds();
        }
        return new HeadToHeadLoad.Figures(read, valueBytes, seconds, Double.NaN, Double.NaN);
    }
}
