package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Kafka's own clients get back the leader epoch they commit with an offset, as from Kafka: by OffsetCommit and by
 * TxnOffsetCommit, and after the broker restarts and replays {@code __consumer_offsets}. A consumer uses the epoch
 * to find out whether the log was truncated under its position.
 */
class CommittedLeaderEpochTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @Test
    void a_committed_leader_epoch_and_metadata_come_back_and_outlive_a_restart() {
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        try (KafkaConsumer<String, String> consumer = consumer("kitchen")) {
            consumer.assign(Set.of(ORDERS_0));
            consumer.commitSync(Map.of(ORDERS_0, new OffsetAndMetadata(5, Optional.of(0), "m")), WAIT);
            assertEquals(new OffsetAndMetadata(5, Optional.of(0), "m"), committed(consumer),
                    "the epoch committed, not -1");
            consumer.commitSync(Map.of(ORDERS_0, new OffsetAndMetadata(6, "no epoch")), WAIT);
            assertEquals(Optional.empty(), committed(consumer).leaderEpoch(), "a commit with no epoch has none");
            consumer.commitSync(Map.of(ORDERS_0, new OffsetAndMetadata(7, Optional.of(0), "again")), WAIT);
        }
        broker.restart();
        try (KafkaConsumer<String, String> consumer = consumer("kitchen")) {
            assertEquals(new OffsetAndMetadata(7, Optional.of(0), "again"), committed(consumer),
                    "replayed from __consumer_offsets with its epoch");
        }
    }

    @Test
    void an_epoch_committed_inside_a_transaction_comes_back_once_it_commits_and_after_a_restart() {
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        try (KafkaProducer<String, String> producer = transactionalProducer("till")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.sendOffsetsToTransaction(Map.of(ORDERS_0, new OffsetAndMetadata(9, Optional.of(0), "t")),
                    new ConsumerGroupMetadata("cashiers"));
            producer.commitTransaction();
        }
        try (KafkaConsumer<String, String> consumer = consumer("cashiers")) {
            assertEquals(new OffsetAndMetadata(9, Optional.of(0), "t"), committed(consumer));
        }
        broker.restart();
        try (KafkaConsumer<String, String> consumer = consumer("cashiers")) {
            assertEquals(new OffsetAndMetadata(9, Optional.of(0), "t"), committed(consumer),
                    "the transaction's commit replayed with its epoch");
        }
    }

    private static OffsetAndMetadata committed(KafkaConsumer<String, String> consumer) {
        return consumer.committed(Set.of(ORDERS_0), WAIT).get(ORDERS_0);
    }

    private KafkaConsumer<String, String> consumer(String group) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer());
    }

    private KafkaProducer<String, String> transactionalProducer(String transactionalId) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId),
                new StringSerializer(), new StringSerializer());
    }
}
