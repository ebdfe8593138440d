package toykafka.headtohead;

import java.io.IOException;
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
import java.util.Set;
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

/**
 * Producers that cost next to nothing, for the rows of many connections and many partitions: one thread, in a JVM
 * of its own, holds every connection and sends on each a Produce request (acks=1) as soon as the last is answered.
 * A request carries a batch for each of a few partitions, the partitions taken in turn; every request is bytes
 * encoded once, before the clock, by Kafka's own classes, the same for either broker. So such a row measures the
 * broker holding many connections or partitions, not as many producer threads sharing the machine's cores with it.
 */
final class ManyConnectionsLoad {

    private static final short PRODUCE_VERSION = 8; // the newest both brokers serve
    /** "acknowledged 100000 records in 1.234 s, p50 1.20 ms, p99 3.40 ms, and 1000 before the clock". */
    private static final Pattern SUMMARY = Pattern.compile("acknowledged (\\d+) records in ([\\d.]+) s, p50 ([\\d.]+) ms,"
            + " p99 ([\\d.]+) ms, and (\\d+) before the clock");

    /**
     * What the load sends, and over how many connections.
     *
     * @param topics             the topics, each of {@code partitionsPerTopic} partitions, all of them written
     * @param recordsPerBatch    records in each partition's batch
     * @param partitionsPerRequest partitions a request carries a batch for
     */
    record Shape(List<String> topics, int partitionsPerTopic, int connections, int recordsPerBatch,
                 int partitionsPerRequest, int valueBytes) {

        Shape {
            topics = List.copyOf(topics);
            if ((long) topics.size() * partitionsPerTopic % partitionsPerRequest != 0) {
                throw new IllegalArgumentException(partitionsPerRequest + " partitions a request do not divide "
                        + topics.size() + " x " + partitionsPerTopic + " partitions");
            }
        }

        int recordsPerRequest() {
            return recordsPerBatch * partitionsPerRequest;
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

    private ManyConnectionsLoad() {
    }

    /** What a run measured, and the records it sent before its clock started (every partition once, at least). */
    record Result(HeadToHeadLoad.Figures figures, long recordsBeforeTheClock) {
    }

    /** Runs the load in a child JVM against the broker on the loopback port, sending at least {@code records}. */
    static Result run(int port, Shape shape, long records, Path workDir) {
        List<String> arguments = new ArrayList<>(List.of(String.valueOf(port), String.valueOf(records)));
        arguments.addAll(shape.arguments());
        String printed = ChildJvm.run("many-connections", workDir, ManyConnectionsLoad.class.getName(),
                arguments.toArray(String[]::new));
        Matcher summary = SUMMARY.matcher(printed);
        if (!summary.find()) {
            throw new IllegalStateException("the load of " + shape.connections() + " connections printed no summary:\n"
                    + printed.strip());
        }
        long acknowledged = Long.parseLong(summary.group(1));
        return new Result(new HeadToHeadLoad.Figures(acknowledged, acknowledged * shape.valueBytes(),
                Double.parseDouble(summary.group(2)), Double.parseDouble(summary.group(3)),
                Double.parseDouble(summary.group(4))), Long.parseLong(summary.group(5)));
    }

    /** The child: port, records, then the shape's arguments; prints one summary line. */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        long records = Long.parseLong(args[1]);
        Shape shape = Shape.of(List.of(args).subList(2, args.length));
        long requests = Math.max(shape.connections(),
                (records + shape.recordsPerRequest() - 1) / shape.recordsPerRequest());
        ByteBuffer[] frames = frames(shape);
        try (Selector selector = Selector.open()) {
            Sender[] senders = new Sender[shape.connections()];
            for (int c = 0; c < senders.length; c++) {
                senders[c] = new Sender(selector, port, c);
            }
            // off the clock: every connection's first request answered, so each is open and the broker has seen it
            Round warmUp = new Round(selector, senders, frames, Math.max(senders.length, frames.length), true,
                    shape.recordsPerBatch());
            warmUp.run();
            Round timed = new Round(selector, senders, frames, requests, false, shape.recordsPerBatch());
            long started = System.nanoTime();
            timed.run();
            double seconds = (System.nanoTime() - started) / 1e9;
            long[] latencies = Arrays.copyOf(timed.latencies, (int) Math.min(requests, timed.latencies.length));
            Arrays.sort(latencies);
            System.out.printf(Locale.ROOT, "acknowledged %d records in %.6f s, p50 %.3f ms, p99 %.3f ms, and %d before"
                    + " the clock%n", timed.appended, seconds, latencies[(int) (latencies.length * 0.50)] / 1e6,
                    latencies[Math.min(latencies.length - 1, (int) (latencies.length * 0.99))] / 1e6, warmUp.appended);
            for (Sender sender : senders) {
                sender.channel.close();
            }
        }
    }

    /** Every request the load sends, framed (size, header, body): together they hold a batch for every partition. */
    private static ByteBuffer[] frames(Shape shape) {
        byte[] value = new byte[shape.valueBytes()];
        Arrays.fill(value, (byte) 'x');
        SimpleRecord[] records = new SimpleRecord[shape.recordsPerBatch()];
        long now = System.currentTimeMillis();
        Arrays.fill(records, new SimpleRecord(now, null, value));
        MemoryRecords batch = MemoryRecords.withRecords(Compression.NONE, records);
        int partitions = shape.topics().size() * shape.partitionsPerTopic();
        ByteBuffer[] frames = new ByteBuffer[partitions / shape.partitionsPerRequest()];
        for (int f = 0; f < frames.length; f++) {
            ProduceRequestData body = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(30_000);
            for (int p = f * shape.partitionsPerRequest(); p < (f + 1) * shape.partitionsPerRequest(); p++) {
                String topic = shape.topics().get(p / shape.partitionsPerTopic());
                ProduceRequestData.TopicProduceData data = body.topicData().find(topic);
                if (data == null) {
                    data = new ProduceRequestData.TopicProduceData().setName(topic);
                    body.topicData().add(data);
                }
                data.partitionData().add(new ProduceRequestData.PartitionProduceData()
                        .setIndex(p % shape.partitionsPerTopic()).setRecords(MemoryRecords.readableRecords(batch.buffer().duplicate())));
            }
            RequestHeader header = new RequestHeader(ApiKeys.PRODUCE, PRODUCE_VERSION, "many-connections", 1);
            ByteBuffer serialized = RequestUtils.serialize(header.data(), header.headerVersion(), body, PRODUCE_VERSION);
            frames[f] = ByteBuffer.allocateDirect(4 + serialized.remaining());
            frames[f].putInt(serialized.remaining()).put(serialized).flip();
        }
        return frames;
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

        int frame;

        Sender(Selector selector, int port, int index) throws IOException {
            this.index = index;
            channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            key = channel.register(selector, 0, this);
        }
    }

    /**
     * Sends {@code requests} requests over the connections, each one's next when its last is answered. Sender
     * {@code c}'s {@code k}-th request is frame {@code c + k * connections}, so a round of as many requests as there
     * are frames writes every partition once. The round before the clock ({@code warmUp}) sends a refused request
     * again after a pause, as a producer does while a new partition's leader is still being made; the timed one
     * fails at the first refusal.
     */
    private static final class Round {
        private static final Set<Errors> RETRIABLE = Set.of(Errors.NOT_LEADER_OR_FOLLOWER, Errors.LEADER_NOT_AVAILABLE,
                Errors.UNKNOWN_TOPIC_OR_PARTITION);
        private final Selector selector;
        private final Sender[] senders;
        private final ByteBuffer[] frames;
        private final long requests;
        private final boolean warmUp;
        private final int recordsPerBatch;
        final long[] latencies;
        /** Records the broker took: every batch acknowledged, a refused request's other batches too. */
        long appended;
        private long sent;
        private long answered;

        Round(Selector selector, Sender[] senders, ByteBuffer[] frames, long requests, boolean warmUp,
              int recordsPerBatch) {
            this.selector = selector;
            this.recordsPerBatch = recordsPerBatch;
            this.senders = senders;
            this.frames = frames;
            this.requests = requests;
            this.warmUp = warmUp;
            this.latencies = new long[(int) Math.min(requests, 1_000_000)];
        }

        void run() throws IOException {
            for (Sender sender : senders) {
                if (sent < requests) {
                    send(sender, next(sender));
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
                    } else if (key.isReadable()) {
                        Errors refused = read(sender);
                        if (refused == null) {
                            continue; // the answer is not whole yet
                        }
                        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        if (refused != Errors.NONE) {
                            pause();
                            send(sender, sender.frame); // the same again
                        } else if (sent < requests) {
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
            return (int) ((sender.index + (long) sender.requestsMade++ * senders.length) % frames.length);
        }

        private void send(Sender sender, int frame) throws IOException {
            sender.frame = frame;
            sender.writing = frames[frame].duplicate();
            sender.sentAt = System.nanoTime();
            write(sender);
        }

        private void write(Sender sender) throws IOException {
            sender.channel.write(sender.writing);
            sender.key.interestOps(sender.writing.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        /**
         * Reads what has come of the answer: null until it is whole, then NONE once every partition took its batch,
         * or the error a partition was refused with, if the round may send it again.
         */
        private Errors read(Sender sender) throws IOException {
            if (sender.answer == null) {
                if (sender.channel.read(sender.size) < 0) {
                    throw new IOException("the broker closed connection " + sender.index);
                }
                if (sender.size.hasRemaining()) {
                    return null;
                }
                sender.answer = ByteBuffer.allocate(sender.size.flip().getInt());
                sender.size.clear();
            }
            if (sender.channel.read(sender.answer) < 0) {
                throw new IOException("the broker closed connection " + sender.index);
            }
            if (sender.answer.hasRemaining()) {
                return null;
            }
            ByteBuffer answer = sender.answer.flip();
            sender.answer = null;
            ResponseHeader.parse(answer, ApiKeys.PRODUCE.responseHeaderVersion(PRODUCE_VERSION));
            ProduceResponseData data = new ProduceResponseData(new ByteBufferAccessor(answer), PRODUCE_VERSION);
            Errors refused = Errors.NONE;
            for (ProduceResponseData.TopicProduceResponse topic : data.responses()) {
                for (ProduceResponseData.PartitionProduceResponse partition : topic.partitionResponses()) {
                    Errors error = Errors.forCode(partition.errorCode());
                    if (error == Errors.NONE) {
                        appended += recordsPerBatch; // taken even when another batch of the request is refused
                    } else if (warmUp && RETRIABLE.contains(error)) {
                        refused = error;
                    } else {
                        throw new IllegalStateException("a produce to " + topic.name() + "-" + partition.index()
                                + " was refused: " + error + " " + partition.errorMessage());
                    }
                }
            }
            if (refused != Errors.NONE) {
                return refused;
            }
            if (answered < latencies.length) {
                latencies[(int) answered] = System.nanoTime() - sender.sentAt;
            }
            answered++;
            return Errors.NONE;
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
