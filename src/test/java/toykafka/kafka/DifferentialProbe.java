package toykafka.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One scenario, driven by kafka-clients against whatever broker {@code bootstrap.servers} names, that writes a
 * normalised line a step: what Kafka promises (offsets, the partition of each keyed record, what a consumer
 * reads from earliest, latest and a timestamp, committed offsets, the error for each bad request), with nothing
 * that differs by nature between two brokers (times, ids, ports). Run against our broker and Apache Kafka, the
 * two outputs must match line for line.
 */
final class DifferentialProbe {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOPIC = "fish";
    private static final int PARTITIONS = 3;

    private final String bootstrap;
    private final List<String> lines = new ArrayList<>();

    private DifferentialProbe(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    static List<String> run(String bootstrap) throws Exception {
        DifferentialProbe probe = new DifferentialProbe(bootstrap);
        probe.scenario();
        return probe.lines;
    }

    private void scenario() throws Exception {
        long firstTimestamp;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            step("create " + TOPIC, () -> admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(PARTITIONS),
                    Optional.empty()))).all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            step("create it again", () -> admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(PARTITIONS),
                    Optional.empty()))).all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            step("create 'bad name!'", () -> admin.createTopics(List.of(new NewTopic("bad name!", Optional.of(1),
                    Optional.empty()))).all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            step("describe a topic that is not there", () -> admin.describeTopics(List.of("no-such-topic"))
                    .allTopicNames().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            step("delete a topic that is not there", () -> admin.deleteTopics(List.of("no-such-topic")).all()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerSettings())) {
            List<RecordMetadata> sent = new ArrayList<>();
            for (int i = 1; i <= 9; i++) {
                RecordMetadata metadata = producer.send(new ProducerRecord<>(TOPIC, "till-" + (i % 4), "order-" + i))
                        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                sent.add(metadata);
                lines.add("send till-" + (i % 4) + " order-" + i + ": partition " + metadata.partition() + " offset "
                        + metadata.offset());
                Thread.sleep(5); // distinct timestamps, for the lookup by time below
            }
            firstTimestamp = sent.get(4).timestamp();
            step("send 2 MB, more than max.message.bytes", () -> producer.send(new ProducerRecord<>(TOPIC, 0, "big",
                    "x".repeat(2_000_000))).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }

        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            all.add(new TopicPartition(TOPIC, p));
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerSettings(null, "earliest"))) {
            consumer.assign(all);
            lines.add("earliest " + new TreeMap<>(names(consumer.beginningOffsets(all))));
            lines.add("latest " + new TreeMap<>(names(consumer.endOffsets(all))));
            Map<TopicPartition, Long> when = new HashMap<>();
            all.forEach(partition -> when.put(partition, firstTimestamp));
            Map<String, Long> byTime = new TreeMap<>();
            for (Map.Entry<TopicPartition, OffsetAndTimestamp> found : consumer.offsetsForTimes(when).entrySet()) {
                byTime.put(found.getKey().toString(), found.getValue() == null ? -1 : found.getValue().offset());
            }
            lines.add("first offset at or after the fifth record's time " + byTime);
            consumer.seekToBeginning(all);
            readAll(consumer, 9).forEach(lines::add);
        }

        try (KafkaConsumer<String, String> member = new KafkaConsumer<>(consumerSettings("kitchen", "earliest"))) {
            member.subscribe(List.of(TOPIC));
            lines.add("a group member reads " + readAll(member, 9).size() + " records");
            member.commitSync();
        }
        try (KafkaConsumer<String, String> next = new KafkaConsumer<>(consumerSettings("kitchen", "earliest"))) {
            Map<String, Long> committed = new TreeMap<>();
            for (Map.Entry<TopicPartition, OffsetAndMetadata> offset : next.committed(new java.util.HashSet<>(all))
                    .entrySet()) {
                committed.put(offset.getKey().toString(), offset.getValue() == null ? -1 : offset.getValue().offset());
            }
            lines.add("the group's committed offsets, seen by a new member " + committed);
        }

        try (KafkaConsumer<String, String> strict = new KafkaConsumer<>(consumerSettings(null, "none"))) {
            TopicPartition first = all.get(0);
            strict.assign(List.of(first));
            strict.seek(first, 1_000);
            step("poll from offset 1000 with auto.offset.reset=none", () -> {
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (System.nanoTime() < deadline) {
                    strict.poll(Duration.ofMillis(200));
                }
                return null;
            });
        }
    }

    private static List<String> readAll(KafkaConsumer<String, String> consumer, int records) {
        List<String> read = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (read.size() < records && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                read.add("read " + record.topic() + "-" + record.partition() + "@" + record.offset() + " " + record.key()
                        + "=" + record.value());
            }
        }
        read.sort(null);
        return read;
    }

    private static Map<String, Long> names(Map<TopicPartition, Long> offsets) {
        Map<String, Long> named = new TreeMap<>();
        offsets.forEach((partition, offset) -> named.put(partition.toString(), offset));
        return named;
    }

    /** Runs one step and writes its outcome: ok, or the class of the exception a client sees. */
    private void step(String name, java.util.concurrent.Callable<?> action) {
        try {
            action.call();
            lines.add(name + ": ok");
        } catch (ExecutionException e) {
            lines.add(name + ": " + e.getCause().getClass().getSimpleName());
        } catch (Exception e) {
            lines.add(name + ": " + e.getClass().getSimpleName());
        }
    }

    private Map<String, Object> producerSettings() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 3_000_000, ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    }

    private Map<String, Object> consumerSettings(String group, String reset) {
        Map<String, Object> settings = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        if (group != null) {
            settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return settings;
    }
}
