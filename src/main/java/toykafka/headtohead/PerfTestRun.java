package toykafka.headtohead;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import toykafka.harness.ChildJvm;

/**
 * Kafka's own {@code kafka-producer-perf-test} (its class {@code org.apache.kafka.tools.ProducerPerformance}, from
 * the jars of the course's Apache Kafka) run in a JVM of its own against a broker: a client nobody here
 * wrote, with its own defaults but for the address and acks, and its own closing line read for the figures.
 */
final class PerfTestRun {

    /** "100000 records sent, 41459.37 records/sec (3.95 MB/sec), 420.55 ms avg latency, … 424 ms 50th, 700 ms 95th, 753 ms 99th". */
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\),"
            + ".* (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th");
    /** kafka-consumer-perf-test's columns, named by its header line; the figures follow on the next. */
    private static final List<String> CONSUMER_COLUMNS = List.of("start.time", "end.time", "data.consumed.in.MB",
            "MB.sec", "data.consumed.in.nMsg", "nMsg.sec", "rebalance.time.ms", "fetch.time.ms", "fetch.MB.sec",
            "fetch.nMsg.sec");

    private PerfTestRun() {
    }

    /** Sends {@code records} records of {@code recordBytes} to {@code topic} as fast as the broker takes them. */
    static HeadToHeadLoad.Figures run(String bootstrap, String topic, int records, int recordBytes, String acks, Path workDir) {
        String printed = ChildJvm.runKafkaTool("kafka-producer-perf-test", workDir, "org.apache.kafka.tools.ProducerPerformance",
                "--topic", topic, "--num-records", String.valueOf(records), "--record-size", String.valueOf(recordBytes),
                "--throughput", "-1", "--command-property", "bootstrap.servers=" + bootstrap, "acks=" + acks);
        Matcher summary = SUMMARY.matcher(printed);
        if (!summary.find()) {
            throw new IllegalStateException("kafka-producer-perf-test against " + bootstrap + " printed no summary line:\n"
                    + printed.strip());
        }
        long sent = Long.parseLong(summary.group(1));
        double perSecond = Double.parseDouble(summary.group(2));
        return new HeadToHeadLoad.Figures(sent, (long) sent * recordBytes, sent / perSecond,
                Double.parseDouble(summary.group(4)), Double.parseDouble(summary.group(6)));
    }

    /**
     * Kafka's {@code kafka-consumer-perf-test} ({@code org.apache.kafka.tools.ConsumerPerformance}) reading
     * {@code records} records from the topic's start as a group of one: the whole run's figures, the group's
     * join included, then those of the fetching alone, as it reports them.
     */
    static HeadToHeadLoad.Figures[] consume(String bootstrap, String topic, long records, Path workDir) {
        String printed = ChildJvm.runKafkaTool("kafka-consumer-perf-test", workDir, "org.apache.kafka.tools.ConsumerPerformance",
                "--bootstrap-server", bootstrap, "--topic", topic, "--num-records", String.valueOf(records),
                "--group", topic + "-perf-test", "--timeout", "60000");
        List<String> lines = printed.lines().map(String::strip).toList();
        int header = lines.indexOf(String.join(", ", CONSUMER_COLUMNS));
        if (header < 0 || header + 1 >= lines.size()) {
            throw new IllegalStateException("kafka-consumer-perf-test against " + bootstrap + " printed no figures:\n"
                    + printed.strip());
        }
        String[] figures = lines.get(header + 1).split(",\\s*");
        long consumed = Long.parseLong(figures[CONSUMER_COLUMNS.indexOf("data.consumed.in.nMsg")]);
        if (consumed < records) {
            throw new IllegalStateException("kafka-consumer-perf-test read " + consumed + " of " + records + " records of "
                    + topic + " from " + bootstrap);
        }
        long bytes = (long) (Double.parseDouble(figures[CONSUMER_COLUMNS.indexOf("data.consumed.in.MB")]) * (1 << 20));
        double perSecond = Double.parseDouble(figures[CONSUMER_COLUMNS.indexOf("nMsg.sec")]);
        double fetchPerSecond = Double.parseDouble(figures[CONSUMER_COLUMNS.indexOf("fetch.nMsg.sec")]);
        return new HeadToHeadLoad.Figures[] {
            new HeadToHeadLoad.Figures(consumed, bytes, consumed / perSecond, Double.NaN, Double.NaN),
            new HeadToHeadLoad.Figures(consumed, bytes, consumed / fetchPerSecond, Double.NaN, Double.NaN)};
    }
}
