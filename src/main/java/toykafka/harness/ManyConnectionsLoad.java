package toykafka.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Producers that cost next to nothing: one thread, in a JVM of its own, holds every connection and sends on each a
 * produce request as soon as the last is answered. A request carries a batch for each of a few partitions, the
 * partitions taken in turn; every request is bytes encoded once, before the clock, the same for any broker. So a
 * measurement sees the broker holding many connections or partitions, not as many producer threads sharing the
 * machine's cores with it, and the same records sent over Kafka's protocol or over HTTP ({@link Wire}).
 */
public final class ManyConnectionsLoad {

    /**
     * "acknowledged 100000 records in 1.234 s, p50 1.20 ms, p99 3.40 ms, and 1000 before the clock; the client's CPU
     * 0.456 s".
     */
    private static final Pattern SUMMARY = Pattern.compile("acknowledged (\\d+) records in ([\\d.]+) s, p50 ([\\d.]+) ms,"
            + " p99 ([\\d.]+) ms, and (\\d+) before the clock; the client's CPU ([\\d.]+) s");

    /** How the requests travel. */
    public enum Wire {
        /** Kafka's Produce request (v8, acks=1), a record batch per partition, encoded by Kafka's own classes. */
        KAFKA(new KafkaProduceWire()),
        /** REST Proxy v2's batched produce, {@code POST /topics/<t>/partitions/<p>}, values as base64. */
        HTTP(new HttpProduceWire());

        private final ProduceWire wire;

        Wire(ProduceWire wire) {
            this.wire = wire;
        }
    }

    /**
     * What the load sends, and over how many connections.
     *
     * @param topics             the topics, each of {@code partitionsPerTopic} partitions, all of them written
     * @param recordsPerBatch    records in each partition's batch
     * @param partitionsPerRequest partitions a request carries a batch for
     */
    public record Shape(List<String> topics, int partitionsPerTopic, int connections, int recordsPerBatch,
                        int partitionsPerRequest, int valueBytes) {

        public Shape {
            topics = List.copyOf(topics);
            if ((long) topics.size() * partitionsPerTopic % partitionsPerRequest != 0) {
                throw new IllegalArgumentException(partitionsPerRequest + " partitions a request do not divide "
                        + topics.size() + " x " + partitionsPerTopic + " partitions");
            }
        }

        public int recordsPerRequest() {
            return recordsPerBatch * partitionsPerRequest;
        }

        /** The topic of the load's {@code n}-th partition, the partitions counted across its topics. */
        String topic(int n) {
            return topics.get(n / partitionsPerTopic);
        }

        private List<String> arguments() {
            return List.of(String.join(",", topics), String.valueOf(partitionsPerTopic), String.valueOf(connections),
                    String.valueOf(recordsPerBatch), String.valueOf(partitionsPerRequest), String.valueOf(valueBytes));
        }

        private static Shape of(List<String> arguments) {
            return new Shape(List.of(arguments.get(0).split(",")), Integer.parseInt(arguments.get(1)),
                    Integer.parseInt(arguments.get(2)), Integer.parseInt(arguments.get(3)),
                    Integer.parseInt(arguments.get(4)), Integer.parseInt(arguments.get(5)));
        }
    }

    /**
     * What a run measured, the records it sent before its clock started (every partition once, at least), and the
     * CPU time its JVM spent on the clock: what the broker did not have of the machine's cores.
     */
    public record Result(long records, long valueBytes, double seconds, double p50Millis, double p99Millis,
                         long recordsBeforeTheClock, double clientCpuSeconds) {

        public double recordsPerSecond() {
            return records / seconds;
        }

        /** Megabytes (10^6 bytes) of record values a second. */
        public double megabytesPerSecond() {
            return valueBytes / seconds / 1e6;
        }
    }

    private ManyConnectionsLoad() {
    }

    /**
     * Runs the load in a child JVM against the broker on the loopback port, sending at least {@code records} on the
     * clock, after at least {@code warmUpRecords} off it (and every partition once whatever that is).
     */
    public static Result run(Wire wire, int port, Shape shape, long records, long warmUpRecords, Path workDir) {
        List<String> arguments = new ArrayList<>(List.of(wire.name(), String.valueOf(port), String.valueOf(records),
                String.valueOf(warmUpRecords)));
        arguments.addAll(shape.arguments());
        String printed = ChildJvm.run("many-connections-" + wire.name().toLowerCase(Locale.ROOT), workDir,
                ManyConnectionsLoad.class.getName(), arguments.toArray(String[]::new));
        Matcher summary = SUMMARY.matcher(printed);
        if (!summary.find()) {
            throw new IllegalStateException("the load of " + shape.connections() + " connections printed no summary:\n"
                    + printed.strip());
        }
        long acknowledged = Long.parseLong(summary.group(1));
        return new Result(acknowledged, acknowledged * shape.valueBytes(), Double.parseDouble(summary.group(2)),
                Double.parseDouble(summary.group(3)), Double.parseDouble(summary.group(4)),
                Long.parseLong(summary.group(5)), Double.parseDouble(summary.group(6)));
    }

    /** The child: wire, port, records, records before the clock, then the shape's arguments; prints one summary line. */
    public static void main(String[] args) throws IOException {
        ProduceWire wire = Wire.valueOf(args[0]).wire;
        int port = Integer.parseInt(args[1]);
        long records = Long.parseLong(args[2]);
        long warmUpRecords = Long.parseLong(args[3]);
        Shape shape = Shape.of(List.of(args).subList(4, args.length));
        ByteBuffer[] requests = wire.requests(shape, port);
        try (Selector selector = Selector.open()) {
            Sender[] senders = new Sender[shape.connections()];
            for (int c = 0; c < senders.length; c++) {
                senders[c] = new Sender(selector, port, c, wire.reader(shape));
            }
            // off the clock: every connection's first request answered, so each is open and the broker has seen it
            Round warmUp = new Round(selector, senders, requests, Math.max(Math.max(senders.length, requests.length),
                    requestsFor(warmUpRecords, shape)), true);
            warmUp.run();
            long count = Math.max(shape.connections(), requestsFor(records, shape));
            Round timed = new Round(selector, senders, requests, count, false);
            long cpuBefore = processCpuNanos();
            long started = System.nanoTime();
            timed.run();
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9;
            long[] latencies = Arrays.copyOf(timed.latencies, (int) Math.min(count, timed.latencies.length));
            Arrays.sort(latencies);
            System.out.printf(Locale.ROOT, "acknowledged %d records in %.6f s, p50 %.3f ms, p99 %.3f ms, and %d before"
                    + " the clock; the client's CPU %.3f s%n", timed.appended, seconds,
                    latencies[(int) (latencies.length * 0.50)] / 1e6,
                    latencies[Math.min(latencies.length - 1, (int) (latencies.length * 0.99))] / 1e6, warmUp.appended,
                    cpuSeconds);
            for (Sender sender : senders) {
                sender.channel.close();
            }
        }
    }

    /** A loopback connection for one thread's selector: no Nagle delay, not blocking, waiting for nothing yet. */
    static SelectionKey connect(Selector selector, int port, Object attachment) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(false);
        return channel.register(selector, 0, attachment);
    }

    /** The CPU time of this whole JVM, its collector and compiler with the load's thread: all of it is the client's. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long requestsFor(long records, Shape shape) {
        return (records + shape.recordsPerRequest() - 1) / shape.recordsPerRequest();
    }

    /** One connection: the request it is writing, or the answer it is reading. */
    private static final class Sender {
        final SocketChannel channel;
        final SelectionKey key;
        final int index;
        final ProduceWire.AnswerReader reader;
        ByteBuffer writing;
        long sentAt;
        int requestsMade;
        int request;

        Sender(Selector selector, int port, int index, ProduceWire.AnswerReader reader) throws IOException {
            this.index = index;
            this.reader = reader;
            key = connect(selector, port, this);
            channel = (SocketChannel) key.channel();
        }
    }

    /**
     * Sends {@code count} requests over the connections, each one's next when its last is answered. Sender
     * {@code c}'s {@code k}-th request is request {@code c + k * connections}, so a round of as many requests as there
     * are different ones writes every partition once. The round before the clock ({@code warmUp}) sends a refused
     * request again after a pause, as a producer does while a new partition's leader is still being made; the timed
     * one fails at the first refusal.
     */
    private static final class Round {
        private final Selector selector;
        private final Sender[] senders;
        private final ByteBuffer[] requests;
        private final long count;
        private final boolean warmUp;
        final long[] latencies;
        /** Records the broker took: every batch acknowledged, a refused request's other batches too. */
        long appended;
        private long sent;
        private long answered;

        Round(Selector selector, Sender[] senders, ByteBuffer[] requests, long count, boolean warmUp) {
            this.selector = selector;
            this.senders = senders;
            this.requests = requests;
            this.count = count;
            this.warmUp = warmUp;
            this.latencies = new long[(int) Math.min(count, 1_000_000)];
        }

        void run() throws IOException {
            for (Sender sender : senders) {
                if (sent < count) {
                    send(sender, next(sender));
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (answered < count) {
                if (selector.select(1_000) == 0 && System.nanoTime() > deadline) {
                    throw new IllegalStateException("no answer for 60 s: " + answered + " of " + count + " answered");
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Sender sender = (Sender) key.attachment();
                    if (key.isWritable()) {
                        write(sender);
                    } else if (key.isReadable()) {
                        ProduceWire.Answer answer = sender.reader.read(sender.channel, warmUp);
                        if (answer == null) {
                            continue; // the answer is not whole yet
                        }
                        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        appended += answer.recordsTaken();
                        if (answer.sendAgain()) {
                            pause();
                            send(sender, sender.request);
                            continue;
                        }
                        if (answered < latencies.length) {
                            latencies[(int) answered] = System.nanoTime() - sender.sentAt;
                        }
                        answered++;
                        if (sent < count) {
                            send(sender, next(sender));
                        } else {
                            sender.key.interestOps(0);
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        }

        private int next(Sender sender) {
            sent++;
            return (int) ((sender.index + (long) sender.requestsMade++ * senders.length) % requests.length);
        }

        private void send(Sender sender, int request) throws IOException {
            sender.request = request;
            sender.writing = requests[request].duplicate();
            sender.sentAt = System.nanoTime();
            write(sender);
        }

        private void write(Sender sender) throws IOException {
            sender.channel.write(sender.writing);
            sender.key.interestOps(sender.writing.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        private static void pause() {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
