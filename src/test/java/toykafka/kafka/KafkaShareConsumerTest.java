package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;

/**
 * Kafka 4.4's {@code KafkaShareConsumer}, unchanged, reads a share group on this broker: two consumers share 200
 * records of two partitions, each record handed to one of them; what is released comes back with its delivery count
 * raised, what is rejected never comes back, and what is accepted is not delivered again.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaShareConsumerTest {

    private static final int RECORDS = 200;
    /** How long the test waits for any progress at all before it says what it saw. */
    private static final Duration STALL = Duration.ofSeconds(60);

    @Test
    void two_share_consumers_share_200_records_accepting_releasing_and_rejecting_them(@TempDir Path dir)
            throws Exception {
        try (RunningBroker broker = RunningBroker.overKafka(dir, Map.of(), false)) {
            broker.broker().createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
            String bootstrap = broker.bootstrapServers();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, "kitchen"),
                        List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                                AlterConfigOp.OpType.SET)))).all().get();
            }
            produce(bootstrap);

            Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
            Map<String, Integer> highestDelivery = new ConcurrentHashMap<>();
            List<String> rejectedSeenAgain = new CopyOnWriteArrayList<>();
            Set<String> rejected = ConcurrentHashMap.newKeySet();
            Map<String, Set<String>> byConsumer = new ConcurrentHashMap<>();
            int expectedAccepted = (int) java.util.stream.IntStream.range(0, RECORDS).filter(i -> i % 10 != 7).count();
            AtomicInteger progress = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            for (String name : List.of("cook-1", "cook-2")) {
                Thread thread = new Thread(() -> {
                    try (KafkaShareConsumer<String, String> consumer = consumer(bootstrap, name)) {
                        consumer.subscribe(List.of("orders"));
                        while (acceptedCount(accepted) < expectedAccepted) {
                            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                                String order = record.value();
                                int delivery = record.deliveryCount().orElse((short) 0);
                                highestDelivery.merge(order, delivery, Math::max);
                                byConsumer.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet()).add(order);
                                if (rejected.contains(order)) {
                                    rejectedSeenAgain.add(order);
                                }
                                int number = Integer.parseInt(order.substring("order-".length()));
                                if (number % 10 == 7) {
                                    rejected.add(order);
                                    consumer.acknowledge(record, AcknowledgeType.REJECT);
                                } else if (number % 10 == 3 && delivery == 1) {
                                    consumer.acknowledge(record, AcknowledgeType.RELEASE);
                                } else {
                                    accepted.computeIfAbsent(order, k -> new AtomicInteger()).incrementAndGet();
                                    consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                                }
                                progress.incrementAndGet();
                            }
                            consumer.commitSync();
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, name);
                thread.start();
                threads.add(thread);
            }
            int seen = -1;
            long lastProgress = System.nanoTime();
            while (threads.stream().anyMatch(Thread::isAlive)) {
                Thread.sleep(100);
                if (progress.get() != seen) {
                    seen = progress.get();
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    threads.forEach(Thread::interrupt);
                    fail("no record delivered for " + STALL.toSeconds() + " s; accepted " + acceptedCount(accepted)
                            + " of " + expectedAccepted + "\n" + broker.log());
                }
            }
            assertEquals(List.of(), failures);
            assertEquals(expectedAccepted, accepted.size(), "every record not rejected is accepted");
            assertTrue(accepted.values().stream().allMatch(count -> count.get() == 1),
                    "no accepted record is delivered again: " + accepted);
            assertEquals(List.of(), rejectedSeenAgain, "a rejected record never comes back");
            assertEquals(20, rejected.size());
            Map<String, Integer> released = new TreeMap<>();
            highestDelivery.forEach((order, delivery) -> {
                if (Integer.parseInt(order.substring("order-".length())) % 10 == 3) {
                    released.put(order, delivery);
                }
            });
            assertEquals(20, released.size());
            assertTrue(released.values().stream().allMatch(delivery -> delivery >= 2),
                    "a released record is delivered again, its count raised: " + released);
            Set<String> both = new TreeSet<>();
            byConsumer.values().forEach(both::addAll);
            assertEquals(RECORDS, both.size(), "the two consumers between them saw every record");

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                ShareGroupDescription group = admin.describeShareGroups(List.of("kitchen")).all().get().get("kitchen");
                assertEquals("kitchen", group.groupId());
            }
        }
    }

    @Test
    void in_implicit_mode_a_poll_accepts_what_the_last_one_gave_and_a_consumer_group_beside_reads_it_all_too(
            @TempDir Path dir) throws Exception {
        try (RunningBroker broker = RunningBroker.overKafka(dir, Map.of(), false)) {
            broker.broker().createTopic("menu", 1, Map.of(), OnDuplicate.FAIL);
            broker.broker().groupConfigs().alter("waiters", Map.of("share.auto.offset.reset", "earliest"), Set.of(),
                    false, false);
            String bootstrap = broker.bootstrapServers();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 50; i++) {
                    producer.send(new ProducerRecord<>("menu", 0, null, "dish-" + i));
                }
                producer.flush();
            }
            List<String> shared = new ArrayList<>();
            try (KafkaShareConsumer<String, String> waiter = new KafkaShareConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "waiters"),
                    new StringDeserializer(), new StringDeserializer())) {
                waiter.subscribe(List.of("menu"));
                long stalled = System.nanoTime() + STALL.toNanos();
                while (shared.size() < 50 && System.nanoTime() < stalled) {
                    waiter.poll(Duration.ofMillis(200)).forEach(record -> shared.add(record.value()));
                }
                waiter.commitSync(); // implicit mode: everything the last poll gave is accepted
            }
            assertEquals(50, shared.size(), "the share consumer was given every dish: " + shared);
            assertEquals(50, new TreeSet<>(shared).size(), "each once");
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                var offsets = admin.listShareGroupOffsets(Map.of("waiters",
                        new org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec())).all().get().get("waiters");
                var menu0 = offsets.get(new org.apache.kafka.common.TopicPartition("menu", 0));
                assertEquals(50, menu0.startOffset(), "every dish accepted: the share partition starts past them all");
                assertEquals(0, menu0.lag().orElse(-1L));
            }

            List<String> grouped = new ArrayList<>();
            try (org.apache.kafka.clients.consumer.KafkaConsumer<String, String> cook =
                         new org.apache.kafka.clients.consumer.KafkaConsumer<>(Map.of(
                                 ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG,
                                 "kitchen", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                                 new StringDeserializer(), new StringDeserializer())) {
                cook.subscribe(List.of("menu"));
                long stalled = System.nanoTime() + STALL.toNanos();
                while (grouped.size() < 50 && System.nanoTime() < stalled) {
                    cook.poll(Duration.ofMillis(200)).forEach(record -> grouped.add(record.value()));
                }
            }
            assertEquals(shared, grouped, "a consumer group on the same topic reads it all, on its own, in order");
        }
    }

    private static int acceptedCount(Map<String, AtomicInteger> accepted) {
        return accepted.size();
    }

    private static void produce(String bootstrap) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>("orders", i % 2, null, "order-" + i));
            }
            producer.flush();
        }
    }

    private static KafkaShareConsumer<String, String> consumer(String bootstrap, String clientId) {
        return new KafkaShareConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "kitchen", ConsumerConfig.CLIENT_ID_CONFIG, clientId,
                "share.acknowledgement.mode", "explicit"), new StringDeserializer(), new StringDeserializer());
    }
}
