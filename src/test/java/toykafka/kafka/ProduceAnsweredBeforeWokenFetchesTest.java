package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.FetchParams;
import toykafka.broker.FetchPartition;
import toykafka.broker.share.SharePartitions;
import toykafka.broker.share.partition.AcquiredRecords;
import toykafka.broker.share.partition.ShareFetchLimits;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * A Produce is answered before the fetches it wakes complete, as Kafka's handler answers it and only then runs
 * {@code tryCompleteActions()}: a parked share fetch or fetch whose completion is held up (here: its answer's callback
 * blocks, as a share partition's lock or a slow read would) does not hold up the producer. Each completion is still
 * run, once the produce is answered, and hands its consumer the new record.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProduceAnsweredBeforeWokenFetchesTest {

    private static final TopicPartition TICKETS = new TopicPartition("tickets", 0);
    private static final Duration PARKED = Duration.ofSeconds(60);

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    private final CountDownLatch completing = new CountDownLatch(1);
    private final CountDownLatch letItFinish = new CountDownLatch(1);

    @BeforeEach
    void start() {
        broker.broker().createTopic("tickets", 1, Map.of(), OnDuplicate.FAIL);
        broker.broker().groupConfigs().alter("desk", Map.of("share.auto.offset.reset", "earliest"), Set.of(), false,
                false);
    }

    @AfterEach
    void unblock() {
        letItFinish.countDown();
    }

    @Test
    void a_produce_is_answered_while_the_share_fetch_it_woke_is_still_completing() throws Exception {
        CompletableFuture<Map<TopicPartition, SharePartitions.Fetched>> parked = broker.broker().sharePartitions()
                .fetch("desk", "bob", List.of(TICKETS), ShareFetchLimits.defaults(), 1 << 20, PARKED);
        assertFalse(parked.isDone(), "nothing to acquire yet: the share fetch waits");
        CompletableFuture<Map<TopicPartition, SharePartitions.Fetched>> held = parked.whenComplete((got, e) -> hold());

        assertEquals(0, produce("ticket 0").offset(), "answered while the woken share fetch's completion is held");
        assertTrue(completing.await(10, TimeUnit.SECONDS), "the append woke the share fetch");

        letItFinish.countDown();
        List<AcquiredRecords> acquired = held.get(10, TimeUnit.SECONDS).get(TICKETS).acquired();
        assertEquals(List.of(new AcquiredRecords(0, 0, 1)), acquired, "bob acquired the produced record");
    }

    @Test
    void a_produce_is_answered_while_the_fetch_it_woke_is_still_completing() throws Exception {
        var parked = broker.broker().partitions().read(new FetchParams(PARKED, 1, 1 << 20,
                List.of(new FetchPartition(TICKETS, 0, 1 << 20)), false));
        assertFalse(parked.isDone(), "nothing to read yet: the fetch waits");
        var held = parked.whenComplete((got, e) -> hold());

        assertEquals(0, produce("ticket 0").offset(), "answered while the woken fetch's completion is held");
        assertTrue(completing.await(10, TimeUnit.SECONDS), "the append woke the fetch");

        letItFinish.countDown();
        assertEquals(1, held.get(10, TimeUnit.SECONDS).get(TICKETS).batches().batches().size(), "it read the record");
    }

    /** The completion, held until the test lets it finish: on whichever thread completes the parked fetch. */
    private void hold() {
        completing.countDown();
        try {
            letItFinish.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private RecordMetadata produce(String value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        KafkaProducer<String, String> producer = new KafkaProducer<>(props);
        try {
            return producer.send(new ProducerRecord<>("tickets", 0, null, value)).get(10, TimeUnit.SECONDS);
        } finally {
            producer.close(Duration.ZERO); // an unanswered produce must not hold the test up
        }
    }
}
