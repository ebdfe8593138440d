package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.apachekafka.KafkaJars;
import toykafka.apachekafka.KafkaTools;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Transaction version 2 (KIP-890) as Kafka's own software meets it on our broker: Kafka's transactional perf test
 * (a Kafka 4 producer, which reads {@code transaction.version} 2 from ApiVersions) takes a new epoch at every
 * commit, which the partition's producer state and the coordinator both show; a Kafka 3.9 producer, which knows
 * only the classic protocol, keeps one epoch for its whole life on the same broker.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TransactionVersion2Test {

    @StartedBroker(FrontEnd.KAFKA)
    static RunningBroker broker;

    @Test
    void kafkas_transactional_perf_test_takes_a_new_epoch_at_every_commit() throws Exception {
        broker.broker().createTopic("perf", 1, Map.of(), OnDuplicate.FAIL);
        // Every 20 ms a commit: with 400 records, at least two transactions on the slowest machine.
        List<String> command = KafkaTools.command(KafkaTools.named("kafka-producer-perf-test").orElseThrow(),
                KafkaJars.inProject(), List.of("--topic", "perf", "--num-records", "400", "--record-size", "100",
                        "--throughput", "2000", "--transactional-id", "perf-1", "--transaction-duration-ms", "20",
                        "--command-property", "bootstrap.servers=" + broker.bootstrapServers()));
        ChildProcess.run(command, null, Duration.ofMinutes(2)).assertSucceeded();

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            TransactionDescription described = admin.describeTransactions(List.of("perf-1")).description("perf-1").get();
            List<ProducerState> producers = admin.describeProducers(List.of(new TopicPartition("perf", 0))).all().get()
                    .get(new TopicPartition("perf", 0)).activeProducers();
            assertEquals(1, producers.size(), producers.toString());
            ProducerState producer = producers.get(0);
            assertTrue(described.producerEpoch() >= 2, "one epoch for each commit: " + described);
            assertEquals(described.producerEpoch(), producer.producerEpoch(),
                    "the last commit's marker carried the epoch the producer goes on with: " + producer);
            assertEquals(-1, producer.lastSequence(), "the new epoch starts its sequences afresh: " + producer);
            assertTrue(producer.lastTimestamp() > 0, "the marker's timestamp is the producer's last: " + producer);
            assertTrue(described.transactionStartTimeMs().isPresent(), "the last transaction's start is kept");
        }
    }

    @Test
    void a_kafka_3_9_producer_keeps_one_epoch_through_its_transactions() throws Exception {
        broker.broker().createTopic("till", 1, Map.of(), OnDuplicate.FAIL);
        ChildJvm.run(ChildJvm.kafkaClients39ClassPath(), ThreeCommits.class.getName(),
                List.of(broker.bootstrapServers(), "till-3-9"), null).assertSucceeded();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            assertEquals(0, admin.describeTransactions(List.of("till-3-9")).description("till-3-9").get()
                    .producerEpoch(), "the classic protocol: no end moves the epoch");
        }
    }

    /** Three transactions of one producer, run on kafka-clients 3.9: {@code ThreeCommits <bootstrap> <transactional id>}. */
    public static final class ThreeCommits {
        public static void main(String[] args) throws Exception {
            Properties config = new Properties();
            config.put("bootstrap.servers", args[0]);
            config.put("transactional.id", args[1]);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                    new StringSerializer())) {
                producer.initTransactions();
                for (int i = 0; i < 3; i++) {
                    producer.beginTransaction();
                    producer.send(new ProducerRecord<>("till", 0, "sale", "sale-" + i)).get();
                    producer.commitTransaction();
                }
            }
        }
    }
}
