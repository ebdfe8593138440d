package toykafka.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.utils.AppInfoParser;
import toykafka.broker.Broker;
import toykafka.broker.BrokerConfig;
import toykafka.broker.Partitions.FetchParams;
import toykafka.broker.Partitions.PartitionData;
import toykafka.common.Errors;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;
import toykafka.kafka.KafkaFrontEnd;
import toykafka.lesson08.FetchedBatches;
import toykafka.lesson08.FileLog;
import toykafka.lesson08.PartitionDirectory;
import toykafka.tools.KafkaClientLoad.Figures;

/**
 * The broker's Kafka front end driven by Apache's kafka-clients, against our own log doing the same work,
 * in one run: a {@code KafkaProducer} at acks=1 against {@link FileLog#appendBatches} of the very batches
 * the broker stored, and a {@code KafkaConsumer} reading the partition from its start against
 * {@link FileLog#transferTo} of the same bytes over a loopback socket. The ratios say what the protocol,
 * the front end and the client cost on top of the log. Kafka's counterparts are its producer and consumer
 * perf tests; the client side ({@link KafkaClientLoad}) runs against an Apache Kafka broker as well.
 */
public final class KafkaProtocolBenchmark {

    /** Where to work, how many megabytes of record values each run moves, and best of how many runs. */
    public record Settings(Path workDir, int megabytes, int repeats) {
    }

    private static final int[] VALUE_SIZES = {100, 1024};
    private static final double TARGET = 0.8;
    /** What the broker sends a consumer from one partition in one fetch: kafka-clients' max.partition.fetch.bytes. */
    private static final int FETCH_BYTES = 1 << 20;

    private final Settings settings;
    private final PrintStream out;
    private final StringBuilder report = new StringBuilder();

    public KafkaProtocolBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** One side of a ratio: the client's figures or the log's, best of the runs by records a second. */
    private static Figures best(List<Figures> runs) {
        return runs.stream().max((a, b) -> Double.compare(a.recordsPerSecond(), b.recordsPerSecond())).orElseThrow();
    }

    public String run() {
        Path work;
        try {
            work = Files.createTempDirectory(settings.workDir(), "kafka-protocol-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a directory to work in under " + settings.workDir(), e);
        }
        line("toykafka bench kafka-protocol: one run on this machine (" + Runtime.getRuntime().availableProcessors()
                + " cores, " + System.getProperty("os.name") + ")");
        line("  the broker and its Kafka front end in this process on a loopback port; kafka-clients "
                + AppInfoParser.getVersion() + "; one partition; best of " + settings.repeats() + ", the two sides of"
                + " each ratio taking turns");
        line("  producer: acks=1, batch.size=" + KafkaClientLoad.BATCH_BYTES + ", linger.ms=" + KafkaClientLoad.LINGER_MS
                + ", no compression, no idempotence; consumer: assign(), the client's defaults");
        line("  against: FileLog.appendBatches of the batches the broker stored, one append each, to a new log with the"
                + " topic's config; FileLog.transferTo of that log, " + FETCH_BYTES / 1024 + " KiB at a time, to a"
                + " loopback socket a thread drains");
        List<String> targets = new ArrayList<>();
        Broker broker = Broker.start(BrokerConfig.of(Map.of(BrokerConfig.HTTP_PORT, "0", BrokerConfig.KAFKA_PORT, "0",
                BrokerConfig.STATS_INTERVAL_MS, "0")).with(BrokerConfig.DATA_DIR, work.resolve("broker")));
        try (KafkaFrontEnd front = KafkaFrontEnd.start(broker, false, System.err)) {
            for (int size : VALUE_SIZES) {
                targets.addAll(measure(broker, front.bootstrapServers(), work, size));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the broker's Kafka front end", e);
        } finally {
            broker.close();
            try {
                PartitionDirectory.deleteTree(work);
            } catch (IOException e) {
                line("(could not remove " + work + ": " + e.getMessage() + ")");
            }
        }
        line("targets: " + String.join("; ", targets));
        return report.toString();
    }

    private List<String> measure(Broker broker, String bootstrapServers, Path work, int valueSize) {
        int records = Math.max(1, (int) ((long) settings.megabytes() * 1_000_000 / valueSize));
        line(String.format(Locale.ROOT, "values of %d bytes, %,d records a run:", valueSize, records));
        List<Figures> produced = new ArrayList<>();
        List<Figures> appended = new ArrayList<>();
        List<Figures> consumed = new ArrayList<>();
        List<Figures> sent = new ArrayList<>();
        for (int run = 1; run <= settings.repeats(); run++) {
            String topic = "bench-" + valueSize + "-" + run;
            KafkaClientLoad load = new KafkaClientLoad(bootstrapServers, topic);
            load.createTopic();
            // produce, then the log appends what the broker stored; the log sends it, then the consumer reads it
            produced.add(load.produce(records, valueSize));
            List<ByteBuffer> batches = storedBatches(broker, topic);
            Path logDir = work.resolve("log-" + topic);
            try (FileLog log = FileLog.open(logDir, topic, 0, TopicConfig.of(broker.describeTopic(topic).config()))) {
                appended.add(append(log, batches, records, valueSize));
                sent.add(transfer(log, records, valueSize));
            } finally {
                deleteQuietly(logDir);
            }
            consumed.add(load.consumeAll());
            if (consumed.get(run - 1).records() != records) {
                throw new IllegalStateException("the consumer read " + consumed.get(run - 1).records() + " records of "
                        + topic + ", where " + records + " were produced");
            }
            line(String.format(Locale.ROOT, "    run %d: %,d batches of %,.0f bytes on average; produce %s, append %s;"
                            + " consume %s, transferTo %s", run, batches.size(), average(batches),
                    rate(produced.get(run - 1)), rate(appended.get(run - 1)), rate(consumed.get(run - 1)),
                    rate(sent.get(run - 1))));
            broker.deleteTopic(topic);
        }
        double produce = compare("produce, KafkaProducer acks=1", best(produced), "FileLog.appendBatches",
                best(appended));
        double consume = compare("consume, KafkaConsumer", best(consumed), "FileLog.transferTo", best(sent));
        return List.of(verdict("produce " + valueSize + " B", produce), verdict("consume " + valueSize + " B", consume));
    }

    /**
     * The partition's stored batches, each in a heap buffer of its own as a request's bytes arrive at the
     * front end: what the broker received, but for the base offsets it wrote into them (outside the CRC).
     */
    private static List<ByteBuffer> storedBatches(Broker broker, String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        List<ByteBuffer> batches = new ArrayList<>();
        long offset = 0;
        long end = broker.describeTopic(topic).partitions().get(0).endOffset();
        while (offset < end) {
            PartitionData read = broker.partitions().readAndWait(FetchParams.of(partition, offset, 8 << 20, Duration.ZERO))
                    .get(partition);
            FetchedBatches fetched = read.batches();
            if (read.error() != Errors.NONE || fetched.isEmpty()) {
                throw new IllegalStateException("the broker read nothing of " + partition + " at offset " + offset + " of "
                        + end + ": " + read.error() + (read.message() == null ? "" : " " + read.message()));
            }
            ByteBuffer bytes = fetched.bytes();
            for (int at = bytes.position(); at < bytes.limit(); ) {
                int size = RecordBatch.sizeAt(bytes, at);
                batches.add(ByteBuffer.allocate(size).put(bytes.slice(at, size)).flip());
                at += size;
            }
            offset = fetched.nextOffset();
        }
        return batches;
    }

    /** Appends the batches one by one, as the broker did each produce request's: the produce baseline. */
    private static Figures append(FileLog log, List<ByteBuffer> batches, int records, int valueSize) {
        long started = System.nanoTime();
        for (ByteBuffer batch : batches) {
            log.appendBatches(batch.duplicate());
        }
        return new Figures(records, (long) records * valueSize, (System.nanoTime() - started) / 1e9);
    }

    /** Sends the whole log from its start, a fetch's worth at a time, until the far end has it all: the consume baseline. */
    private static Figures transfer(FileLog log, int records, int valueSize) {
        try (DrainedSocket socket = new DrainedSocket()) {
            long started = System.nanoTime();
            long bytes = 0;
            long offset = log.earliest();
            while (offset < log.endOffset()) {
                FileLog.Sent transfer = log.transferTo(offset, FETCH_BYTES, socket.channel());
                bytes += transfer.bytes();
                offset = transfer.nextOffset();
            }
            socket.awaitReceived(bytes);
            return new Figures(records, (long) records * valueSize, (System.nanoTime() - started) / 1e9);
        }
    }

    private double compare(String what, Figures client, String baseline, Figures log) {
        double ratio = client.recordsPerSecond() / log.recordsPerSecond();
        line(String.format(Locale.ROOT, "  %-30s %s  against %-21s %s  ratio %s", what, rate(client), baseline,
                rate(log), twoDigits(ratio)));
        return ratio;
    }

    private static String rate(Figures figures) {
        return String.format(Locale.ROOT, "%,11.0f records/s %8.2f MB/s", figures.recordsPerSecond(),
                figures.megabytesPerSecond());
    }

    private static double average(List<ByteBuffer> batches) {
        return batches.stream().mapToInt(ByteBuffer::remaining).average().orElse(0);
    }

    private static String verdict(String what, double ratio) {
        return String.format(Locale.ROOT, "%s %s (>= %.1f %s)", what, twoDigits(ratio), TARGET,
                ratio >= TARGET ? "met" : "MISSED");
    }

    /** A ratio to two significant digits, 0.85 or 0.0031: far below the target, two decimals would print 0.00. */
    private static String twoDigits(double ratio) {
        return new BigDecimal(ratio).round(new MathContext(2)).toPlainString();
    }

    private static void deleteQuietly(Path dir) {
        try {
            PartitionDirectory.deleteTree(dir);
        } catch (IOException e) {
            // the work directory goes at the end anyway
        }
    }

    private void line(String text) {
        out.println(text);
        out.flush();
        report.append(text).append('\n');
    }
}
