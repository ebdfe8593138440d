package toykafka.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.harness.BenchBroker;
import toykafka.harness.PrintedReport;
import toykafka.harness.WorkFolder;
import toykafka.lesson09.FileLog;

/**
 * The broker over HTTP against its own file log, in one run: produce and read throughput, and the latency
 * of each request, for single records and batches of 500, as a client on this machine sees them. The log
 * is the baseline, so the ratio says what the HTTP front end, JSON and the broker's bookkeeping cost. Then the
 * same broker's HTTP against its Kafka port, from a client in a JVM of its own ({@link HttpAgainstKafkaPort}),
 * and the data path without a front end ({@link DataPathBenchmark}): what a Kafka front end stands on.
 */
public final class BrokerBenchmark {

    /** How much to move: records per batched run, requests per single-record run, best of how many runs. */
    public record Settings(Path workDir, int batchedRecords, int singleRecords, int clients, int repeats) {
    }

    public static final int BATCH = 500;
    private static final int[] VALUE_SIZES = {100, 1024};
    private static final double BATCHED_PRODUCE_TARGET = 0.5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final PrintedReport report;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public BrokerBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.report = new PrintedReport(out);
    }

    /** A rate of records and bytes, and the latency of the requests that moved them. */
    record Run(double recordsPerSecond, double megabytesPerSecond, double p50Millis, double p99Millis) {
        static Run best(List<Run> runs) {
            return runs.stream().max((a, b) -> Double.compare(a.recordsPerSecond, b.recordsPerSecond)).orElseThrow();
        }
    }

    private static final int WARM_UP_ROUNDS = 5;

    public String run() {
        report.heading("broker");
        report.line("  the broker in this process on a loopback port; " + settings.clients() + " client threads with"
                + " keep-alive HTTP/1.1 connections; JSON string values; after " + WARM_UP_ROUNDS + " unmeasured rounds of"
                + " batched produce and read, best of " + settings.repeats());
        report.line("  then from a JVM of its own: one client thread, " + settings.clients() + " connections, a partition"
                + " each, " + BATCH + " records a request, the same records produced and read over HTTP and over the"
                + " broker's Kafka port, taking turns, best of " + settings.repeats());
        List<String> targets = new ArrayList<>();
        try (WorkFolder work = WorkFolder.under(settings.workDir(), "broker-bench-")) {
            for (int size : VALUE_SIZES) {
                targets.add(measure(work.path(), size));
            }
            // five times the records of the HTTP runs: in process a run of 400 batches is over in 15 ms
            DataPathBenchmark dataPath = new DataPathBenchmark(work.path(), Math.max(20, 5 * settings.batchedRecords() / BATCH),
                    settings.repeats(), report);
            targets.addAll(dataPath.run("x".repeat(VALUE_SIZES[0])));
        }
        report.line("targets: " + String.join("; ", targets));
        return report.text();
    }

    private String measure(Path work, int valueSize) {
        String value = "x".repeat(valueSize);
        report.line("values of " + valueSize + " bytes:");
        Run logAppend = Run.best(repeat(() -> logAppend(work, value)));
        Run logRead = Run.best(repeat(() -> logRead(work, value)));
        try (BenchBroker broker = BenchBroker.start(BenchBroker.config(work.resolve("broker-" + valueSize)))
                .withHttp(System.err).withKafka(System.err)) {
            String address = broker.http().address();
            AtomicInteger topics = new AtomicInteger();
            // Unmeasured rounds first: a run lasts half a second, and without them the JIT compiler takes a third
            // of the CPU during the measured ones, which the log's own loops, far shorter, do not pay.
            for (int round = 0; round < WARM_UP_ROUNDS; round++) {
                produce(address, "warm-up-" + round, value, settings.batchedRecords(), BATCH);
                read(address, "warm-up-" + round, valueSize);
            }
            Run batched = Run.best(repeat(() -> produce(address, "batched-" + topics.incrementAndGet(), value,
                    settings.batchedRecords(), BATCH)));
            Run single = Run.best(repeat(() -> produce(address, "single-" + topics.incrementAndGet(), value,
                    settings.singleRecords(), 1)));
            Run read = Run.best(repeat(() -> read(address, "batched-1", valueSize)));
            compare("produce, batches of 500", batched, "log appendAll of 500", logAppend);
            compare("produce, one record each", single, "log appendAll of 500", logAppend);
            compare("read 500 at a time", read, "log readBatch of 500", logRead);
            double ratio = new HttpAgainstKafkaPort(broker, work, settings.clients(), settings.repeats(), report)
                    .measure(valueSize, Math.max(settings.batchedRecords(), 10L * settings.batchedRecords() * 100 / valueSize));
            return String.format("batched produce %d B over HTTP %.2f of the Kafka port (>= %.1f %s)", valueSize, ratio,
                    BATCHED_PRODUCE_TARGET, ratio >= BATCHED_PRODUCE_TARGET ? "met" : "MISSED");
        }
    }

    private List<Run> repeat(java.util.function.Supplier<Run> once) {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < settings.repeats(); i++) {
            runs.add(once.get());
        }
        return runs;
    }

    private void compare(String what, Run http, String baseline, Run log) {
        report.line(String.format("  %-26s %,10.0f records/s %7.1f MB/s  p50 %6.2f ms  p99 %6.2f ms", what,
                http.recordsPerSecond(), http.megabytesPerSecond(), http.p50Millis(), http.p99Millis()));
        report.line(String.format("      against %-22s %,10.0f records/s  ratio %.2f", baseline, log.recordsPerSecond(),
                http.recordsPerSecond() / log.recordsPerSecond()));
    }

    // tag::baseline[]
    /** The file log's own append of the same records in batches of 500, one appender: the baseline. */
    private Run logAppend(Path work, String value) {
        Path dir = work.resolve("log-" + System.nanoTime());
        try (FileLog log = FileLog.open(dir, "baseline", 0, TopicConfig.defaults())) {
            List<Record> batch = new ArrayList<>(BATCH);
            long started = System.nanoTime();
            for (int i = 0; i < settings.batchedRecords(); i += BATCH) {
                batch.clear();
                for (int j = 0; j < BATCH; j++) {
                    batch.add(record(value, i + j));
                }
                log.appendAll(batch);
            }
            return rate(settings.batchedRecords(), value.length(), started, new long[0]);
        } finally {
            WorkFolder.deleteQuietly(dir);
        }
    }
    // end::baseline[]

    private Run logRead(Path work, String value) {
        Path dir = work.resolve("log-" + System.nanoTime());
        try (FileLog log = FileLog.open(dir, "baseline", 0, TopicConfig.defaults())) {
            List<Record> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < settings.batchedRecords(); i += BATCH) {
                batch.clear();
                for (int j = 0; j < BATCH; j++) {
                    batch.add(record(value, i + j));
                }
                log.appendAll(batch);
            }
            long started = System.nanoTime();
            long offset = 0;
            while (offset < log.endOffset()) {
                offset += log.readBatch(offset, BATCH).size();
            }
            return rate(offset, value.length(), started, new long[0]);
        } finally {
            WorkFolder.deleteQuietly(dir);
        }
    }

    private static Record record(String value, int n) {
        return new Record(null, value.getBytes(), Instant.ofEpochMilli(1_700_000_000_000L + n), List.of());
    }

    /** Sends {@code records} records to a new topic in requests of {@code perRequest}, from every client thread. */
    private Run produce(String address, String topic, String value, int records, int perRequest) {
        post(address, "/v3/clusters/toykafka/topics", "{\"topic_name\":\"" + topic + "\",\"partitions_count\":"
                + settings.clients() + "}");
        String one = "{\"value\":\"" + value + "\"}";
        int requestsEach = Math.max(1, records / perRequest / settings.clients());
        ExecutorService clients = Executors.newFixedThreadPool(settings.clients());
        try {
            List<Future<long[]>> latencies = new ArrayList<>();
            long started = System.nanoTime();
            for (int c = 0; c < settings.clients(); c++) {
                // each client writes its own partition, as a producer's batches for one partition go one by one
                String body = perRequest == 1 ? one.replace("{", "{\"partition_id\":" + c + ",")
                        : "[" + String.join(",", java.util.Collections.nCopies(perRequest,
                        one.replace("{", "{\"partition_id\":" + c + ","))) + "]";
                latencies.add(clients.submit(() -> {
                    long[] took = new long[requestsEach];
                    for (int r = 0; r < requestsEach; r++) {
                        long sent = System.nanoTime();
                        post(address, "/v3/clusters/toykafka/topics/" + topic + "/records", body);
                        took[r] = System.nanoTime() - sent;
                    }
                    return took;
                }));
            }
            long[] all = gather(latencies);
            return rate((long) requestsEach * settings.clients() * perRequest, value.length(), started, all);
        } finally {
            clients.shutdownNow();
        }
    }

    /** Reads a topic's first partition from the start, 500 records a request. */
    private Run read(String address, String topic, int valueSize) {
        List<Long> took = new ArrayList<>();
        long offset = 0;
        long started = System.nanoTime();
        while (true) {
            long sent = System.nanoTime();
            HttpResponse<String> response = get(address, "/topics/" + topic + "/partitions/0/records?timeout=0&max_records="
                    + BATCH + "&offset=" + offset);
            took.add(System.nanoTime() - sent);
            long next = Long.parseLong(response.headers().firstValue("X-Next-Offset").orElseThrow());
            if (next == offset) {
                break;
            }
            offset = next;
        }
        return rate(offset, valueSize, started, took.stream().mapToLong(Long::longValue).toArray());
    }

    private static long[] gather(List<Future<long[]>> futures) {
        List<long[]> parts = new ArrayList<>();
        for (Future<long[]> future : futures) {
            try {
                parts.add(future.get());
            } catch (Exception e) {
                throw new IllegalStateException("a client of the benchmark failed: " + e.getMessage(), e);
            }
        }
        return parts.stream().flatMapToLong(Arrays::stream).toArray();
    }

    private static Run rate(long records, int valueSize, long startedNanos, long[] latenciesNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        Arrays.sort(latenciesNanos);
        double p50 = latenciesNanos.length == 0 ? 0 : latenciesNanos[latenciesNanos.length / 2] / 1e6;
        double p99 = latenciesNanos.length == 0 ? 0 : latenciesNanos[(int) Math.min(latenciesNanos.length - 1,
                Math.ceil(latenciesNanos.length * 0.99) - 1)] / 1e6;
        return new Run(records / seconds, records * (double) valueSize / seconds / 1e6, p50, p99);
    }

    private HttpResponse<String> post(String address, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(address + path)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> get(String address, String path) {
        return send(HttpRequest.newBuilder(URI.create(address + path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.header("Content-Type", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                JsonNode error = JSON.readTree(response.body());
                throw new IllegalStateException("the broker refused a benchmark request: " + error.path("message").asText());
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
