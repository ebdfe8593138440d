package toykafka.bench;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import toykafka.broker.Broker;
import toykafka.broker.FetchParams;
import toykafka.broker.PartitionData;
import toykafka.common.Errors;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;
import toykafka.harness.BenchBroker;
import toykafka.harness.KafkaClientsVersion;
import toykafka.harness.DrainedSocket;
import toykafka.harness.KafkaClientLoad;
import toykafka.harness.KafkaClientLoad.Figures;
import toykafka.harness.PrintedReport;
import toykafka.harness.WorkFolder;
import toykafka.common.FetchedBatches;
import toykafka.lesson08.LocalLog;
import toykafka.lesson09.FileLog;

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
    private final PrintedReport report;

    public KafkaProtocolBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.report = new PrintedReport(out);
    }

    public String run() {
        report.heading("kafka-protocol");
        report.line("  the broker and its Kafka front end in this process on a loopback port; kafka-clients "
                + KafkaClientsVersion.get() + "; one partition; best of " + settings.repeats() + ", the two sides of"
                + " each ratio taking turns");
        report.line("  producer: acks=1, batch.size=" + KafkaClientLoad.BATCH_BYTES + ", linger.ms=" + KafkaClientLoad.LINGER_MS
                + ", no compression, no idempotence; consumer: assign(), the client's defaults");
        report.line("  against: FileLog.appendBatches of the batches the broker stored, one append each, to a new log with the"
                + " topic's config; FileLog.transferTo of that log, " + FETCH_BYTES / 1024 + " KiB at a time, to a"
                + " loopback socket a thread drains");
        List<String> targets = new ArrayList<>();
        try (WorkFolder work = WorkFolder.under(settings.workDir(), "kafka-protocol-bench-");
             BenchBroker broker = BenchBroker.start(BenchBroker.config(work.resolve("broker"))).withKafka(System.err)) {
            for (int size : VALUE_SIZES) {
                targets.addAll(measure(broker.broker(), broker.kafka().bootstrapServers(), work.path(), size));
            }
        }
        report.line("targets: " + String.join("; ", targets));
        return report.text();
    }

    private List<String> measure(Broker broker, String bootstrapServers, Path work, int valueSize) {
        int records = Math.max(1, (int) ((long) settings.megabytes() * 1_000_000 / valueSize));
        report.line(String.format(Locale.ROOT, "values of %d bytes, %,d records a run:", valueSize, records));
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
                WorkFolder.deleteQuietly(logDir);
            }
            consumed.add(load.consumeAll());
            if (consumed.get(run - 1).records() != records) {
                throw new IllegalStateException("the consumer read " + consumed.get(run - 1).records() + " records of "
                        + topic + ", where " + records + " were produced");
            }
            report.line(String.format(Locale.ROOT, "    run %d: %,d batches of %,.0f bytes on average; produce %s, append %s;"
                            + " consume %s, transferTo %s", run, batches.size(), average(batches),
                    produced.get(run - 1).rates(), appended.get(run - 1).rates(), consumed.get(run - 1).rates(),
                    sent.get(run - 1).rates()));
            broker.deleteTopic(topic);
        }
        double produce = compare("produce, KafkaProducer acks=1", Figures.best(produced), "FileLog.appendBatches",
                Figures.best(appended));
        double consume = compare("consume, KafkaConsumer", Figures.best(consumed), "FileLog.transferTo", Figures.best(sent));
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
                LocalLog.Sent transfer = log.transferTo(offset, FETCH_BYTES, socket.channel());
                bytes += transfer.bytes();
                offset = transfer.nextOffset();
            }
            socket.awaitReceived(bytes);
            return new Figures(records, (long) records * valueSize, (System.nanoTime() - started) / 1e9);
        }
    }

    private double compare(String what, Figures client, String baseline, Figures log) {
        double ratio = client.recordsPerSecond() / log.recordsPerSecond();
        report.line(String.format(Locale.ROOT, "  %-30s %s  against %-21s %s  ratio %s", what, client.rates(), baseline,
                log.rates(), PrintedReport.twoDigits(ratio)));
        return ratio;
    }

    private static double average(List<ByteBuffer> batches) {
        return batches.stream().mapToInt(ByteBuffer::remaining).average().orElse(0);
    }

    private static String verdict(String what, double ratio) {
        return String.format(Locale.ROOT, "%s %s (>= %.1f %s)", what, PrintedReport.twoDigits(ratio), TARGET,
                ratio >= TARGET ? "met" : "MISSED");
    }
}
