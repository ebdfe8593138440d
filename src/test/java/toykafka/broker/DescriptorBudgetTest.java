package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.BrokerConfig;
import toykafka.common.Errors;
import toykafka.common.InvalidPartitionsException;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.storage.OpenFiles;

/** The broker keeps within its file descriptors: a create that would not fit is refused, naming the numbers. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DescriptorBudgetTest {

    private static final int PARTITIONS = 8;
    private static final int MAX_CONNECTIONS = 10;
    private static final int OPEN_FILES = 30;

    // brokers started here, not by StartedBroker: the limit counts what the process holds open before a broker starts
    @TempDir
    Path dataDir;

    private Broker start(long limit) {
        return Broker.start(BrokerConfig.of(Map.of()).with(BrokerConfig.STATS_INTERVAL_MS, 0)
                .with(BrokerConfig.DATA_DIR, dataDir).with(BrokerConfig.MAX_CONNECTIONS, MAX_CONNECTIONS)
                .with(BrokerConfig.FILE_DESCRIPTOR_LIMIT, limit).with(BrokerConfig.LOG_OPEN_FILES_MAX, OPEN_FILES));
    }

    @Test
    void a_broker_filled_to_its_descriptor_budget_refuses_the_next_create_cleanly_restarts_and_serves() {
        // room for about 40 partitions beyond what is open now, the internal topics and the connections' reserve
        long limit = DescriptorBudget.openNow() + 2L * MAX_CONNECTIONS + DescriptorBudget.MARGIN + OPEN_FILES + 40;
        List<String> created = new ArrayList<>();
        InvalidPartitionsException refused = null;
        try (Broker broker = start(limit)) {
            for (int i = 0; i < 50 && refused == null; i++) {
                try {
                    created.add(broker.createTopic("t" + i, PARTITIONS, Map.of(), OnDuplicate.FAIL));
                } catch (InvalidPartitionsException e) {
                    refused = e;
                }
            }
            if (refused == null) {
                fail("50 topics of " + PARTITIONS + " partitions fit in a budget of " + limit + " descriptors");
            }
            assertFalse(created.isEmpty(), "the budget had room for some topics: " + refused.getMessage());
            assertEquals(Errors.INVALID_PARTITIONS, refused.error());
            String message = refused.getMessage();
            for (String fact : List.of(PARTITIONS + " new partitions", "each holds 1 file descriptor", "are free",
                    "the limit is " + limit, "max.connections=" + MAX_CONNECTIONS)) {
                assertTrue(message.contains(fact), "the refusal names " + fact + ": " + message);
            }
            String refusedName = "t" + created.size();
            assertFalse(broker.listTopics().contains(refusedName));
            assertFalse(Files.exists(dataDir.resolve(refusedName + "-0")), "a refused create makes nothing");
            produce(broker, created.get(0), "before the restart");
        }
        try (Broker restarted = start(limit)) {
            assertTrue(restarted.listTopics().containsAll(created), restarted.listTopics().toString());
            produce(restarted, created.get(created.size() - 1), "after the restart");
            assertEquals(List.of("before the restart"), read(restarted, created.get(0)));
            assertEquals(List.of("after the restart"), read(restarted, created.get(created.size() - 1)));
        }
    }

    @Test
    void the_process_limit_is_read_from_the_system() {
        DescriptorBudget budget = new DescriptorBudget(0, 1000, 1, OpenFiles.atMost(1000));
        assertTrue(budget.limit() > DescriptorBudget.openNow() && budget.limit() < Long.MAX_VALUE,
                "ulimit -n is known on this system: " + budget);
        assertEquals(2 * 1000 + DescriptorBudget.MARGIN, budget.reserve());
    }

    private static void produce(Broker broker, String topic, String value) {
        Record record = new Record(null, value.getBytes(StandardCharsets.UTF_8), Instant.now(), List.of());
        broker.partitions().appendRecords(topic, List.of(new Partitions.ProduceRecord(0, record)))
                .forEach(answer -> assertTrue(answer.written(), answer.message()));
    }

    private static List<String> read(Broker broker, String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        PartitionData data = broker.partitions().read(FetchParams.of(partition, 0, 1 << 20,
                Duration.ZERO), ByteBuffer.allocate(1 << 20)).join().get(partition);
        return data.records(10).stream().map(r -> new String(r.record().value(), StandardCharsets.UTF_8)).toList();
    }
}
