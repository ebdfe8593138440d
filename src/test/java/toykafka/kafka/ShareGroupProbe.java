package toykafka.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeShareGroupsOptions;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.admin.ShareMemberDescription;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Kafka 4.4's {@code KafkaShareConsumer} and share-group Admin calls (KIP-932): two consumers share 200 records,
 * accepting, releasing and rejecting them; the group described while both are in it; its start offsets once both
 * left, altered (refused while a member is in), deleted, and the group deleted; then a share group and a consumer
 * group reading one topic side by side. Only what Kafka makes certain is written: counts, not which consumer got
 * which record.
 */
final class ShareGroupProbe {

    private static final String TOPIC = "share-orders";
    private static final String GROUP = "share-kitchen";
    private static final int RECORDS = 200;
    private static final String SIDE_TOPIC = "share-and-classic";
    private static final int SIDE_RECORDS = 10;
    private static final Duration WAIT = ProbeSession.WAIT;

    private final ProbeSession session;

    private ShareGroupProbe(ProbeSession session) {
        this.session = session;
    }

    static void run(ProbeSession session) throws Exception {
        ShareGroupProbe probe = new ShareGroupProbe(session);
        session.createTopic(TOPIC, 2, Map.of());
        probe.readFromEarliest(GROUP);
        probe.produce(TOPIC, RECORDS, 2);
        try (Admin admin = session.admin()) {
            probe.shareTogether(admin);
            probe.offsetsOnceSettled(admin);
            probe.alterWhileAMemberIsIn(admin);
            probe.deleteOffsetsAndGroup(admin);
        }
        probe.besideAConsumerGroup();
    }

    /** {@code share.auto.offset.reset=earliest}: a share group otherwise starts at the log's end. */
    private void readFromEarliest(String group) {
        try (Admin admin = session.admin()) {
            session.step("share.auto.offset.reset=earliest for " + group, () -> admin.incrementalAlterConfigs(
                    Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), List.of(new AlterConfigOp(
                            new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET))))
                    .all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    private void produce(String topic, int records, int partitions) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(session.producerSettings())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, null, "order-" + i));
            }
            producer.flush();
        }
    }

    /** What the two consumers did with the records, gathered from both threads. */
    private static final class Tally {
        final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
        final Set<String> rejected = ConcurrentHashMap.newKeySet();
        final List<String> rejectedSeenAgain = new CopyOnWriteArrayList<>();
        final Map<String, Integer> highestDelivery = new ConcurrentHashMap<>();
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
    }

    /**
     * Two consumers read until every record not rejected is accepted: number % 10 == 3 is released on its first
     * delivery, % 10 == 7 rejected, the rest accepted. The group is described while both are still in it.
     */
    private void shareTogether(Admin admin) throws Exception {
        Tally tally = new Tally();
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (String name : List.of("share-cook-1", "share-cook-2")) {
            Thread thread = new Thread(() -> consume(name, tally, done), name);
            thread.start();
            threads.add(thread);
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (tally.accepted.size() < RECORDS - RECORDS / 10 && tally.failures.isEmpty()
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        ShareGroupDescription group = awaitGroup(admin, "both consumers assigned", described ->
                described.members().size() == 2 && described.groupState() == GroupState.STABLE
                        && described.members().stream().noneMatch(m -> m.assignment().topicPartitions().isEmpty()));
        writeMembers("both consuming", group);
        session.write("a caller may " + ProbeSession.operations(admin.describeShareGroups(List.of(GROUP),
                new DescribeShareGroupsOptions().includeAuthorizedOperations(true)).all()
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS).get(GROUP).authorizedOperations()) + " with the share group");
        done.set(true);
        for (Thread thread : threads) {
            thread.join(WAIT.toMillis());
        }
        session.write("consumers failed: " + tally.failures.stream().map(e -> e.getClass().getSimpleName()).toList());
        session.write("accepted " + tally.accepted.size() + ", accepted twice "
                + tally.accepted.values().stream().filter(count -> count.get() > 1).count());
        session.write("rejected " + tally.rejected.size() + ", seen again after rejection "
                + tally.rejectedSeenAgain.size());
        long released = tally.highestDelivery.entrySet().stream()
                .filter(entry -> number(entry.getKey()) % 10 == 3).count();
        long redelivered = tally.highestDelivery.entrySet().stream()
                .filter(entry -> number(entry.getKey()) % 10 == 3 && entry.getValue() >= 2).count();
        session.write("released " + released + ", delivered again with a delivery count of 2 or more " + redelivered);
        session.write("the two consumers between them saw " + tally.seen.size() + " of " + RECORDS);
    }

    private void consume(String clientId, Tally tally, AtomicBoolean done) {
        try (KafkaShareConsumer<String, String> consumer = shareConsumer(GROUP, clientId)) {
            consumer.subscribe(List.of(TOPIC));
            while (!done.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    String order = record.value();
                    int delivery = record.deliveryCount().orElse((short) 0);
                    tally.highestDelivery.merge(order, delivery, Math::max);
                    tally.seen.add(order);
                    if (tally.rejected.contains(order)) {
                        tally.rejectedSeenAgain.add(order);
                    }
                    int number = number(order);
                    if (number % 10 == 7) {
                        tally.rejected.add(order);
                        consumer.acknowledge(record, AcknowledgeType.REJECT);
                    } else if (number % 10 == 3 && delivery == 1) {
                        consumer.acknowledge(record, AcknowledgeType.RELEASE);
                    } else {
                        tally.accepted.computeIfAbsent(order, k -> new AtomicInteger()).incrementAndGet();
                        consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                    }
                }
                consumer.commitSync();
            }
        } catch (Throwable e) {
            tally.failures.add(e);
        }
    }

    private static int number(String order) {
        return Integer.parseInt(order.substring("order-".length()));
    }

    private KafkaShareConsumer<String, String> shareConsumer(String group, String clientId) {
        return new KafkaShareConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, session.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                "share.acknowledgement.mode", "explicit"), new StringDeserializer(), new StringDeserializer());
    }

    /** How many members, how many partitions each has (sorted), and whether together they cover the topic. */
    private void writeMembers(String when, ShareGroupDescription group) {
        List<Integer> perMember = new ArrayList<>();
        Set<String> union = new TreeSet<>();
        for (ShareMemberDescription member : group.members()) {
            perMember.add(member.assignment().topicPartitions().size());
            member.assignment().topicPartitions().forEach(partition -> union.add(partition.toString()));
        }
        perMember.sort(Comparator.naturalOrder());
        session.write(when + ": state " + group.groupState() + ", " + group.members().size()
                + " members, partitions per member " + perMember + ", together " + union);
    }

    private ShareGroupDescription awaitGroup(Admin admin, String what, Predicate<ShareGroupDescription> wanted)
            throws Exception {
        return ProbeSession.awaitGroup(what, () -> admin.describeShareGroups(List.of(GROUP)).all()
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS).get(GROUP), wanted);
    }

    /**
     * Once both left, every record is settled: no lag. The start offsets are not written: Kafka stores each one as it
     * stood before the acknowledgement being written moved it, so they depend on how the acknowledgements fell.
     */
    private void offsetsOnceSettled(Admin admin) throws Exception {
        ShareGroupDescription empty = awaitGroup(admin, "both consumers left", group -> group.members().isEmpty());
        session.write("both closed: state " + empty.groupState());
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, String> lags = lags(admin);
        while (!lags.values().stream().allMatch("0"::equals) && System.nanoTime() < deadline) {
            Thread.sleep(200); // the last acknowledgements are still being written
            lags = lags(admin);
        }
        session.write("lag once every record is settled " + lags);
    }

    private Map<String, String> lags(Admin admin) throws Exception {
        Map<String, String> lags = new TreeMap<>();
        offsets(admin).forEach((partition, info) -> lags.put(partition, info == null ? "none"
                : info.lag().map(String::valueOf).orElse("unknown")));
        return lags;
    }

    private Map<String, String> listOffsets(Admin admin) throws Exception {
        Map<String, String> offsets = new TreeMap<>();
        offsets(admin).forEach((partition, info) -> offsets.put(partition, info == null ? "none"
                : "start " + info.startOffset() + ", lag " + info.lag().map(String::valueOf).orElse("unknown")));
        return offsets;
    }

    private Map<String, SharePartitionOffsetInfo> offsets(Admin admin) throws Exception {
        List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
        Map<TopicPartition, SharePartitionOffsetInfo> listed = admin.listShareGroupOffsets(Map.of(GROUP,
                        new ListShareGroupOffsetsSpec().topicPartitions(partitions)))
                .partitionsToOffsetInfo(GROUP).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        Map<String, SharePartitionOffsetInfo> offsets = new TreeMap<>();
        listed.forEach((partition, info) -> offsets.put(partition.toString(), info));
        return offsets;
    }

    /** Refused while a consumer is in the group; once it left, the group starts where it is told. */
    private void alterWhileAMemberIsIn(Admin admin) throws Exception {
        Map<TopicPartition, Long> toStart = Map.of(new TopicPartition(TOPIC, 0), 0L, new TopicPartition(TOPIC, 1),
                40L);
        try (KafkaShareConsumer<String, String> member = shareConsumer(GROUP, "share-cook-3")) {
            member.subscribe(List.of(TOPIC));
            AtomicBoolean joined = new AtomicBoolean();
            Thread polling = new Thread(() -> {
                while (!joined.get()) {
                    member.poll(Duration.ofMillis(100)); // nothing is left to deliver: it only keeps the member in
                }
            });
            polling.start();
            try {
                awaitGroup(admin, "a third consumer joined", group -> group.members().size() == 1);
                session.step("alter the start offsets while a consumer is in the group", () -> admin
                        .alterShareGroupOffsets(GROUP, toStart).all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            } finally {
                joined.set(true);
                polling.join(WAIT.toMillis());
            }
        }
        awaitGroup(admin, "the third consumer left", group -> group.members().isEmpty());
        session.step("alter them once it left", () -> admin.alterShareGroupOffsets(GROUP, toStart).all()
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        session.write("start offsets after the alter " + listOffsets(admin));
    }

    private void deleteOffsetsAndGroup(Admin admin) throws Exception {
        session.write("share groups listed " + shareGroups(admin));
        session.step("delete the group's offsets of " + TOPIC, () -> admin.deleteShareGroupOffsets(GROUP,
                Set.of(TOPIC)).all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        session.write("start offsets after the delete " + listOffsets(admin));
        session.step("delete the share group", () -> admin.deleteShareGroups(List.of(GROUP)).all()
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        session.step("describe it after", () -> admin.describeShareGroups(List.of(GROUP)).all()
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        session.write("share groups listed after the delete " + shareGroups(admin));
    }

    /** The share groups this probe made, with their states, as ListGroups filtered to type share gives them. */
    private static Map<String, String> shareGroups(Admin admin) throws Exception {
        Map<String, String> groups = new TreeMap<>();
        for (GroupListing listing : admin.listGroups(ListGroupsOptions.forShareGroups()).all()
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            if (listing.groupId().startsWith("share-")) {
                groups.put(listing.groupId(), listing.type().map(String::valueOf).orElse("?") + " "
                        + listing.groupState().map(String::valueOf).orElse("?"));
            }
        }
        return groups;
    }

    /** A share group and a consumer group read the same records, neither taking them from the other. */
    private void besideAConsumerGroup() throws Exception {
        session.createTopic(SIDE_TOPIC, 1, Map.of());
        readFromEarliest("share-side");
        produce(SIDE_TOPIC, SIDE_RECORDS, 1);
        Set<String> shared = new TreeSet<>();
        try (KafkaShareConsumer<String, String> consumer = shareConsumer("share-side", "share-side-1")) {
            consumer.subscribe(List.of(SIDE_TOPIC));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (shared.size() < SIDE_RECORDS && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    shared.add(record.value());
                    consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                }
                consumer.commitSync();
            }
        }
        session.write("the share group read " + shared.size() + " of " + SIDE_RECORDS);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(session.consumerSettings("classic-side",
                "earliest"))) {
            consumer.subscribe(List.of(SIDE_TOPIC));
            List<String> read = DifferentialProbe.readAll(consumer, SIDE_RECORDS);
            session.write("the consumer group read " + read.size() + " of " + SIDE_RECORDS + " after it");
        }
    }
}
