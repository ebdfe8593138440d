package toykafka.lesson13;

import static toykafka.lesson13.KafkaDemos.OPENING;
import static toykafka.lesson13.KafkaDemos.PATIENCE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import toykafka.broker.config.BrokerConfig;
import toykafka.common.Errors;
import toykafka.common.Record;
import toykafka.lesson10.DemoBroker;
import toykafka.lesson13.HandBuiltRequests.ProduceAnswer;
import toykafka.lesson13.HandBuiltRequests.ProducerId;
import toykafka.narration.Narrator;
import toykafka.narration.Telling;

/**
 * Lesson 13, narrated: the fish-and-chips shop's tills are now Kafka's own {@code KafkaProducer}, and the
 * kitchen Kafka's own {@code KafkaConsumer}, talking to the broker's Kafka port. Then a till's batch is sent
 * twice, as a producer does when an answer is lost, and the broker answers the copy with the first offset.
 */
public final class Lesson13Demo {

    private static final Path DATA = Path.of("data", "generated", "13-speaking-kafka");
    private static final String[] ORDERS = {"cod and chips", "haddock and mushy peas", "plaice and chips",
            "pie and curry sauce", "scampi and chips", "cod and chips"};
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);

    private Lesson13Demo() {
    }

    /** On the course's broker, started here; or, given a bootstrap address, on that cluster. */
    public static void main(String[] args) {
        KafkaDemos.main(args, Lesson13Demo::narrate, Lesson13Demo::narrateOn);
    }

    public static void narrate(Narrator story) {
        Telling.run(13, DATA, () -> tell(story));
    }

    /**
     * The same programs against another Kafka cluster, Apache Kafka's own for one: they are given its
     * {@code bootstrap.servers} and nothing else. The topic orders must not exist there yet.
     */
    public static void narrateOn(Narrator story, String bootstrap) {
        Telling.run(13, DATA, () -> {
            story.title("Lesson 13: speaking Kafka, on another cluster");
            story.say("The same programs as on the course's broker, given the address of another cluster: "
                    + bootstrap + ".");
            service(story, bootstrap);
        });
    }

    private static void tell(Narrator story)
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        story.title("Lesson 13: speaking Kafka");
        try (DemoBroker shop = DemoBroker.speakingKafka(DATA, Map.of(BrokerConfig.FLUSH_MESSAGES, "1"))) {
            story.say("The broker of lesson 10 now also listens for Kafka's binary protocol. Every program below is"
                    + " Kafka's own client library, kafka-clients, given bootstrap.servers and nothing else.");
            service(story, shop.bootstrapServers());
        }
    }

    /** The shop, through nothing but Kafka's protocol: it runs alike on any broker that speaks it. */
    private static void service(Narrator story, String bootstrap)
            throws InterruptedException, ExecutionException, TimeoutException {
        createOrders(bootstrap);
        story.say("An Admin client made the topic orders with three partitions (CreateTopics, key 19), and with"
                + " retention.ms=-1: the tills stamp their orders with the shop's opening time, years ago, and"
                + " retention judges a record's age by its timestamp, so at the default of seven days the broker's"
                + " next retention check would delete orders before the kitchen read them.");

        story.predict("each till is a KafkaProducer keyed by its till. Which partition does each till's"
                + " orders go to, and do a till's orders keep their order?");
        try (KafkaProducer<String, String> tills = producer(bootstrap)) {
            for (int order = 0; order < ORDERS.length; order++) {
                String till = "till-" + (order % 3 + 1);
                RecordMetadata sent = tills.send(new ProducerRecord<>("orders", null, OPENING + order, till,
                        ORDERS[order])).get(); // acks=all: answered once the record is safe
                story.show(till + " sends " + ORDERS[order], "orders-" + sent.partition() + " offset " + sent.offset());
            }
        }
        story.say("The producer picked each partition with murmur2 of the key, as lesson 4 did, encoded each"
                + " partition's records as a record batch, and the broker wrote the batch's bytes as they came.");

        story.say("The kitchen is a KafkaConsumer that assigns itself every partition: no group, so no"
                + " rebalances and no commits (groups over Kafka's protocol are the next lesson).");
        story.show("the kitchen reads", kitchen(bootstrap));

        retry(story, bootstrap);
    }

    private static void createOrders(String bootstrap)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = KafkaDemos.admin(bootstrap)) {
            KafkaDemos.createKeptForever(admin, bootstrap, List.of("orders"), 3, PATIENCE,
                    "the topic (kafka-topics.sh --delete --topic orders)");
        }
    }

    /**
     * Asks for a producer id, and asks again while the broker answers with a retriable error, as a producer does:
     * a broker of a cluster just started may still be loading its transaction coordinator.
     */
    private static ProducerId producerId(KafkaSocket till) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (int correlationId = 1; ; correlationId++) {
            HandBuiltRequests.ProducerIdAnswer answer = HandBuiltRequests.producerId(till.exchange(
                    HandBuiltRequests.initProducerId(correlationId, "till-4")));
            if (answer.error() == Errors.NONE) {
                return answer.id();
            }
            if (!answer.error().retriable() || System.nanoTime() > deadline) {
                throw new IllegalStateException("InitProducerId was answered " + answer.error() + ", "
                        + correlationId + " times");
            }
            Thread.sleep(100);
        }
    }

    /** The host and port of the broker that leads a partition, as the cluster's metadata has it now. */
    private static String leaderOf(Admin admin, TopicPartition partition) throws InterruptedException,
            ExecutionException {
        Node leader = admin.describeTopics(List.of(partition.topic())).allTopicNames().get().get(partition.topic())
                .partitions().get(partition.partition()).leader();
        return leader.host() + ":" + leader.port();
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "tills");
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
    }

    /** Every order in the three partitions, read from the start, as "key: value (partition@offset)". */
    private static List<String> kitchen(String bootstrap) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "kitchen");
        try (KafkaConsumer<String, String> kitchen = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1),
                    new TopicPartition("orders", 2));
            kitchen.assign(partitions);
            kitchen.seekToBeginning(partitions);
            TreeMap<String, String> read = new TreeMap<>();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (read.size() < ORDERS.length && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : kitchen.poll(Duration.ofMillis(200))) {
                    read.put(record.partition() + "@" + record.offset(),
                            record.key() + ": " + record.value() + " (orders-" + record.partition() + "@" + record.offset() + ")");
                }
            }
            return new ArrayList<>(read.values());
        }
    }

    /**
     * An idempotent producer's batch sent twice, as it is when the first answer is lost on the way back,
     * then a batch that skips a sequence number. Written by hand, since a KafkaProducer only retries when
     * the network really fails.
     */
    private static void retry(Narrator story, String bootstrap) throws InterruptedException, ExecutionException {
        story.say("Now one till's batch, written by hand as an idempotent producer writes it. First the till asks"
                + " for a producer id (InitProducerId, key 22); each batch then carries that id, an epoch and a"
                + " sequence number counted per partition. It talks to the broker that leads orders-0, as a"
                + " producer does: the one Metadata names.");
        try (Admin admin = KafkaDemos.admin(bootstrap);
             KafkaSocket till = KafkaSocket.connect(leaderOf(admin, ORDERS_0))) {
            ProducerId id = producerId(till);
            story.show("producer id and epoch", id);
            ByteBuffer batch = tillFourOrder("cod and chips", OPENING + 100, id, 0);
            ProduceAnswer first = produceToOrders0(till, 2, batch);
            story.show("sequence 0, first send", first);
            story.predict("the answer to that produce is lost on its way back, so the producer sends the very same"
                    + " batch again. What does the broker answer, and how many records does orders-0 gain?");
            ProduceAnswer retried = produceToOrders0(till, 3, batch);
            story.show("sequence 0, sent again", retried);
            story.show("orders-0 now ends at offset", admin.listOffsets(Map.of(ORDERS_0, OffsetSpec.latest()))
                    .partitionResult(ORDERS_0).get().offset());
            story.say("The broker remembers each producer's last five batches per partition, so it knew the copy"
                    + " and answered with the offset the batch already has. Nothing was written twice.");

            ByteBuffer gap = tillFourOrder("pie and curry sauce", OPENING + 101, id, 2);
            ProduceAnswer refused = produceToOrders0(till, 4, gap);
            story.show("sequence 2, with 1 never sent", refused);
            story.say("A batch that skips a sequence means one in between was lost, so the broker refuses it rather"
                    + " than write the orders out of order. KafkaProducer never sends such a batch by itself.");
        }
    }

    /** Till 4's order of one dish, as its idempotent producer's batch with this sequence number. */
    private static ByteBuffer tillFourOrder(String dish, long atMs, ProducerId id, int sequence) {
        return HandBuiltRequests.idempotentBatch(List.of(Record.of("till-4", dish, Instant.ofEpochMilli(atMs))), id,
                sequence);
    }

    /** Till 4's hand-built Produce of {@code batch} to orders-0, and the broker's answer. */
    private static ProduceAnswer produceToOrders0(KafkaSocket till, int correlationId, ByteBuffer batch) {
        return HandBuiltRequests.produceAnswer(till.exchange(HandBuiltRequests.produce(correlationId, "till-4", "orders",
                0, batch)));
    }
}
