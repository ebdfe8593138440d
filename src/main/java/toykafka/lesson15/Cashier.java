package toykafka.lesson15;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The shop's cashier: a consume-transform-produce loop in Kafka's own clients. It reads the meals the tills sold
 * (a consumer of a group), writes one bill for each (a producer) and says how far it has read (the group's
 * committed offsets). With a {@code transactional.id} the bills and the offsets go in one transaction.
 */
// tag::cashier[]
final class Cashier implements AutoCloseable {

    final String name;
    private final KafkaConsumer<String, String> meals;
    final KafkaProducer<String, String> bills;
    private final String billsTopic;
    private final Duration patience;
    private boolean crashed;

    /** @param transactionalId the producer's transactional.id, or null for a plain (idempotent) producer */
    Cashier(String bootstrap, String name, String group, String mealsTopic, String billsTopic, String transactionalId,
            Duration patience) {
        this.name = name;
        this.billsTopic = billsTopic;
        this.patience = patience;
        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"); // the cashier says when
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        meals = new KafkaConsumer<>(consumer, new StringDeserializer(), new StringDeserializer());
        meals.subscribe(List.of(mealsTopic));
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, name);
        if (transactionalId != null) {
            producer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        bills = new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer());
        if (transactionalId != null) {
            bills.initTransactions(); // InitProducerId: fences any older cashier with this id
        }
    }

    /** Polls until it holds {@code count} meals, from wherever its group's committed offsets put it. */
    List<ConsumerRecord<String, String>> takeMeals(int count) {
        List<ConsumerRecord<String, String>> taken = new ArrayList<>();
        long deadline = System.nanoTime() + patience.toNanos();
        while (taken.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " took " + taken.size() + " meals of " + count + " in "
                        + patience.toSeconds() + " s");
            }
            meals.poll(Duration.ofMillis(100)).forEach(taken::add);
        }
        return taken;
    }

    /** One bill for each meal, sent and acknowledged. */
    void bill(List<ConsumerRecord<String, String>> taken) {
        for (ConsumerRecord<String, String> meal : taken) {
            bills.send(new ProducerRecord<>(billsTopic, meal.partition(), meal.key(), "bill for " + meal.value()));
        }
        bills.flush();
    }

    /** Where the group should read next after these meals: one past the last of each partition. */
    static Map<TopicPartition, OffsetAndMetadata> after(List<ConsumerRecord<String, String>> taken) {
        Map<TopicPartition, OffsetAndMetadata> next = new TreeMap<>(
                java.util.Comparator.comparing(TopicPartition::toString));
        for (ConsumerRecord<String, String> meal : taken) {
            next.merge(new TopicPartition(meal.topic(), meal.partition()), new OffsetAndMetadata(meal.offset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        return next;
    }

    /** At least once: the bills first, then the offsets, two writes that a crash can come between. */
    void commitOffsets(List<ConsumerRecord<String, String>> taken) {
        meals.commitSync(after(taken));
    }

    /** Exactly once: the bills and the offsets in one transaction, which commits or aborts whole. */
    void billInOneTransaction(List<ConsumerRecord<String, String>> taken, boolean commit) {
        bills.beginTransaction();
        bill(taken);
        bills.sendOffsetsToTransaction(after(taken), meals.groupMetadata());
        if (commit) {
            bills.commitTransaction(); // EndTxn: the coordinator writes COMMIT markers
        }
    }
    // end::cashier[]

    /**
     * The cashier's process dies: its producer stops at once, with no EndTxn, so a transaction it had open stays
     * open at the coordinator. Its consumer still says goodbye (LeaveGroup), so the next cashier of the group is
     * not kept waiting for its session to run out; it commits nothing.
     */
    void crash() {
        crashed = true;
        bills.close(Duration.ZERO);
        meals.close(patience);
    }

    @Override
    public void close() {
        if (!crashed) {
            bills.close(patience);
            meals.close(patience);
        }
    }
}
