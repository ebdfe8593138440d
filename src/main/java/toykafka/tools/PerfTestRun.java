package toykafka.tools;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own {@code kafka-producer-perf-test} (its class {@code org.apache.kafka.tools.ProducerPerformance}, from
 * the kafka-tools jar on the course's class path) run in a JVM of its own against a broker: a client nobody here
 * wrote, with its own defaults but for the address and acks, and its own closing line read for the figures.
 */
final class PerfTestRun {

    /** "100000 records sent, 41459.37 records/sec (3.95 MB/sec), 420.55 ms avg latency, … 424 ms 50th, 700 ms 95th, 753 ms 99th". */
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\),"
            + ".* (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th");
    private static final long TIME_LIMIT_SECONDS = 300;

    private PerfTestRun() {
    }

    /** Sends {@code records} records of {@code recordBytes} to {@code topic} as fast as the broker takes them. */
    static HeadToHeadLoad.Figures run(String bootstrap, String topic, int records, int recordBytes, String acks, Path workDir) {
        Path output = workDir.resolve("perf-test.out");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.ProducerPerformance",
                "--topic", topic, "--num-records", String.valueOf(records), "--record-size", String.valueOf(recordBytes),
                "--throughput", "-1", "--producer-props", "bootstrap.servers=" + bootstrap, "acks=" + acks);
        try {
            Files.createDirectories(workDir);
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(TIME_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kafka-producer-perf-test ran over " + TIME_LIMIT_SECONDS + " s against "
                        + bootstrap + "; its output is in " + output);
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            Matcher summary = SUMMARY.matcher(printed);
            if (process.exitValue() != 0 || !summary.find()) {
                throw new IllegalStateException("kafka-producer-perf-test against " + bootstrap + " exited with "
                        + process.exitValue() + " and no summary line:\n" + printed.strip());
            }
            long sent = Long.parseLong(summary.group(1));
            double perSecond = Double.parseDouble(summary.group(2));
            return new HeadToHeadLoad.Figures(sent, (long) sent * recordBytes, sent / perSecond,
                    Double.parseDouble(summary.group(4)), Double.parseDouble(summary.group(6)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kafka-producer-perf-test: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running kafka-producer-perf-test", e);
        }
    }
}
