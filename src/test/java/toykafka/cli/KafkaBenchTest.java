package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.harness.KcatBinary;

/**
 * {@code toykafka bench kafka --quick --repeats 1}: our broker and Apache Kafka, both started by the benchmark, every row
 * measured on both with a positive figure and a ratio, those over SSL and SASL_SSL too; a table, a CSV and a chart;
 * nothing left running or on disk (the throwaway CA included). It checks the rows, never a speed.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaBenchTest {

    @TempDir
    Path dir;

    @Test
    void the_quick_run_measures_every_row_on_both_brokers_and_writes_a_table_a_csv_and_a_chart() throws Exception {
        Set<Long> before = javaProcesses();
        Path report = dir.resolve("kafka.txt");
        // one run of each row on each broker: the test checks the rows, and three runs would triple its time
        CommandRun bench = CommandRun.of("bench", "kafka", "--quick", "--repeats", "1", "--out", report.toString());
        assertEquals(0, bench.exitCode(), bench.errors() + bench.out());

        List<String> csv = Files.readAllLines(dir.resolve("kafka.csv"));
        assertEquals("row,metric,unit,better,ours_runs,kafka_runs,ours_best,ours_median,kafka_best,kafka_median,ratio,"
                + "median_ratio,target,met", csv.get(0));
        Set<String> rows = new TreeSet<>();
        for (String line : csv.subList(1, csv.size())) {
            String[] cells = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
            rows.add(cells[0].replace("\"", "") + " | " + cells[1]);
            for (int figure = 6; figure <= 11; figure++) {
                double value = Double.parseDouble(cells[figure]);
                assertTrue(value > 0 && Double.isFinite(value), "figure " + figure + " is positive: " + line);
            }
        }
        Set<String> expected = new TreeSet<>();
        for (String partitions : List.of("1 partition", "8 partitions")) {
            for (String size : List.of("100 B", "1 KiB")) {
                for (String acks : List.of("acks=1", "acks=all")) {
                    String name = partitions + ", " + size + ", " + acks;
                    for (String metric : List.of("records/s", "MB/s", "p50 ms", "p99 ms")) {
                        expected.add("produce, " + name + " | " + metric);
                    }
                    if (acks.equals("acks=1")) {
                        expected.add("consume, " + name + " | records/s");
                        expected.add("consume, " + name + " | MB/s");
                    }
                }
            }
        }
        // beside the plaintext row of their shape: what TLS, and SCRAM over TLS, cost each broker
        for (String protocol : List.of("SSL", "SASL_SSL (SCRAM-SHA-512)")) {
            String name = "over " + protocol + ", 1 partition, 1 KiB, acks=1";
            for (String metric : List.of("records/s", "MB/s", "p50 ms", "p99 ms")) {
                expected.add("produce " + name + " | " + metric);
            }
            expected.add("consume " + name + " | records/s");
            expected.add("consume " + name + " | MB/s");
        }
        for (String size : List.of("100 B", "1 KiB")) {
            for (String metric : List.of("records/s", "MB/s", "p50 ms", "p99 ms")) {
                expected.add("produce durable (flush.messages=1), " + size + ", acks=all | " + metric);
            }
            expected.add("consume as a group of 3, 8 partitions, " + size + " | records/s");
            expected.add("consume as a group of 3, 8 partitions, " + size + " | MB/s");
        }
        String perfTestSize = "100 B"; // 1 KiB as well in a full run
        expected.add("kafka-consumer-perf-test, " + perfTestSize + " | records/s");
        expected.add("kafka-consumer-perf-test, " + perfTestSize + ", fetching alone | records/s");
        for (String acks : List.of("acks=1", "acks=all")) {
            expected.add("kafka-producer-perf-test, " + perfTestSize + ", " + acks + " | records/s");
            expected.add("kafka-producer-perf-test, " + perfTestSize + ", " + acks + " | p99 ms");
        }
        for (String size : List.of("100 B", "1 KiB")) {
            for (String each : List.of("1 record", "100 records")) {
                String name = "1 partition, " + size + ", " + each + " a transaction";
                for (String metric : List.of("records/s", "MB/s", "p50 ms", "p99 ms")) {
                    expected.add("produce in transactions, " + name + " | " + metric);
                }
                if (each.startsWith("100")) {
                    expected.add("consume read_committed, " + name + " | records/s");
                    expected.add("consume read_committed, " + name + " | MB/s");
                }
            }
        }
        expected.add("fetch only (Fetch requests, nothing decoded), 1 partition, 1 KiB, acks=1 | records/s");
        expected.add("fetch only (Fetch requests, nothing decoded), 1 partition, 1 KiB, acks=1 | MB/s");
        expected.add("end to end at 500 records/s, 100 B | p50 ms");
        expected.add("end to end at 500 records/s, 100 B | p99 ms");
        for (String partitions : List.of("1 partition", "10 partitions", "50 partitions")) { // 100 and 1,000 in a full run
            expected.add("scale: " + partitions + ", 100 B, acks=1 | records/s");
        }
        for (String connections : List.of("1 producer connection", "10 producer connections")) { // 100 in a full run
            expected.add("scale: " + connections + ", 8 partitions, 100 B | records/s");
        }
        for (String connections : List.of("10", "100")) { // 100 and 1,000 in a full run
            String name = "scale: " + connections + " connections from one client thread, 8 partitions, 100 B, 100 a request";
            expected.add(name + " | records/s");
            expected.add(name + " | p99 ms");
        }
        // 10,000 partitions (10 topics of 1,000) in a full run
        String manyPartitions = "scale: 100 partitions (2 topics of 50), 10 connections from one client thread, 100 B, 10 a"
                + " partition, 100 partitions a request";
        expected.add(manyPartitions + " | records/s");
        expected.add(manyPartitions + " | p99 ms");
        for (String codec : List.of("lz4", "zstd", "snappy", "gzip")) {
            String name = codec + ", 8 partitions, 1 KiB orders as JSON, acks=1";
            for (String metric : List.of("records/s", "MB/s", "p50 ms", "p99 ms")) {
                expected.add("produce " + name + " | " + metric);
            }
            expected.add("consume " + name + " | records/s");
            expected.add("consume " + name + " | MB/s");
        }
        for (String metric : List.of("records/s", "MB/s", "p50 ms", "p99 ms")) {
            expected.add("produce one record a request (linger.ms=0, each send waited for), 100 B, acks=1 | " + metric);
        }
        for (String protocol : List.of("classic, eager", "classic, cooperative", "consumer (KIP-848)")) {
            String name = "a member busy 1 s as a third joins, " + protocol; // 10 s in a full run
            expected.add(name + ": the newcomer's first partition | ms");
            expected.add(name + ": its whole share | ms");
            expected.add("it leaves again, " + protocol + ": until the other two own every partition | ms");
        }
        // 5,000 members, 1,000 partitions, every 4 s in a full run
        for (String shape : List.of("500 members of one group", "5 groups of 100")) {
            String name = "KIP-848 heartbeats, " + shape + ", 1 topic of 100 partitions, each member every 1 s";
            for (String metric : List.of("heartbeats/s", "p50 ms", "p99 ms", "max ms", "broker CPU %")) {
                expected.add(name + " | " + metric);
            }
        }
        boolean kcat = kcatInstalled();
        if (kcat) {
            for (String partitions : List.of("1 partition", "8 partitions")) {
                for (String size : List.of("100 B", "1 KiB")) {
                    for (String way : List.of("kcat -P (librdkafka produce), ", "kcat -C (librdkafka consume), ")) {
                        expected.add(way + partitions + ", " + size + " | records/s");
                        expected.add(way + partitions + ", " + size + " | MB/s");
                    }
                }
            }
        }
        for (String metric : List.of("records/s", "MB/s")) {
            for (int members : List.of(1, 4, 8)) {
                expected.add("share group of " + members + ", 1 partition, 100 B, each record accepted | " + metric);
            }
            expected.add("beside them: a consumer group of 1 reading the same partition | " + metric);
        }
        expected.add("start-up, empty, launch to first produce | ms");
        expected.add("start-up after kill -9 holding 8 MB | ms");
        assertEquals(expected, rows);

        String text = Files.readString(report);
        assertTrue(text.contains("toykafka against Apache Kafka 4.4."), text);
        assertTrue(text.contains("start-up after kill -9 holding 8 MB") && text.contains("<= 1.0 "), text);
        assertTrue(java.util.regex.Pattern.compile("a fetch-only consumer of 1 KiB records \\(1 partition\\) read [\\d.]+ MB/s"
                + " .* sent [\\d.]+ MB/s; ratio [\\d.]+ \\(target >= 0.5 (met|MISSED)\\)").matcher(text).find(), text);
        assertTrue(kcat ? text.contains("The kcat rows ran kcat ") : text.contains("No kcat rows: kcat is not installed"),
                text);
        // each side's processor time in the kafka-clients throughput rows, so a lost row can be told from a busy broker
        assertTrue(text.contains("Each broker's processor time while the client ran"), text);
        for (String row : List.of("produce, 1 partition, 100 B, acks=1", "consume, 8 partitions, 100 B, acks=1",
                "consume as a group of 3, 8 partitions, 100 B", "produce gzip, 8 partitions, 1 KiB orders as JSON, acks=1",
                "scale: 1 partition, 100 B, acks=1", "scale: 10 producer connections, 8 partitions, 100 B",
                "produce over SSL, 1 partition, 1 KiB, acks=1",
                "consume over SASL_SSL (SCRAM-SHA-512), 1 partition, 1 KiB, acks=1")) {
            assertTrue(java.util.regex.Pattern.compile("\n  " + java.util.regex.Pattern.quote(row)
                    + " +[\\d.]+ / +[\\d.]+ us +\\d+ % / +\\d+ %\n").matcher(text).find(), row + " in " + text);
        }
        if (kcat) {
            // each side's processor time while kcat read is counted, so a lost read row can be told from a busy broker
            for (String row : List.of("1 partition, 100 B", "1 partition, 1 KiB", "8 partitions, 100 B",
                    "8 partitions, 1 KiB")) {
                assertTrue(java.util.regex.Pattern.compile("\n  " + java.util.regex.Pattern.quote(
                        "kcat -C (librdkafka consume), " + row) + " +[\\d.]+ / +[\\d.]+ us +\\d+ % / +\\d+ %\n")
                        .matcher(text).find(), row + " in " + text);
            }
        }
        byte[] png = Files.readAllBytes(dir.resolve("kafka.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4), "the chart is a PNG");
        for (String group : List.of("throughput", "codecs-and-single-records", "transactions", "latency-and-scale",
                "clients-nobody-here-wrote", "group-protocols", "share-groups", "start-up")) {
            byte[] groupChart = Files.readAllBytes(dir.resolve("kafka-" + group + ".png"));
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(groupChart, 4), group);
            assertTrue(text.contains("kafka-" + group + ".png"), text);
        }
        assertTrue(Files.notExists(dir.resolve("kafka-brokers")), "the brokers' folders are removed");
        Set<Long> left = javaProcesses();
        left.removeAll(before);
        assertEquals(Set.of(), left, "no broker JVM is left running");
    }

    @Test
    void bad_options_are_refused_before_any_broker_starts() {
        CommandRun.assertRefused("--repeats must be from 1 to 20; was 0", "bench", "kafka", "--repeats", "0",
                "--out", dir.resolve("k.txt").toString());
    }

    /**
     * Whether the kcat rows must be there: kcat is on the PATH, or CI says it must be (and then the bench, finding
     * none, fails this test by leaving them out).
     */
    private static boolean kcatInstalled() {
        if (!System.getenv().getOrDefault("TOYKAFKA_REQUIRE_KCAT", "").isEmpty()) {
            return true;
        }
        return KcatBinary.onPath().isPresent();
    }

    /** The JVMs this one started that are still alive. */
    private static Set<Long> javaProcesses() {
        Set<Long> pids = new TreeSet<>();
        ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).forEach(child -> pids.add(child.pid()));
        return new TreeSet<>(new ArrayList<>(pids));
    }
}
