package toykafka.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import toykafka.broker.Broker;
import toykafka.harness.BenchBroker;
import toykafka.harness.ManyConnectionsLoad;
import toykafka.harness.ManyConnectionsLoad.Wire;
import toykafka.harness.PartitionReadLoad;
import toykafka.harness.PrintedReport;
import toykafka.lesson04.OnDuplicate;

/**
 * One broker's two front ends on the same records, measured from a client in a JVM of its own whose one thread
 * costs next to nothing, the two taking turns: REST Proxy v2's batched produce against a Produce request of one
 * record batch, and the read route (base64 values) against a Fetch, {@value BrokerBenchmark#BATCH} records a
 * request either way. The broker is the same, so the ratios are what HTTP and JSON cost against Kafka's protocol.
 */
record HttpAgainstKafkaPort(BenchBroker broker, Path work, int connections, int repeats, PrintedReport report) {

    /** A figure of either load: its rate, latencies and the client's own CPU. */
    private record Figures(double recordsPerSecond, double megabytesPerSecond, double p50Millis, double p99Millis,
                           double clientShareOfACore) {
    }

    // tag::over-the-wire[]
    /**
     * Produces about {@code records} records of {@code valueBytes} over each front end, then reads a quarter as many
     * over each, best of the runs; returns HTTP's produce rate as a share of the Kafka port's.
     */
    double measure(int valueBytes, long records) {
        List<Figures> httpProduce = new ArrayList<>();
        List<Figures> kafkaProduce = new ArrayList<>();
        for (int run = 0; run < repeats; run++) { // each goes first in turn, so neither always follows the other
            for (Wire wire : run % 2 == 0 ? List.of(Wire.KAFKA, Wire.HTTP) : List.of(Wire.HTTP, Wire.KAFKA)) {
                (wire == Wire.HTTP ? httpProduce : kafkaProduce).add(produce(wire, valueBytes, records));
            }
        }
        double produceRatio = compare("from another JVM, HTTP", httpProduce, "its Kafka port", kafkaProduce);
        String topic = topic("read", valueBytes);
        written(topic, Wire.KAFKA, valueBytes, records / 4, 0); // off the clock
        long[] ends = broker.broker().describeTopic(topic).partitions().stream()
                .mapToLong(Broker.PartitionInfo::endOffset).toArray();
        List<Figures> httpRead = new ArrayList<>();
        List<Figures> kafkaRead = new ArrayList<>();
        for (int run = 0; run < repeats; run++) {
            for (Wire wire : run % 2 == 0 ? List.of(Wire.KAFKA, Wire.HTTP) : List.of(Wire.HTTP, Wire.KAFKA)) {
                (wire == Wire.HTTP ? httpRead : kafkaRead).add(read(wire, topic, ends, valueBytes));
            }
        }
        broker.broker().deleteTopic(topic);
        compare("read, from another JVM", httpRead, "a Fetch", kafkaRead);
        return produceRatio;
    }
    // end::over-the-wire[]

    private Figures produce(Wire wire, int valueBytes, long records) {
        String topic = topic("produce-" + wire.name().toLowerCase(Locale.ROOT), valueBytes);
        ManyConnectionsLoad.Result result = written(topic, wire, valueBytes, records, records / 2);
        broker.broker().deleteTopic(topic);
        return new Figures(result.recordsPerSecond(), result.megabytesPerSecond(), result.p50Millis(),
                result.p99Millis(), result.clientCpuSeconds() / result.seconds());
    }

    /**
     * Makes {@code topic}, a partition a connection, and writes it over {@code wire}; checks that the broker holds
     * exactly the records acknowledged.
     */
    private ManyConnectionsLoad.Result written(String topic, Wire wire, int valueBytes, long records, long warmUp) {
        Broker ours = broker.broker();
        ours.createTopic(topic, connections, Map.of(), OnDuplicate.FAIL);
        ManyConnectionsLoad.Shape shape = new ManyConnectionsLoad.Shape(List.of(topic), connections, connections,
                BrokerBenchmark.BATCH, 1, valueBytes);
        ManyConnectionsLoad.Result result = ManyConnectionsLoad.run(wire, port(wire), shape, records, warmUp, work);
        long acknowledged = result.records() + result.recordsBeforeTheClock();
        long held = ours.describeTopic(topic).partitions().stream().mapToLong(Broker.PartitionInfo::endOffset).sum();
        if (held != acknowledged) {
            throw new IllegalStateException(acknowledged + " records were acknowledged over " + wire + " and the broker"
                    + " holds " + held);
        }
        return result;
    }

    private Figures read(Wire wire, String topic, long[] ends, int valueBytes) {
        PartitionReadLoad.Result result = PartitionReadLoad.run(wire, port(wire), topic, ends, BrokerBenchmark.BATCH,
                valueBytes, work);
        return new Figures(result.recordsPerSecond(), result.megabytesPerSecond(), result.p50Millis(),
                result.p99Millis(), result.clientCpuSeconds() / result.seconds());
    }

    /** Prints both sides, best of their runs by rate, and returns the first's rate as a share of the second's. */
    private double compare(String name, List<Figures> http, String against, List<Figures> kafka) {
        Figures overHttp = best(http);
        Figures overKafka = best(kafka);
        double ratio = overHttp.recordsPerSecond() / overKafka.recordsPerSecond();
        report.line(String.format("  %-26s %,10.0f records/s %7.1f MB/s  p50 %6.2f ms  p99 %6.2f ms  client %3.0f %% of a"
                + " core", name, overHttp.recordsPerSecond(), overHttp.megabytesPerSecond(), overHttp.p50Millis(),
                overHttp.p99Millis(), 100 * overHttp.clientShareOfACore()));
        report.line(String.format("      against %-22s %,10.0f records/s %7.1f MB/s  p50 %6.2f ms  p99 %6.2f ms  client %3.0f %%"
                + " of a core  ratio %.2f", against, overKafka.recordsPerSecond(), overKafka.megabytesPerSecond(),
                overKafka.p50Millis(), overKafka.p99Millis(), 100 * overKafka.clientShareOfACore(), ratio));
        return ratio;
    }

    private static Figures best(List<Figures> runs) {
        ToDoubleFunction<Figures> rate = Figures::recordsPerSecond;
        return runs.stream().max((a, b) -> Double.compare(rate.applyAsDouble(a), rate.applyAsDouble(b))).orElseThrow();
    }

    private int port(Wire wire) {
        return wire == Wire.HTTP ? broker.http().port() : broker.kafka().port();
    }

    private static String topic(String what, int valueBytes) {
        return "over-the-wire-" + what + "-" + valueBytes + "-" + System.nanoTime();
    }
}
