package toykafka.restproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.common.OffsetReset;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.StartedBroker;

/**
 * Many REST clients of one group at once, with the broker's schedule and an admin describing the group
 * meanwhile: every rebalance completes, nothing deadlocks, and in the end each partition has one owner.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsumerInstancesConcurrencyTest extends InstancesPerTest {

    private static final String GROUP = "kitchen";
    private static final int PARTITIONS = 6;
    private static final int CLIENTS = 6;

    @StartedBroker
    Broker broker;

    @BeforeEach
    void start() {
        broker.createTopic("orders", PARTITIONS, Map.of(), OnDuplicate.FAIL);
        List<Partitions.ProduceRecord> records = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            records.add(new Partitions.ProduceRecord(i % PARTITIONS, Record.of(null, "order " + i, Instant.EPOCH)));
        }
        broker.partitions().appendRecords("orders", records);
    }

    @Test
    void clients_that_join_read_commit_and_leave_at_once_leave_every_partition_with_one_owner() throws Exception {
        // the time limit only turns a deadlock into a failure; the work takes well under a second
        assertTimeoutPreemptively(Duration.ofSeconds(60), this::runClients);

        Set<TopicPartition> owned = new HashSet<>();
        int count = 0;
        for (int client = 0; client < CLIENTS; client += 2) { // the even clients stayed
            List<TopicPartition> partitions = instances.assignment(GROUP, "client-" + client);
            owned.addAll(partitions);
            count += partitions.size();
        }
        assertEquals(PARTITIONS, owned.size(), "every partition is owned");
        assertEquals(PARTITIONS, count, "by one client only");
        assertEquals(Set.of("client-0", "client-2", "client-4"), instances.describe(GROUP).assignment().keySet());
    }

    private void runClients() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + 1);
        AtomicBoolean done = new AtomicBoolean();
        try {
            Future<?> admin = threads.submit(() -> {
                while (!done.get()) {
                    instances.dropIdle();
                    broker.tickGroups();
                    instances.describe(GROUP);
                    broker.jobs().writeStats();
                }
            });
            List<Future<?>> clients = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                String name = "client-" + client;
                boolean leaves = client % 2 == 1;
                clients.add(threads.submit(() -> {
                    instances.create(GROUP, name, OffsetReset.EARLIEST);
                    instances.subscribe(GROUP, name, Set.of("orders"));
                    for (int round = 0; round < 30; round++) {
                        instances.poll(GROUP, name, 7, Duration.ZERO);
                        instances.commit(GROUP, name, Map.of());
                        instances.heartbeat(GROUP, name);
                    }
                    if (leaves) {
                        instances.leave(GROUP, name);
                    }
                    return null;
                }));
            }
            for (Future<?> client : clients) {
                client.get();
            }
            done.set(true);
            admin.get();
        } finally {
            done.set(true);
            threads.shutdownNow();
        }
    }
}
