package toykafka.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One scenario, driven by kafka-clients against whatever broker {@code bootstrap.servers} names, that writes a
 * line a step: what Kafka promises (offsets, the partition of each keyed record, what a consumer reads from
 * earliest, latest and a timestamp, committed offsets before and after the group's coordinator restarts, the
 * error for each bad request). Then the group assignors ({@link AssignmentProbe}), static members
 * ({@link StaticMembershipProbe}), Kafka 4's consumer groups ({@link ConsumerProtocolProbe}), a compacted topic
 * ({@link CompactionProbe}), a rolling move between protocols ({@link MigrationProbe}), Kafka Streams' own
 * group protocol ({@link StreamsGroupProbe}) and share groups ({@link ShareGroupProbe}). Run against our broker and
 * Apache Kafka, the two outputs must match line for line once {@link AllowedDifferences} has normalised what may
 * differ.
 */
final class DifferentialProbe {

    private static final Duration WAIT = ProbeSession.WAIT;
    private static final String TOPIC = "fish";
    private static final int PARTITIONS = 3;
    private static final String GROUP = "kitchen";

    /** How each side restarts what coordinates a group: our one broker, or Kafka's coordinating node. */
    @FunctionalInterface
    interface CoordinatorRestart {
        /** Restarts the broker (or node) {@code coordinatorId} and returns the bootstrap servers to use after. */
        String restart(int coordinatorId) throws Exception;
    }

    private final ProbeSession session;
    private final CoordinatorRestart restart;

    private DifferentialProbe(ProbeSession session, CoordinatorRestart restart) {
        this.session = session;
        this.restart = restart;
    }

    static List<String> run(String bootstrap, CoordinatorRestart restart) throws Exception {
        ProbeSession session = new ProbeSession(bootstrap);
        new DifferentialProbe(session, restart).scenario();
        AssignmentProbe.run(session);
        StaticMembershipProbe.run(session);
        ConsumerProtocolProbe.run(session);
        CompactionProbe.run(session);
        MigrationProbe.run(session);
        StreamsGroupProbe.run(session);
        ShareGroupProbe.run(session);
        ShareAssignmentProbe.run(session);
        return session.lines();
    }

    private void scenario() throws Exception {
        long firstTimestamp;
        try (Admin admin = session.admin()) {
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

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(session.producerSettings())) {
            List<RecordMetadata> sent = new ArrayList<>();
            for (int i = 1; i <= 9; i++) {
                RecordMetadata metadata = producer.send(new ProducerRecord<>(TOPIC, "till-" + (i % 4), "order-" + i))
                        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                sent.add(metadata);
                write("send till-" + (i % 4) + " order-" + i + ": partition " + metadata.partition() + " offset "
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
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(session.consumerSettings(null, "earliest"))) {
            consumer.assign(all);
            write("earliest " + new TreeMap<>(names(consumer.beginningOffsets(all))));
            write("latest " + new TreeMap<>(names(consumer.endOffsets(all))));
            Map<TopicPartition, Long> when = new HashMap<>();
            all.forEach(partition -> when.put(partition, firstTimestamp));
            Map<String, Long> byTime = new TreeMap<>();
            for (Map.Entry<TopicPartition, OffsetAndTimestamp> found : consumer.offsetsForTimes(when).entrySet()) {
                byTime.put(found.getKey().toString(), found.getValue() == null ? -1 : found.getValue().offset());
            }
            write("first offset at or after the fifth record's time " + byTime);
            for (TopicPartition partition : all) {
                long from = byTime.get(partition.toString());
                if (from < 0) {
                    consumer.seekToEnd(List.of(partition));
                } else {
                    consumer.seek(partition, from);
                }
            }
            readAll(consumer, 5).forEach(line -> write("from the fifth record's time, " + line));
            consumer.seekToBeginning(all);
            readAll(consumer, 9).forEach(this::write);
        }

        try (KafkaConsumer<String, String> member = new KafkaConsumer<>(session.consumerSettings(GROUP, "earliest"))) {
            member.subscribe(List.of(TOPIC));
            write("a group member reads " + readAll(member, 9).size() + " records");
            member.commitSync();
        }
        write("the group's committed offsets, seen by a new member " + committed(all));

        // The commit must outlive its coordinator: on Kafka, the node leading the group's __consumer_offsets
        // partition is killed with -9 and started again; on our broker, the one broker restarts.
        int coordinator;
        try (Admin admin = session.admin()) {
            ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(GROUP),
                    new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true)).all()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS).get(GROUP);
            coordinator = described.coordinator().id();
            write("a caller may " + ProbeSession.operations(described.authorizedOperations()) + " with the "
                    + described.type().toString().toLowerCase(java.util.Locale.ROOT) + " group");
        }
        write("the group's coordinator: node " + coordinator);
        step("restart the group's coordinator", () -> {
            session.moveTo(restart.restart(coordinator));
            return null;
        });
        write("the group's committed offsets after that restart, seen by a new member " + committed(all));

        try (KafkaConsumer<String, String> strict = new KafkaConsumer<>(session.consumerSettings(null, "none"))) {
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

        try (KafkaConsumer<String, String> latest = new KafkaConsumer<>(session.consumerSettings(null, "latest"));
             KafkaProducer<String, String> producer = new KafkaProducer<>(session.producerSettings())) {
            latest.assign(all);
            latest.seekToEnd(all);
            all.forEach(latest::position); // the end is looked up now, before the next record is written
            producer.send(new ProducerRecord<>(TOPIC, "till-1", "order-10")).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            readAll(latest, 1).forEach(line -> write("from latest, only what came after: " + line));
        }
    }

    /** The group's committed offsets as a member that has not joined yet reads them, -1 for none. */
    private Map<String, Long> committed(List<TopicPartition> partitions) {
        try (KafkaConsumer<String, String> next = new KafkaConsumer<>(session.consumerSettings(GROUP, "earliest"))) {
            Map<String, Long> committed = new TreeMap<>();
            for (Map.Entry<TopicPartition, OffsetAndMetadata> offset : next.committed(new HashSet<>(partitions), WAIT)
                    .entrySet()) {
                committed.put(offset.getKey().toString(), offset.getValue() == null ? -1 : offset.getValue().offset());
            }
            return committed;
        }
    }

    static List<String> readAll(KafkaConsumer<String, String> consumer, int records) {
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

    private void write(String line) {
        session.write(line);
    }

    private void step(String name, Callable<?> action) {
        session.step(name, action);
    }
}
