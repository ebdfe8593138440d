package toykafka.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import toykafka.broker.config.BrokerConfig;
import toykafka.harness.BenchBroker;
import toykafka.harness.KafkaClientLoad;
import toykafka.harness.WorkFolder;

/**
 * What open console pages cost the broker: kafka-clients' produce throughput with no page open, against the
 * same with {@code pages} open, alternating, each page a loop that asks what the console's script asks on a
 * partition's view (the watch, the partition, its newest batches) no more often than the script redraws. Also the
 * broker's threads and its heap after a collection, before the pages and after.
 */
public final class ConsoleLoadBenchmark {

    /** The console script's own pace: one redraw at most every 500 ms, however busy the partition. */
    private static final Duration REDRAW = Duration.ofMillis(500);
    private static final String TOPIC = "orders";
    private static final int VALUE_BYTES = 100;
    /** The soak's pace: busy enough that every watch finds news, slow enough that ten minutes fit on a disk. */
    private static final int SOAK_RECORDS_PER_SECOND = 2_000;
    private static final Pattern TOKEN = Pattern.compile("\"watch_token\":(\\d+)");
    private static final Pattern NEXT = Pattern.compile("\"next_offset\":(\\d+)");
    private static final Pattern END = Pattern.compile("\"high_watermark\":(\\d+)");
    /** How far back the script's tail reads while it follows a busy partition, and how much at a time. */
    private static final int FOLLOW_BACK = 50;
    private static final int FOLLOW_BYTES = 4 * 1024;

    /**
     * @param folder  where the broker keeps its data for the run
     * @param pages   pages open in the measured runs
     * @param run     how long each produce run lasts
     * @param repeats runs with and without pages, alternating; the best of each counts
     */
    public record Settings(Path folder, int pages, Duration run, int repeats) {
    }

    private final Settings settings;
    private final PrintStream out;

    public ConsoleLoadBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Runs it and returns the report. */
    public String run() {
        BrokerConfig config = brokerConfig();
        try (BenchBroker broker = BenchBroker.start(config).withHttp(out).withKafka(out)) {
            KafkaClientLoad load = new KafkaClientLoad(broker.kafka().bootstrapServers(), TOPIC);
            load.createTopic();
            produceFor(load, Duration.ofSeconds(2)); // warm-up: code compiled, connections made
            double alone = 0;
            double watched = 0;
            long requests = 0;
            double seconds = 0;
            long httpCpu = 0;
            int threadsBefore = brokerThreads();
            long heapBefore = heapAfterCollection();
            int threadsOpen = 0;
            for (int round = 0; round < settings.repeats(); round++) {
                boolean pagesFirst = round % 2 == 1;
                for (boolean withPages : pagesFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    if (!withPages) {
                        alone = Math.max(alone, produceFor(load, settings.run()));
                        continue;
                    }
                    long cpuBefore = httpCpuNanos();
                    try (Pages pages = new Pages(broker.http().address(), settings.pages())) {
                        watched = Math.max(watched, produceFor(load, settings.run()));
                        httpCpu += httpCpuNanos() - cpuBefore;
                        threadsOpen = Math.max(threadsOpen, brokerThreads());
                        requests += pages.requests.get();
                        seconds += settings.run().toNanos() / 1e9;
                    }
                }
            }
            long heapAfter = heapAfterCollection();
            String report = String.join("\n",
                    "Console pages against produce throughput (kafka-clients, acks=1, " + VALUE_BYTES + "-byte values,"
                            + " best of " + settings.repeats() + " runs of " + settings.run().toSeconds() + " s each):",
                    String.format("  no page open:        %,12.0f records/s", alone),
                    String.format("  %3d pages open:       %,12.0f records/s  (%.3f of no page; %,.0f page requests/s)",
                            settings.pages(), watched, watched / alone, requests / Math.max(seconds, 1e-9)),
                    String.format("  serving the pages:    %.1f %% of one core (CPU time of the broker's HTTP threads)",
                            100.0 * httpCpu / Math.max(seconds * 1e9, 1)),
                    String.format("  broker threads:       %d before the pages, %d with them open", threadsBefore,
                            threadsOpen),
                    String.format("  heap after a GC:      %.1f MiB before, %.1f MiB after", heapBefore / 1048576.0,
                            heapAfter / 1048576.0),
                    "");
            out.print(report);
            return report;
        } finally {
            WorkFolder.deleteQuietly(settings.folder());
        }
    }

    /**
     * Pages left open on a busy partition for {@code minutes}: the broker's threads and its heap after a
     * collection, once a minute. Flat lines mean an open page holds nothing that grows.
     */
    public String soak(int minutes) {
        BrokerConfig config = brokerConfig();
        List<String> lines = new ArrayList<>();
        lines.add(settings.pages() + " page(s) open on a partition a producer writes " + SOAK_RECORDS_PER_SECOND
                + " records a second to, sampled each minute:");
        try (BenchBroker broker = BenchBroker.start(config).withHttp(out).withKafka(out)) {
            KafkaClientLoad load = new KafkaClientLoad(broker.kafka().bootstrapServers(), TOPIC);
            load.createTopic();
            AtomicBoolean producing = new AtomicBoolean(true);
            Thread producer = new Thread(() -> {
                byte[] value = new byte[VALUE_BYTES];
                try (KafkaProducer<byte[], byte[]> till = new KafkaProducer<>(load.producerSettings())) {
                    while (producing.get()) { // a tenth of a second's records, then the rest of that tenth
                        long started = System.nanoTime();
                        for (int i = 0; i < SOAK_RECORDS_PER_SECOND / 10; i++) {
                            till.send(new ProducerRecord<>(TOPIC, 0, null, value));
                        }
                        till.flush();
                        Thread.sleep(Math.max(0, 100 - (System.nanoTime() - started) / 1_000_000));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "soak-producer");
            producer.start();
            try (Pages pages = new Pages(broker.http().address(), settings.pages())) {
                for (int minute = 0; minute <= minutes; minute++) {
                    if (minute > 0) {
                        Thread.sleep(60_000);
                    }
                    String line = String.format("  minute %2d: broker threads %d, heap after a GC %.1f MiB, page"
                            + " requests so far %,d", minute, brokerThreads(), heapAfterCollection() / 1048576.0,
                            pages.requests.get());
                    lines.add(line);
                    out.println(line);
                }
            } finally {
                producing.set(false);
                producer.join(60_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the console soak was interrupted", e);
        } finally {
            WorkFolder.deleteQuietly(settings.folder());
        }
        return String.join("\n", lines) + "\n";
    }

    private BrokerConfig brokerConfig() {
        return BenchBroker.config(settings.folder().resolve("broker"));
    }

    private static double produceFor(KafkaClientLoad load, Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        long records = 0;
        double seconds = 0;
        while (System.nanoTime() < until) {
            KafkaClientLoad.Figures figures = load.produce(20_000, VALUE_BYTES);
            records += figures.records();
            seconds += figures.seconds();
        }
        return records / seconds;
    }

    /** CPU time so far of the broker's HTTP threads, which serve the pages and nothing else in this run. */
    private static long httpCpuNanos() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("toykafka-http")) {
                total += Math.max(0, threads.getThreadCpuTime(thread.getId()));
            }
        }
        return total;
    }

    /** The broker's threads: every one it starts is named toykafka-something; the pages' and clients' are not. */
    private static int brokerThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("toykafka")).count();
    }

    private static long heapAfterCollection() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Open pages, each a thread asking what console.js asks, in the same order and at the same pace. */
    private static final class Pages implements AutoCloseable {
        static final String THREAD = "console-page-";
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final AtomicBoolean open = new AtomicBoolean(true);
        private final AtomicLong requests = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();
        private final String base;

        Pages(String base, int count) {
            this.base = base;
            for (int i = 0; i < count; i++) {
                Thread page = new Thread(this::browse, THREAD + i);
                page.setDaemon(true);
                page.start();
                threads.add(page);
            }
        }

        private void browse() {
            long token = -1;
            long next = 0;
            while (open.get()) {
                try {
                    long started = System.nanoTime();
                    token = number(TOKEN, get("/console/api/watch?token=" + token), token);
                    long end = number(END, get("/console/api/partitions/" + TOPIC + "/0"), next);
                    long from = Math.max(next, end - FOLLOW_BACK); // a busy log's tail shows its newest records
                    next = number(NEXT, get("/console/api/partitions/" + TOPIC + "/0/batches?offset=" + from
                            + "&max_bytes=" + FOLLOW_BYTES + "&max_records=" + FOLLOW_BACK), next);
                    long left = REDRAW.toNanos() - (System.nanoTime() - started);
                    if (left > 0) {
                        Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    // the broker closing at the end of the run: the page stops with it
                    return;
                }
            }
        }

        private String get(String path) throws IOException, InterruptedException {
            requests.incrementAndGet();
            return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }

        private static long number(Pattern pattern, String body, long otherwise) {
            Matcher found = pattern.matcher(body);
            return found.find() ? Long.parseLong(found.group(1)) : otherwise;
        }

        @Override
        public void close() {
            open.set(false);
            for (Thread page : threads) {
                try {
                    page.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
