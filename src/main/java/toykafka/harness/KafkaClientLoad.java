package toykafka.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Load on one partition of a Kafka broker, made by Apache's own kafka-clients: a {@link KafkaProducer}
 * writing fixed-size values, and a {@link KafkaConsumer} reading the partition back from its start. It
 * knows only how to connect ({@code bootstrap.servers}, and a secured listener's settings) and a topic, so the
 * same runs measure our broker's Kafka front end and, in the head-to-head, an Apache Kafka broker. Kafka's
 * counterparts are its {@code kafka-producer-perf-test} and {@code kafka-consumer-perf-test}.
 */
public final class KafkaClientLoad {

    /** The producer's batches: large, and held a little for more records, as a throughput producer sets them. */
    public static final int BATCH_BYTES = 128 * 1024;
    public static final int LINGER_MS = 10;
    /** How long a run may go without progress before it is called stuck. */
    private static final Duration STALL = Duration.ofSeconds(30);
    /** How long a read may go without a record: a minute, as the head-to-head allows either broker. */
    private static final Duration READ_STALL = Duration.ofSeconds(60);

    /** What one run moved, and in how long: records, the bytes of their values, seconds. */
    public record Figures(long records, long valueBytes, double seconds) {

        public double recordsPerSecond() {
            return records / seconds;
        }

        /** Megabytes (10^6 bytes) of record values a second. */
        public double megabytesPerSecond() {
            return valueBytes / seconds / 1e6;
        }

        /** Both rates as a report's column prints them: records/s and MB/s. */
        public String rates() {
            return String.format(Locale.ROOT, "%,11.0f records/s %8.2f MB/s", recordsPerSecond(), megabytesPerSecond());
        }

        /** The fastest of the runs, by records a second: what a benchmark reports of repeated runs. */
        public static Figures best(List<Figures> runs) {
            return runs.stream().max((a, b) -> Double.compare(a.recordsPerSecond(), b.recordsPerSecond()))
                    .orElseThrow();
        }
    }

    private final String bootstrapServers;
    /** {@code bootstrap.servers}, and the security settings of a listener that asks for them (TLS, SASL). */
    private final Map<String, Object> connection;
    private final String topic;

    public KafkaClientLoad(String bootstrapServers, String topic) {
        this(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic);
    }

    /** Load through a connection's settings: {@code bootstrap.servers} and any of {@code security.protocol}'s. */
    public KafkaClientLoad(Map<String, Object> connection, String topic) {
        this.bootstrapServers = String.valueOf(connection.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
        this.connection = Map.copyOf(connection);
        this.topic = topic;
    }

    /** Creates the topic with one partition (and one replica), through Kafka's Admin. */
    public void createTopic() {
        createTopic(1);
    }

    /** Creates the topic with {@code partitions} partitions (and one replica each), through Kafka's Admin. */
    public void createTopic(int partitions) {
        try (Admin admin = Admin.create(connection)) {
            KafkaFutures.await(admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions),
                    Optional.of((short) 1)))).all(), STALL, "create the topic " + topic + " on " + bootstrapServers);
        }
    }

    /**
     * The producer settings of every produce run: acks=1 (the leader's write, no more), batches of
     * {@value #BATCH_BYTES} bytes lingering {@value #LINGER_MS} ms, no compression (the broker then stores the
     * bytes the producer encoded), and no idempotence (Kafka's producer allows it only with acks=all).
     */
    public Map<String, Object> producerSettings() {
        return withConnection(Map.of(ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES,
                ProducerConfig.LINGER_MS_CONFIG, LINGER_MS,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "none",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    /**
     * The consumer settings of every consume run: no group (the partition is assigned), and otherwise
     * kafka-clients' defaults, so fetches of at most 1 MiB from the partition and 500 records a poll.
     */
    public Map<String, Object> consumerSettings() {
        return withConnection(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    private Map<String, Object> withConnection(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(connection);
        all.putAll(settings);
        return Map.copyOf(all);
    }

    /**
     * Sends {@code records} values of {@code valueBytes} bytes, without keys, to partition 0, and waits
     * until every one is acknowledged. The clock runs from the first send to the last acknowledgement; the
     * producer's start and its first metadata request are before it.
     */
    public Figures produce(int records, int valueBytes) {
        byte[] value = new byte[valueBytes];
        Arrays.fill(value, (byte) 'x');
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings())) {
            producer.partitionsFor(topic); // the metadata, and a connection, before the clock starts
            long started = System.nanoTime();
            for (int i = 0; i < records && failed.get() == null; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, value), (metadata, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
            double seconds = (System.nanoTime() - started) / 1e9;
            if (failed.get() != null) {
                throw new IllegalStateException("the broker at " + bootstrapServers + " refused a produce to " + topic
                        + ": " + failed.get().getMessage(), failed.get());
            }
            return new Figures(records, (long) records * valueBytes, seconds);
        }
    }

    /**
     * Reads partition 0 from its first offset to the end offset it has when the run starts: the clock runs from
     * the first poll until the last record is in hand; the consumer's start and the end offset's request are
     * before it.
     */
    public Figures consumeAll() {
        return consume(1);
    }

    /**
     * Reads every partition of the topic from its first offset to the end it has when the run starts, with one
     * consumer and {@code assign()}, as the head-to-head reads a topic. The clock runs from the first poll to the
     * last record in hand.
     */
    public Figures consume(int partitions) {
        return consume(partitions, "read_uncommitted");
    }

    /**
     * As {@link #consume(int)} at an isolation level. At {@code read_committed} the end is the last stable offset,
     * and transaction markers take offsets without being records: the run ends when the consumer's position
     * reaches each end, never at a count of records.
     */
    public Figures consume(int partitions, String isolationLevel) {
        Map<String, Object> settings = new HashMap<>(consumerSettings());
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings)) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> ends = consumer.endOffsets(all);
            all.forEach(consumer::position); // looks the first offsets up now, not on the clock
            long started = System.nanoTime();
            PollLoop.Read read = PollLoop.run(consumer::poll,
                    () -> all.stream().allMatch(partition -> consumer.position(partition) >= ends.get(partition)),
                    READ_STALL, "a consumer of " + topic + " on " + bootstrapServers, () -> "ends " + ends);
            return new Figures(read.records(), read.valueBytes(), (System.nanoTime() - started) / 1e9);
        }
    }
}
