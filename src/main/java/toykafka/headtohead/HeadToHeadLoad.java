package toykafka.headtohead;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import toykafka.harness.KafkaFutures;
import toykafka.harness.KafkaClientLoad;

/**
 * The head-to-head's client side: the same kafka-clients code and settings against either broker, knowing only
 * its bootstrap address. Produce runs time every record from send to acknowledgement; consume runs read every
 * partition from its start with {@code assign()}; the end-to-end run sends at a fixed rate and times each
 * record from send to poll.
 */
final class HeadToHeadLoad {

    /** Batches as a throughput producer sets them: the same for both brokers, as every other client setting. */
    static final int BATCH_BYTES = KafkaClientLoad.BATCH_BYTES;
    static final int LINGER_MS = KafkaClientLoad.LINGER_MS;
    private static final Duration STALL = Duration.ofSeconds(60);

    /** One run's figures: records, bytes of values, seconds, and latencies in milliseconds (NaN where not timed). */
    record Figures(long records, long valueBytes, double seconds, double p50Millis, double p99Millis) {

        double recordsPerSecond() {
            return records / seconds;
        }

        double megabytesPerSecond() {
            return valueBytes / seconds / 1e6;
        }
    }

    private final String bootstrap;
    /** Every client's {@code bootstrap.servers}, and a secured listener's settings (TLS, SASL) when it has them. */
    private final Map<String, Object> connection;
    /** The producers' compression.type; with a codec, the values are {@link OrderValues}, which compress as text does. */
    private final String compression;

    HeadToHeadLoad(String bootstrap) {
        this(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), "none");
    }

    /** Load through a listener that asks for more than an address: {@code connection} holds its client settings. */
    HeadToHeadLoad(Map<String, Object> connection) {
        this(connection, "none");
    }

    private HeadToHeadLoad(Map<String, Object> connection, String compression) {
        this.bootstrap = String.valueOf(connection.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.connection = Map.copyOf(connection);
        this.compression = compression;
    }

    /** The same load with its producers compressing every batch with {@code codec}, and values worth compressing. */
    HeadToHeadLoad compressedWith(String codec) {
        return new HeadToHeadLoad(connection, codec);
    }

    /** Creates the topic and returns once every partition has a leader to take writes. */
    void createTopic(String topic, int partitions, Map<String, String> configs) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.of((short) 1)).configs(configs)))
                    .all().get(STALL.toMillis(), TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + STALL.toNanos();
            while (!led(admin, topic, partitions)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("its partitions have no leader after " + STALL.toSeconds() + " s");
                }
                Thread.sleep(20);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create " + topic + " (" + partitions + " partitions) on " + bootstrap
                    + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating " + topic, e);
        }
    }

    private static boolean led(Admin admin, String topic, int partitions) throws InterruptedException {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(STALL.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            return description.partitions().size() == partitions && description.partitions().stream()
                    .allMatch(partition -> partition.leader() != null && partition.leader().id() >= 0);
        } catch (ExecutionException | TimeoutException e) {
            return false; // not known everywhere yet: asked again
        }
    }

    /** Deletes a run's topic, so the disk holds one run's records at a time. */
    void deleteTopic(String topic) {
        try (Admin admin = admin()) {
            KafkaFutures.await(admin.deleteTopics(List.of(topic)).all(), STALL, "delete " + topic + " on " + bootstrap);
        }
    }

    /**
     * The producer settings of every run. acks=all comes with idempotence, as Kafka's producer has it by
     * default; acks=1 without, which Kafka's producer requires.
     */
    Map<String, Object> producerSettings(String acks, int lingerMs) {
        Map<String, Object> settings = new HashMap<>(connection);
        settings.put(ProducerConfig.ACKS_CONFIG, acks);
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, acks.equals("all"));
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return settings;
    }

    /**
     * {@code producers} producers, each with its own connection, send {@code records} values of {@code valueBytes}
     * between them, spread over the partitions in turn. The clock runs from the first send (every producer has
     * its metadata and connection by then) to the last acknowledgement.
     */
    Figures produce(String topic, int partitions, int records, int valueBytes, String acks, int producers) {
        byte[][] values = compression.equals("none") ? new byte[][] {filled(valueBytes)}
                : OrderValues.of(valueBytes, OrderValues.COUNT);
        long[] latencies = new long[records];
        AtomicReference<Exception> failed = new AtomicReference<>();
        List<KafkaProducer<byte[], byte[]>> clients = new ArrayList<>();
        try {
            for (int p = 0; p < producers; p++) {
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings(acks, LINGER_MS));
                clients.add(producer);
                warmUp(producer, topic, partitions);
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                KafkaProducer<byte[], byte[]> producer = clients.get(p);
                int first = p;
                senders.add(started(() -> {
                    awaitQuietly(go);
                    for (int i = first; i < records && failed.get() == null; i += producers) {
                        int index = i;
                        long sent = System.nanoTime();
                        producer.send(new ProducerRecord<>(topic, i % partitions, null, values[i % values.length]),
                                (metadata, e) -> {
                            if (e != null) {
                                failed.compareAndSet(null, e);
                            }
                            latencies[index] = System.nanoTime() - sent;
                        });
                    }
                    producer.flush();
                }));
            }
            long started = System.nanoTime();
            go.countDown();
            for (Thread sender : senders) {
                sender.join();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (failed.get() != null) {
                throw new IllegalStateException("the broker at " + bootstrap + " refused a produce to " + topic + ": "
                        + failed.get().getMessage(), failed.get());
            }
            Arrays.sort(latencies);
            return new Figures(records, (long) records * valueBytes, seconds, millis(latencies, 0.50), millis(latencies, 0.99));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted producing to " + topic, e);
        } finally {
            clients.forEach(KafkaProducer::close);
        }
    }

    /**
     * One producer with linger.ms=0 sends {@code records} values to partition 0 one at a time, each waited for
     * before the next, so every record is a request of its own: what a broker costs per request, not per byte.
     */
    Figures produceOneAtATime(String topic, int records, int valueBytes) {
        byte[] value = filled(valueBytes);
        long[] latencies = new long[records];
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings("1", 0))) {
            warmUp(producer, topic, 1);
            long started = System.nanoTime();
            for (int i = 0; i < records; i++) {
                long sent = System.nanoTime();
                KafkaFutures.await(producer.send(new ProducerRecord<>(topic, 0, null, value)), STALL,
                        "have the broker at " + bootstrap + " take a record of " + topic);
                latencies[i] = System.nanoTime() - sent;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Arrays.sort(latencies);
            return new Figures(records, (long) records * valueBytes, seconds, millis(latencies, 0.50), millis(latencies, 0.99));
        }
    }

    private static byte[] filled(int valueBytes) {
        byte[] value = new byte[valueBytes];
        Arrays.fill(value, (byte) 'x');
        return value;
    }

    /**
     * One transactional producer sends {@code records} values of {@code valueBytes} to partition 0, {@code
     * perTransaction} to a transaction, and commits each. A transaction of one record, committed, comes first, off
     * the clock: the producer then has its id and both coordinators' connections. The clock runs from the first
     * transaction's start to the last commit; the latencies are per transaction, from its start to its commit's
     * return.
     */
    Figures produceInTransactions(String topic, int records, int valueBytes, int perTransaction) {
        byte[] value = new byte[valueBytes];
        Arrays.fill(value, (byte) 'x');
        Map<String, Object> settings = producerSettings("all", LINGER_MS);
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-producer");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, null, new byte[Long.BYTES]));
            producer.commitTransaction();
            int transactions = (records + perTransaction - 1) / perTransaction;
            long[] latencies = new long[transactions];
            long started = System.nanoTime();
            for (int t = 0, sent = 0; t < transactions; t++) {
                long begun = System.nanoTime();
                producer.beginTransaction();
                for (int i = 0; i < perTransaction && sent < records; i++, sent++) {
                    producer.send(new ProducerRecord<>(topic, 0, null, value));
                }
                producer.commitTransaction();
                latencies[t] = System.nanoTime() - begun;
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Arrays.sort(latencies);
            return new Figures(records, (long) records * valueBytes, seconds, millis(latencies, 0.50),
                    millis(latencies, 0.99));
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IllegalStateException("a transactional producer on " + bootstrap + " failed writing " + topic
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #consume}, with {@code isolation.level=read_committed}: to the last stable offset, markers and
     * aborted records skipped.
     */
    Figures consumeCommitted(String topic, int partitions) {
        KafkaClientLoad.Figures read = new KafkaClientLoad(connection, topic).consume(partitions, "read_committed");
        return new Figures(read.records(), read.valueBytes(), read.seconds(), Double.NaN, Double.NaN);
    }

    /**
     * Before the clock: one record to each partition, acknowledged, so the producer holds its connection, the
     * partitions' leaders and (when idempotent) its producer id. Consume runs read these too.
     */
    private static void warmUp(KafkaProducer<byte[], byte[]> producer, String topic, int partitions) {
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            sent.add(producer.send(new ProducerRecord<>(topic, p, null, new byte[Long.BYTES])));
        }
        for (java.util.concurrent.Future<?> one : sent) {
            KafkaFutures.await(one, STALL, "warm up " + topic + " with a produce");
        }
    }

    /**
     * Reads every partition of the topic from its first offset to the end it has when the run starts, with one
     * consumer and {@code assign()} ({@link KafkaClientLoad#consume}). The clock runs from the first poll to the
     * last record in hand.
     */
    Figures consume(String topic, int partitions) {
        KafkaClientLoad.Figures read = new KafkaClientLoad(connection, topic).consume(partitions);
        return new Figures(read.records(), read.valueBytes(), read.seconds(), Double.NaN, Double.NaN);
    }

    /**
     * Reads every partition of the topic from its start with {@code members} consumers in one new group, each
     * subscribed, so the group coordinator assigns the partitions (range, kafka-clients' default). The clock runs
     * from the first subscribe, so the group's joining is on it, to the last record in hand.
     */
    Figures consumeAsGroup(String topic, int partitions, int members) {
        Map<String, Object> settings = new HashMap<>(consumerSettings());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, topic + "-group");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return GroupRead.read(members, recordsIn(topic, partitions), "a group of " + members + " reading " + topic
                + " from " + bootstrap, read -> {
                    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings)) {
                        consumer.subscribe(List.of(topic));
                        read.poll(consumer::poll, "a member of " + topic + "-group");
                    }
                });
    }

    /** How many records the topic's partitions hold now. */
    long recordsIn(String topic, int partitions) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings())) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(all);
            long records = 0;
            for (Map.Entry<TopicPartition, Long> end : consumer.endOffsets(all).entrySet()) {
                records += end.getValue() - starts.get(end.getKey());
            }
            return records;
        }
    }

    /**
     * Sends {@code ratePerSecond} records of {@code valueBytes} for {@code run}, each carrying its send time, to
     * partition 0, with acks=1 and no linger, while a consumer polls the partition; the latency of each record is
     * from send to poll. The first fifth of the run warms both up and is not counted.
     */
    Figures endToEnd(String topic, int ratePerSecond, int valueBytes, Duration run) {
        TopicPartition partition = new TopicPartition(topic, 0);
        int total = (int) Math.max(10, ratePerSecond * run.toMillis() / 1000);
        long[] latencies = new long[total];
        int[] seen = {0};
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerSettings("1", 0));
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerSettings())) {
            warmUp(producer, topic, 1);
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            Thread reader = started(() -> {
                long deadline = System.nanoTime() + run.toNanos() + STALL.toNanos();
                while (seen[0] < total && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        if (seen[0] < total) {
                            latencies[seen[0]++] = System.nanoTime() - ByteBuffer.wrap(record.value()).getLong();
                        }
                    }
                }
            });
            long interval = 1_000_000_000L / ratePerSecond;
            long next = System.nanoTime();
            for (int i = 0; i < total && failed.get() == null; i++) {
                while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                }
                byte[] value = new byte[Math.max(Long.BYTES, valueBytes)];
                ByteBuffer.wrap(value).putLong(System.nanoTime());
                producer.send(new ProducerRecord<>(topic, 0, null, value), (metadata, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
                next += interval;
            }
            producer.flush();
            reader.join();
            if (failed.get() != null) {
                throw new IllegalStateException("the broker at " + bootstrap + " refused a produce to " + topic + ": "
                        + failed.get().getMessage(), failed.get());
            }
            if (seen[0] < total) {
                throw new IllegalStateException("the consumer saw " + seen[0] + " of " + total + " records from " + topic
                        + " on " + bootstrap);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted timing " + topic, e);
        }
        long[] counted = Arrays.copyOfRange(latencies, total / 5, total);
        Arrays.sort(counted);
        return new Figures(counted.length, (long) counted.length * valueBytes, run.toNanos() / 1e9,
                millis(counted, 0.50), millis(counted, 0.99));
    }

    /**
     * Tries to create the topic (one partition, if it is not there) and produce one record to it, again every
     * 50 ms, until the broker accepts the record; returns the nanoseconds since {@code launchedNanos}. A broker
     * still starting refuses the connection or the request, and the clients' short timeouts give up quickly; a try
     * that runs out of time doubles them, up to {@link #STALL}, since a broker on a busy machine may take seconds to
     * answer and the clients wait no longer than they must. It gives up once {@code quiet} has passed since the
     * launch with nothing new in the broker's log (a broker still writing its log is still starting), and at the
     * latest at five times {@code quiet}.
     */
    long firstProduceAccepted(String topic, long launchedNanos, Duration quiet, ContenderBroker broker) {
        long hardDeadline = launchedNanos + 5 * quiet.toNanos();
        long deadline = launchedNanos + quiet.toNanos();
        long logBytes = -1;
        int timeoutMs = 1_000;
        KafkaProducer<byte[], byte[]> producer = firstProducer(timeoutMs);
        try {
            while (true) {
                broker.checkAlive();
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                        AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 20,
                        AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 50))) {
                    try {
                        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                    producer.send(new ProducerRecord<>(topic, 0, null, new byte[100])).get();
                    return System.nanoTime() - launchedNanos;
                } catch (ExecutionException | org.apache.kafka.common.KafkaException e) {
                    long now = System.nanoTime();
                    long bytes = logBytes(broker);
                    if (bytes != logBytes) {
                        logBytes = bytes;
                        deadline = Math.min(hardDeadline, Math.max(deadline, now + quiet.toNanos()));
                    }
                    if (now > deadline) {
                        throw new IllegalStateException(broker.name() + " accepted no produce within "
                                + Duration.ofNanos(now - launchedNanos).toSeconds() + " s of its launch ("
                                + (now > hardDeadline ? "the most it is given" : "the last " + quiet.toSeconds()
                                + " s of them with nothing new in its log") + "): " + e.getMessage() + "; its log is "
                                + broker.log(), e);
                    }
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    if (cause instanceof org.apache.kafka.common.errors.TimeoutException && timeoutMs < STALL.toMillis()) {
                        timeoutMs = (int) Math.min(2L * timeoutMs, STALL.toMillis());
                        producer.close(Duration.ZERO);
                        producer = firstProducer(timeoutMs);
                    }
                    Thread.sleep(50);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + broker.name(), e);
        } finally {
            producer.close(Duration.ZERO);
        }
    }

    /** The producer of {@link #firstProduceAccepted}: it waits {@code timeoutMs} at most for anything. */
    private KafkaProducer<byte[], byte[]> firstProducer(int timeoutMs) {
        Map<String, Object> settings = producerSettings("1", 0);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        settings.put(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, 20);
        settings.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 50);
        settings.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 20);
        return new KafkaProducer<>(settings);
    }

    /** How long the broker's log is: it grows while the broker is still starting, or recovering its logs. */
    private static long logBytes(ContenderBroker broker) {
        try {
            return Files.size(broker.log());
        } catch (IOException e) {
            return -1; // not written yet
        }
    }

    private Map<String, Object> consumerSettings() {
        Map<String, Object> settings = new HashMap<>(connection);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return settings;
    }

    private Admin admin() {
        return Admin.create(connection);
    }

    private static double millis(long[] sortedNanos, double quantile) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(quantile * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, index)] / 1e6;
    }

    private static Thread started(Runnable work) {
        Thread thread = new Thread(work, "head-to-head client");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
