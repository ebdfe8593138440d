package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * A hanging transaction, and Kafka's own tool ending it: a transaction is left open in a partition, and the
 * coordinator's log is lost while the broker is down, so no coordinator will ever end it and the partition's last
 * stable offset stays where it began. {@code kafka-transactions.sh find-hanging} finds it, and {@code abort} ends it
 * with an ABORT marker (WriteTxnMarkers), after which {@code read_committed} readers go on.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HangingTransactionTest {

    private static final TopicPartition TILLS_0 = new TopicPartition("tills", 0);

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker running;

    @Test
    void kafka_transactions_finds_a_transaction_no_coordinator_knows_and_aborts_it() throws Exception {
        running.broker().createTopic("tills", 1, Map.of(), OnDuplicate.FAIL);
        Properties config = new Properties();
        config.put("bootstrap.servers", running.bootstrapServers());
        config.put("transactional.id", "forgotten");
        // sent an hour ago, as far as the record says: find-hanging looks only at transactions open longer than the
        // longest transaction timeout (15 minutes)
        long anHourAgo = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("tills", 0, anHourAgo, "till-1", "cod and chips")).get();
            producer.close(Duration.ZERO); // gone, its transaction open
        }
        running.close();
        deleteTree(running.dataDir().resolve("__transaction_state-0"));
        running.restart();
        assertEquals(0, stable(), "the partition found its open transaction in its log again");
        assertEquals(0, running.broker().transactionCoordinator().transactions().size(), "no coordinator knows it");

        String hanging = KafkaTool.TRANSACTIONS.run(null, "--bootstrap-server", running.bootstrapServers(),
                "find-hanging", "--broker-id", String.valueOf(running.broker().nodeId())).assertSucceeded().output();
        assertTrue(hanging.matches("(?s).*tills\\s+0\\s+\\d+\\s+0\\s+0\\s+0\\s.*"),
                "tills-0, its producer at epoch 0, coordinator epoch 0, starting at offset 0:\n" + hanging);

        KafkaTool.TRANSACTIONS.run(null, "--bootstrap-server", running.bootstrapServers(), "abort", "--topic",
                "tills", "--partition", "0", "--start-offset", "0").assertSucceeded();
        assertEquals(2, stable(), "the ABORT marker at offset 1 ends it: read_committed readers go on");
        assertTrue(running.broker().partitions().activeProducers(TILLS_0).stream()
                .allMatch(producer -> producer.transactionStartOffset() < 0), "no transaction is open in tills-0");
    }

    private long stable() {
        return running.broker().partitions().listOffsets(TILLS_0, -1, true).offset();
    }

    private static void deleteTree(Path folder) throws IOException {
        assertTrue(Files.isDirectory(folder), folder + " is where the broker keeps the coordinator's log");
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
