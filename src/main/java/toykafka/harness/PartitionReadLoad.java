package toykafka.harness;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import toykafka.common.RecordBatch;

/**
 * Readers that cost next to nothing, the other half of {@link ManyConnectionsLoad}: one thread, in a JVM of its own,
 * holds a connection for each partition of a topic and reads it from its start to its end, asking for the next
 * records as soon as the last arrive, a batch's worth at a time. Over Kafka's protocol a request is a Fetch of one
 * partition; over HTTP, a read of the partition's records as base64 (the broker's read route, as Redpanda's HTTP
 * proxy reads). The topic is read once before the clock, then again on it.
 */
public final class PartitionReadLoad {

    private static final short FETCH_VERSION = 11; // the newest our broker serves
    /** "read 100000 records in 1.234 s, p50 1.20 ms, p99 3.40 ms; the client's CPU 0.456 s". */
    private static final Pattern SUMMARY = Pattern.compile("read (\\d+) records in ([\\d.]+) s, p50 ([\\d.]+) ms,"
            + " p99 ([\\d.]+) ms; the client's CPU ([\\d.]+) s");

    /** What a run read, how fast, and the CPU time the client's JVM spent on the clock. */
    public record Result(long records, long valueBytes, double seconds, double p50Millis, double p99Millis,
                         double clientCpuSeconds) {

        public double recordsPerSecond() {
            return records / seconds;
        }

        /** Megabytes (10^6 bytes) of record values a second. */
        public double megabytesPerSecond() {
            return valueBytes / seconds / 1e6;
        }
    }

    private PartitionReadLoad() {
    }

    /**
     * Reads partitions 0 to {@code ends.length - 1} of {@code topic} from offset 0 to their ends, records of
     * {@code valueBytes} in batches of {@code recordsPerRead} (as {@link ManyConnectionsLoad} wrote them), in a
     * child JVM.
     */
    public static Result run(ManyConnectionsLoad.Wire wire, int port, String topic, long[] ends, int recordsPerRead,
                             int valueBytes, Path workDir) {
        String printed = ChildJvm.run("partition-read-" + wire.name().toLowerCase(Locale.ROOT), workDir,
                PartitionReadLoad.class.getName(), wire.name(), String.valueOf(port), topic,
                Arrays.stream(ends).mapToObj(String::valueOf).collect(Collectors.joining(",")),
                String.valueOf(recordsPerRead), String.valueOf(valueBytes));
        Matcher summary = SUMMARY.matcher(printed);
        if (!summary.find()) {
            throw new IllegalStateException("the read of " + topic + " printed no summary:\n" + printed.strip());
        }
        long records = Long.parseLong(summary.group(1));
        return new Result(records, records * valueBytes, Double.parseDouble(summary.group(2)),
                Double.parseDouble(summary.group(3)), Double.parseDouble(summary.group(4)),
                Double.parseDouble(summary.group(5)));
    }

    /** The child: wire, port, topic, the partitions' ends, records a read, value bytes; prints one summary line. */
    public static void main(String[] args) throws IOException {
        ManyConnectionsLoad.Wire wire = ManyConnectionsLoad.Wire.valueOf(args[0]);
        int port = Integer.parseInt(args[1]);
        String topic = args[2];
        long[] ends = Arrays.stream(args[3].split(",")).mapToLong(Long::parseLong).toArray();
        int partitions = ends.length;
        int recordsPerRead = Integer.parseInt(args[4]);
        int valueBytes = Integer.parseInt(args[5]);
        // a batch of 'x' values takes about this much with its headers; the fetch may take a little more
        int batchBytes = 61 + recordsPerRead * (valueBytes + 12);
        try (Selector selector = Selector.open()) {
            Reader[] readers = new Reader[partitions];
            for (int p = 0; p < partitions; p++) {
                readers[p] = new Reader(selector, port, p, wire == ManyConnectionsLoad.Wire.HTTP
                        ? new HttpRead(topic, port, recordsPerRead) : new KafkaFetch(topic, batchBytes));
            }
            readAll(selector, readers, ends, new long[0]); // off the clock
            long[] latencies = new long[(int) Math.min(1_000_000, Arrays.stream(ends).sum() / recordsPerRead + partitions)];
            long cpuBefore = ManyConnectionsLoad.processCpuNanos();
            long started = System.nanoTime();
            int answered = readAll(selector, readers, ends, latencies);
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpuSeconds = (ManyConnectionsLoad.processCpuNanos() - cpuBefore) / 1e9;
            long[] sorted = Arrays.copyOf(latencies, Math.max(1, Math.min(answered, latencies.length)));
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "read %d records in %.6f s, p50 %.3f ms, p99 %.3f ms; the client's CPU %.3f s%n",
                    Arrays.stream(ends).sum(), seconds, sorted[sorted.length / 2] / 1e6,
                    sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6, cpuSeconds);
            for (Reader reader : readers) {
                reader.channel.close();
            }
        }
    }

    /** Reads every partition from 0 to its end; returns how many answers came. */
    private static int readAll(Selector selector, Reader[] readers, long[] ends, long[] latencies)
            throws IOException {
        int reading = 0;
        int answered = 0;
        for (Reader reader : readers) {
            reader.offset = 0;
            if (ends[reader.partition] > 0) {
                reader.ask();
                reading++;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (reading > 0) {
            if (selector.select(1_000) == 0 && System.nanoTime() > deadline) {
                throw new IllegalStateException("no answer for 60 s: " + reading + " partitions still reading");
            }
            for (SelectionKey key : selector.selectedKeys()) {
                Reader reader = (Reader) key.attachment();
                if (key.isWritable()) {
                    reader.write();
                    continue;
                }
                Long next = key.isReadable() ? reader.protocol.next(reader.channel, reader.offset) : null;
                if (next == null) {
                    continue;
                }
                if (next <= reader.offset) {
                    throw new IllegalStateException("a read of partition " + reader.partition + " at " + reader.offset
                            + " got nothing, before the " + ends[reader.partition] + " records it holds");
                }
                if (answered < latencies.length) {
                    latencies[answered] = System.nanoTime() - reader.sentAt;
                }
                answered++;
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                reader.offset = next;
                if (next < ends[reader.partition]) {
                    reader.ask();
                } else {
                    reader.key.interestOps(0);
                    reading--;
                }
            }
            selector.selectedKeys().clear();
        }
        return answered;
    }

    /** How one protocol asks for a partition's records and reads where to go on. */
    private interface Protocol {
        ByteBuffer request(int partition, long offset);

        /** Null until the answer is whole; then the offset after the last record it held. */
        Long next(SocketChannel channel, long offset) throws IOException;
    }

    /** One connection, reading one partition. */
    private static final class Reader {
        final SocketChannel channel;
        final SelectionKey key;
        final int partition;
        final Protocol protocol;
        ByteBuffer writing;
        long offset;
        long sentAt;

        Reader(Selector selector, int port, int partition, Protocol protocol) throws IOException {
            this.partition = partition;
            this.protocol = protocol;
            key = ManyConnectionsLoad.connect(selector, port, this);
            channel = (SocketChannel) key.channel();
        }

        void ask() throws IOException {
            writing = protocol.request(partition, offset);
            sentAt = System.nanoTime();
            write();
        }

        void write() throws IOException {
            channel.write(writing);
            key.interestOps(writing.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    /** A Fetch of one partition (v11, read_uncommitted, no wait), a batch's bytes at most. */
    private static final class KafkaFetch implements Protocol {
        private final String topic;
        private final int batchBytes;
        private final KafkaFrameReader frames = new KafkaFrameReader();
        private int correlation;

        KafkaFetch(String topic, int batchBytes) {
            this.topic = topic;
            this.batchBytes = batchBytes;
        }

        @Override
        public ByteBuffer request(int partition, long offset) {
            FetchRequestData fetch = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1)
                    .setMaxBytes(batchBytes).setIsolationLevel((byte) 0);
            fetch.topics().add(new FetchRequestData.FetchTopic().setTopic(topic).setPartitions(List.of(
                    new FetchRequestData.FetchPartition().setPartition(partition).setFetchOffset(offset)
                            .setPartitionMaxBytes(batchBytes))));
            RequestHeader header = new RequestHeader(ApiKeys.FETCH, FETCH_VERSION, "partition-read", correlation++);
            ByteBuffer serialized = RequestUtils.serialize(header.data(), header.headerVersion(), fetch, FETCH_VERSION);
            return ByteBuffer.allocate(4 + serialized.remaining()).putInt(serialized.remaining()).put(serialized).flip();
        }

        @Override
        public Long next(SocketChannel channel, long offset) throws IOException {
            FetchResponseData data = frames.read(channel, ApiKeys.FETCH, FETCH_VERSION, FetchResponseData::new);
            if (data == null) {
                return null;
            }
            if (data.errorCode() != 0) {
                throw new IllegalStateException("a fetch of " + topic + " was refused: " + Errors.forCode(data.errorCode()));
            }
            FetchResponseData.PartitionData partition = data.responses().get(0).partitions().get(0);
            if (partition.errorCode() != 0) {
                throw new IllegalStateException("a fetch of " + topic + "-" + partition.partitionIndex() + " was refused: "
                        + Errors.forCode(partition.errorCode()));
            }
            long next = offset;
            for (RecordBatch batch : WireRecords.wholeBatches(partition)) {
                next = Math.max(next, batch.lastOffset() + 1); // a batch cut short at the end is not listed
            }
            return next;
        }
    }

    /** The broker's read route, base64 values as REST Proxy's consumers and Redpanda give them, no wait. */
    private static final class HttpRead implements Protocol {
        private final String topic;
        private final int port;
        private final int recordsPerRead;
        private final HttpResponseReader responses = new HttpResponseReader();

        HttpRead(String topic, int port, int recordsPerRead) {
            this.topic = topic;
            this.port = port;
            this.recordsPerRead = recordsPerRead;
        }

        @Override
        public ByteBuffer request(int partition, long offset) {
            return ByteBuffer.wrap(("GET /topics/" + topic + "/partitions/" + partition + "/records?offset=" + offset
                    + "&max_records=" + recordsPerRead + "&timeout=0 HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nAccept: application/vnd.kafka.binary.v2+json\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public Long next(SocketChannel channel, long offset) throws IOException {
            HttpResponseReader.Response response = responses.read(channel);
            if (response == null) {
                return null;
            }
            String next = response.header("x-next-offset");
            if (response.status() != 200 || next == null) {
                throw new IllegalStateException("a read of " + topic + " at " + offset + " was refused: "
                        + response.statusLine() + " " + response.bodyText());
            }
            return Long.parseLong(next);
        }
    }
}
