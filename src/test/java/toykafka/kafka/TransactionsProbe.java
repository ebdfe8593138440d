package toykafka.kafka;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A transactional producer's life, as kafka-clients lives it, printed line by line for a test to compare: a
 * commit and an abort across three partitions, a transaction left open, what {@code read_committed} and
 * {@code read_uncommitted} consumers see, and a second instance with the same {@code transactional.id} that
 * fences the first and aborts what it left open. Runs in the test's JVM (kafka-clients 4.4) or in a child JVM
 * with kafka-clients 3.9: {@code TransactionsProbe <bootstrap servers> <topic>}.
 */
final class TransactionsProbe {

    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final int PARTITIONS = 3;

    private final String bootstrap;
    private final String topic;
    private final PrintStream out;

    private TransactionsProbe(String bootstrap, String topic, PrintStream out) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        new TransactionsProbe(args[0], args[1], System.out).run();
        System.out.flush();
        System.exit(0);
    }

    static List<String> runInProcess(String bootstrap, String topic) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            new TransactionsProbe(bootstrap, topic, out).run();
        }
        return printed.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private void run() throws Exception {
        out.println("clients " + ClientsJarVersion.get());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
        KafkaProducer<String, String> first = producer("till");
        first.initTransactions();
        first.beginTransaction();
        sendToEach(first, "paid");
        first.commitTransaction();
        out.println("commit: ok");

        first.beginTransaction();
        sendToEach(first, "voided");
        first.abortTransaction();
        out.println("abort: ok");

        first.beginTransaction();
        first.send(new ProducerRecord<>(topic, 0, "till", "pending")).get();
        out.println("left open: pending at partition 0");
        out.println("read_committed: " + consume("read_committed"));
        out.println("read_uncommitted: " + consume("read_uncommitted"));

        try (KafkaProducer<String, String> second = producer("till")) {
            second.initTransactions();
            out.println("second instance: started");
            try {
                first.send(new ProducerRecord<>(topic, 1, "till", "zombie")).get();
                first.commitTransaction();
                out.println("first instance: committed after all");
            } catch (Exception e) {
                Throwable cause = e.getCause() != null && !(e instanceof KafkaException) ? e.getCause() : e;
                out.println("first instance: " + cause.getClass().getSimpleName());
            } finally {
                first.close(Duration.ZERO);
            }
            out.println("read_committed after fencing: " + consume("read_committed"));
            second.beginTransaction();
            second.send(new ProducerRecord<>(topic, 2, "till", "refund")).get();
            second.commitTransaction();
            out.println("second instance: committed");
        }
        out.println("read_committed at the end: " + consume("read_committed"));
        consumeTransformProduce();
    }

    /**
     * The loop exactly once is for: a group member reads, a transactional producer writes what it made of it and
     * commits the member's offsets in the same transaction; an aborted round moves neither.
     */
    private void consumeTransformProduce() throws Exception {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        config.put("group.id", "kitchen-" + topic);
        config.put("isolation.level", "read_committed");
        config.put("enable.auto.commit", "false");
        config.put("auto.offset.reset", "earliest");
        config.put("key.deserializer", StringDeserializer.class.getName());
        config.put("value.deserializer", StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config);
             KafkaProducer<String, String> cook = producer("cook-" + topic);
             Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            consumer.subscribe(List.of(topic));
            Map<TopicPartition, OffsetAndMetadata> next = new TreeMap<>(
                    Comparator.comparing(TopicPartition::toString));
            List<String> read = new ArrayList<>();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (read.size() < 4 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    read.add(record.value());
                    next.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
            }
            cook.initTransactions();
            cook.beginTransaction();
            for (String value : read) {
                cook.send(new ProducerRecord<>(topic, 0, "cook", "cooked " + value)).get();
            }
            cook.sendOffsetsToTransaction(next, consumer.groupMetadata());
            cook.commitTransaction();
            out.println("cooked and committed: " + read.size() + " records, offsets " + committed(admin));

            cook.beginTransaction();
            Map<TopicPartition, OffsetAndMetadata> further = new HashMap<>();
            next.forEach((partition, offset) -> further.put(partition,
                    new OffsetAndMetadata(offset.offset() + 100)));
            cook.sendOffsetsToTransaction(further, consumer.groupMetadata());
            cook.abortTransaction();
            out.println("aborted round: offsets " + committed(admin));
        }
    }

    /** The group's committed offsets, partition by partition. */
    private String committed(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin
                .listConsumerGroupOffsets("kitchen-" + topic).partitionsToOffsetAndMetadata().get();
        List<String> each = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            OffsetAndMetadata offset = offsets.get(new TopicPartition(topic, p));
            each.add("p" + p + "=" + (offset == null ? "none" : offset.offset()));
        }
        return String.join(" ", each);
    }

    private KafkaProducer<String, String> producer(String transactionalId) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        config.put("transactional.id", transactionalId);
        config.put("key.serializer", StringSerializer.class.getName());
        config.put("value.serializer", StringSerializer.class.getName());
        config.put("max.block.ms", String.valueOf(PATIENCE.toMillis()));
        return new KafkaProducer<>(config);
    }

    private void sendToEach(KafkaProducer<String, String> producer, String what) throws Exception {
        for (int partition = 0; partition < PARTITIONS; partition++) {
            producer.send(new ProducerRecord<>(topic, partition, "till", what + "-" + partition)).get();
        }
    }

    /** Every value a consumer with this isolation level reads, start to end, in order; with the end offsets. */
    private String consume(String isolation) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        config.put("isolation.level", isolation);
        config.put("key.deserializer", StringDeserializer.class.getName());
        config.put("value.deserializer", StringDeserializer.class.getName());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        TreeSet<String> values = new TreeSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, PATIENCE);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, PATIENCE) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    return "did not reach " + ends + " within " + PATIENCE;
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            List<Long> endOffsets = partitions.stream().map(ends::get).toList();
            return String.join(",", values) + " (ends " + endOffsets + ")";
        }
    }
}
