package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Transactions over Kafka's protocol, judged by kafka-clients 4.4 (in this JVM) and 3.9 (in a JVM of its own):
 * a transactional producer commits and aborts across three partitions, {@code read_committed} consumers see
 * exactly the committed records and {@code read_uncommitted} ones all, and a second instance of the same
 * {@code transactional.id} fences the first and aborts the transaction it left open. Kafka's
 * {@code kafka-transactions.sh} lists, describes and finds the producers of an open transaction.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TransactionalClientsTest {

    @StartedBroker(FrontEnd.KAFKA)
    static RunningBroker broker;

    /** What either client version must print, after the line naming it. */
    private static final List<String> EXPECTED = List.of(
            "commit: ok",
            "abort: ok",
            "left open: pending at partition 0",
            "read_committed: paid-0,paid-1,paid-2 (ends [4, 4, 4])",
            "read_uncommitted: paid-0,paid-1,paid-2,pending,voided-0,voided-1,voided-2 (ends [5, 4, 4])",
            "second instance: started",
            "first instance: ProducerFencedException",
            "read_committed after fencing: paid-0,paid-1,paid-2 (ends [6, 4, 4])",
            "second instance: committed",
            "read_committed at the end: paid-0,paid-1,paid-2,refund (ends [6, 4, 6])",
            "cooked and committed: 4 records, offsets p0=1 p1=1 p2=5",
            "aborted round: offsets p0=1 p1=1 p2=5");

    /**
     * What a Kafka 4 client prints: it speaks transaction version 2, where the zombie's batch reaches the leader
     * first, whose check answers INVALID_PRODUCER_EPOCH; Apache Kafka answers the same probe the same way.
     */
    private static final List<String> EXPECTED_UNDER_VERSION_2 = EXPECTED.stream().map(line -> line.equals(
            "first instance: ProducerFencedException") ? "first instance: InvalidProducerEpochException" : line).toList();

    @Test
    void kafka_clients_4_4_commit_abort_read_committed_and_fence() throws Exception {
        List<String> lines = TransactionsProbe.runInProcess(broker.bootstrapServers(), "tills-4-4");
        assertEquals("clients 4.4.0", lines.get(0));
        assertEquals(EXPECTED_UNDER_VERSION_2, lines.subList(1, lines.size()), String.join("\n", lines));
    }

    @Test
    void kafka_transactions_lists_describes_and_finds_the_producer_of_an_open_transaction() throws Exception {
        broker.broker().createTopic("menu", 2, Map.of(), OnDuplicate.FAIL);
        Properties config = new Properties();
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("transactional.id", "kitchen-1");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("menu", 1, "special", "soup")).get();

            String listed = KafkaTool.TRANSACTIONS.run(null, "--bootstrap-server", broker.bootstrapServers(), "list")
                    .assertSucceeded().output();
            assertTrue(listed.matches("(?s).*kitchen-1\\s+" + broker.broker().nodeId() + "\\s+\\d+\\s+Ongoing.*"), listed);
            String described = KafkaTool.TRANSACTIONS.run(null, "--bootstrap-server", broker.bootstrapServers(),
                    "describe", "--transactional-id", "kitchen-1").assertSucceeded().output();
            assertTrue(described.matches("(?s).*kitchen-1\\s+\\d+\\s+0\\s+Ongoing\\s+60000\\s+\\d+\\s+\\d+\\s+menu-1.*"),
                    described);
            String producers = KafkaTool.TRANSACTIONS.run(null, "--bootstrap-server", broker.bootstrapServers(),
                    "describe-producers", "--topic", "menu", "--partition", "1").assertSucceeded().output();
            assertTrue(producers.matches("(?s).*CurrentTransactionStartOffset\\s*\\n\\d+\\s+0\\s+0\\s+0\\s+\\d+\\s+0\\s.*"),
                    "one producer, epoch 0, sequence 0, its transaction open since offset 0:\n" + producers);
            producer.commitTransaction();
        }
        String after = KafkaTool.TRANSACTIONS.run(null, "--bootstrap-server", broker.bootstrapServers(), "list")
                .assertSucceeded().output();
        assertTrue(after.contains("CompleteCommit"), after);
    }

    @Test
    void kafka_clients_3_9_commit_abort_read_committed_and_fence() {
        ChildProcess.Result run = ChildJvm.run(ChildJvm.kafkaClients39ClassPath(), TransactionsProbe.class.getName(),
                List.of(broker.bootstrapServers(), "tills-3-9"), null);
        List<String> lines = run.lines();
        assertEquals(0, run.exitCode(), run.describe());
        assertEquals(true, lines.get(0).startsWith("clients 3.9."), run.describe());
        assertEquals(EXPECTED, lines.subList(1, lines.size()), run.describe());
    }
}
