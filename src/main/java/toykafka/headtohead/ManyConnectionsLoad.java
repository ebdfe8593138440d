package toykafka.headtohead;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;
import toykafka.apachekafka.KafkaNode;

/**
 * Producers that cost next to nothing, for the rows of many connections: one thread, in a JVM of its own, holds
 * every connection and sends on each a Produce request (acks=1, one batch of {@value #RECORDS_A_REQUEST} records to
 * one partition, the partitions taken in turn) as soon as the last is answered. Every request is the same bytes,
 * encoded once by Kafka's own classes, for either broker. So the row measures the broker holding many connections,
 * not as many producer threads sharing the machine's cores with it.
 */
final class ManyConnectionsLoad {

    /** About what a producer's batch holds when many producers share the records: 10 KB of 100 B values. */
    static final int RECORDS_A_REQUEST = 100;
    private static final short PRODUCE_VERSION = 8; // the newest both brokers serve
    private static final long TIME_LIMIT_SECONDS = 300;
    /** "acknowledged 100000 records in 1.234 s, p50 1.20 ms, p99 3.40 ms". */
    private static final Pattern SUMMARY = Pattern.compile("acknowledged (\\d+) records in ([\\d.]+) s, p50 ([\\d.]+) ms,"
            + " p99 ([\\d.]+) ms");

    private ManyConnectionsLoad() {
    }

    /**
     * Runs the load in a child JVM against the broker on the loopback port: {@code connections} connections send
     * at least {@code records} records of {@code valueBytes} to the topic's {@code partitions} between them.
     */
    static HeadToHeadLoad.Figures run(int port, String topic, int partitions, int connections, int records, int valueBytes,
                                      Path workDir) {
        Path output = workDir.resolve("many-connections.out");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(KafkaNode.jvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ManyConnectionsLoad.class.getName(),
                String.valueOf(port), topic, String.valueOf(partitions), String.valueOf(connections),
                String.valueOf(records), String.valueOf(valueBytes)));
        try {
            Files.createDirectories(workDir);
            Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(TIME_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the load of " + connections + " connections ran over " + TIME_LIMIT_SECONDS
                        + " s; its output is in " + output);
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            Matcher summary = SUMMARY.matcher(printed);
            if (process.exitValue() != 0 || !summary.find()) {
                throw new IllegalStateException("the load of " + connections + " connections failed (exit "
                        + process.exitValue() + "):\n" + printed.strip());
            }
            long acknowledged = Long.parseLong(summary.group(1));
            return new HeadToHeadLoad.Figures(acknowledged, acknowledged * valueBytes, Double.parseDouble(summary.group(2)),
                    Double.parseDouble(summary.group(3)), Double.parseDouble(summary.group(4)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the load of " + connections + " connections: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running the load of " + connections + " connections", e);
        }
    }

    /** What a run sends before its clock starts: a request on every connection, so each is open and answered once. */
    static long recordsBeforeTheClock(int connections) {
        return (long) connections * RECORDS_A_REQUEST;
    }

    /** The child: port, topic, partitions, connections, records, value bytes; prints one summary line. */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        String topic = args[1];
        int partitions = Integer.parseInt(args[2]);
        int connections = Integer.parseInt(args[3]);
        long requests = Math.max(connections, (Long.parseLong(args[4]) + RECORDS_A_REQUEST - 1) / RECORDS_A_REQUEST);
        int valueBytes = Integer.parseInt(args[5]);
        ByteBuffer[] frames = new ByteBuffer[partitions];
        for (int p = 0; p < partitions; p++) {
            frames[p] = frame(topic, p, valueBytes);
        }
        try (Selector selector = Selector.open()) {
            Sender[] senders = new Sender[connections];
            for (int c = 0; c < connections; c++) {
                senders[c] = new Sender(selector, port, c);
            }
            // off the clock: every connection's first request answered, so each is open and the broker has seen it
            new Round(selector, senders, frames, connections).run();
            Round timed = new Round(selector, senders, frames, requests);
            long started = System.nanoTime();
            timed.run();
            double seconds = (System.nanoTime() - started) / 1e9;
            long[] latencies = Arrays.copyOf(timed.latencies, (int) Math.min(requests, timed.latencies.length));
            Arrays.sort(latencies);
            System.out.printf(Locale.ROOT, "acknowledged %d records in %.6f s, p50 %.3f ms, p99 %.3f ms%n",
                    requests * RECORDS_A_REQUEST, seconds, latencies[(int) (latencies.length * 0.50)] / 1e6,
                    latencies[Math.min(latencies.length - 1, (int) (latencies.length * 0.99))] / 1e6);
            for (Sender sender : senders) {
                sender.channel.close();
            }
        }
    }

    /** One Produce request to one partition, framed: its size, the header, the body. */
    private static ByteBuffer frame(String topic, int partition, int valueBytes) {
        byte[] value = new byte[valueBytes];
        Arrays.fill(value, (byte) 'x');
        SimpleRecord[] records = new SimpleRecord[RECORDS_A_REQUEST];
        long now = System.currentTimeMillis();
        for (int i = 0; i < records.length; i++) {
            records[i] = new SimpleRecord(now, null, value);
        }
        ProduceRequestData body = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(30_000);
        ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData().setName(topic);
        data.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(partition)
                .setRecords(MemoryRecords.withRecords(Compression.NONE, records)));
        body.topicData().add(data);
        RequestHeader header = new RequestHeader(ApiKeys.PRODUCE, PRODUCE_VERSION, "many-connections", 1);
        ByteBuffer serialized = RequestUtils.serialize(header.data(), header.headerVersion(), body, PRODUCE_VERSION);
        ByteBuffer framed = ByteBuffer.allocateDirect(4 + serialized.remaining());
        framed.putInt(serialized.remaining()).put(serialized).flip();
        return framed;
    }

    /** One connection: the request it is writing, or the answer it is reading. */
    private static final class Sender {
        final SocketChannel channel;
        final SelectionKey key;
        final int index;
        ByteBuffer writing;
        final ByteBuffer size = ByteBuffer.allocate(4);
        ByteBuffer answer;
        long sentAt;
        int requestsMade;

        Sender(Selector selector, int port, int index) throws IOException {
            this.index = index;
            channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            key = channel.register(selector, 0, this);
        }
    }

    /** Sends {@code requests} requests over the connections, each one's next when its last is answered. */
    private static final class Round {
        private final Selector selector;
        private final Sender[] senders;
        private final ByteBuffer[] frames;
        private final long requests;
        final long[] latencies;
        private long sent;
        private long answered;

        Round(Selector selector, Sender[] senders, ByteBuffer[] frames, long requests) {
            this.selector = selector;
            this.senders = senders;
            this.frames = frames;
            this.requests = requests;
            this.latencies = new long[(int) Math.min(requests, 1_000_000)];
        }

        void run() throws IOException {
            for (Sender sender : senders) {
                if (sent < requests) {
                    send(sender);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (answered < requests) {
                if (selector.select(1_000) == 0 && System.nanoTime() > deadline) {
                    throw new IllegalStateException("no answer for 60 s: " + answered + " of " + requests + " answered");
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Sender sender = (Sender) key.attachment();
                    if (key.isWritable()) {
                        write(sender);
                    } else if (key.isReadable() && read(sender)) {
                        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        if (sent < requests) {
                            send(sender);
                        } else {
                            sender.key.interestOps(0);
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        }

        private void send(Sender sender) throws IOException {
            sender.writing = frames[(sender.index + sender.requestsMade++) % frames.length].duplicate();
            sender.sentAt = System.nanoTime();
            sent++;
            write(sender);
        }

        private void write(Sender sender) throws IOException {
            sender.channel.write(sender.writing);
            sender.key.interestOps(sender.writing.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        /** Reads what has come of the answer; true once it is whole, and checked. */
        private boolean read(Sender sender) throws IOException {
            if (sender.answer == null) {
                if (sender.channel.read(sender.size) < 0) {
                    throw new IOException("the broker closed connection " + sender.index);
                }
                if (sender.size.hasRemaining()) {
                    return false;
                }
                sender.answer = ByteBuffer.allocate(sender.size.flip().getInt());
                sender.size.clear();
            }
            if (sender.channel.read(sender.answer) < 0) {
                throw new IOException("the broker closed connection " + sender.index);
            }
            if (sender.answer.hasRemaining()) {
                return false;
            }
            ByteBuffer answer = sender.answer.flip();
            sender.answer = null;
            ResponseHeader.parse(answer, ApiKeys.PRODUCE.responseHeaderVersion(PRODUCE_VERSION));
            ProduceResponseData data = new ProduceResponseData(new ByteBufferAccessor(answer), PRODUCE_VERSION);
            for (ProduceResponseData.TopicProduceResponse topic : data.responses()) {
                for (ProduceResponseData.PartitionProduceResponse partition : topic.partitionResponses()) {
                    if (partition.errorCode() != 0) {
                        throw new IllegalStateException("a produce to " + topic.name() + "-" + partition.index()
                                + " was refused: " + Errors.forCode(partition.errorCode()) + " " + partition.errorMessage());
                    }
                }
            }
            if (answered < latencies.length) {
                latencies[(int) answered] = System.nanoTime() - sender.sentAt;
            }
            answered++;
            return true;
        }
    }
}
