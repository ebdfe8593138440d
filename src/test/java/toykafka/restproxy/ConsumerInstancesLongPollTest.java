package toykafka.restproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.common.OffsetReset;
import toykafka.common.Record;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson05.ConsumerRecord;
import toykafka.testing.StartedBroker;

/**
 * A consumer instance's long poll waits in the data path's purgatory: an append to a partition it owns
 * answers it, and so does a change of its group (a rebalance gives it other partitions to read) and the
 * broker stopping. Each poll here waits far longer than the test does, so only a wake can answer it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsumerInstancesLongPollTest extends InstancesPerTest {

    private static final String GROUP = "kitchen";
    private static final Duration FOREVER = Duration.ofMinutes(10);

    @StartedBroker
    Broker broker;

    @BeforeEach
    void start() {
        broker.createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
        instances.create(GROUP, "grill", OffsetReset.EARLIEST);
        instances.subscribe(GROUP, "grill", Set.of("orders"));
    }

    /** A poll of grill's, on a thread of its own, once it is waiting. */
    private CompletableFuture<List<ConsumerRecord>> waitingPoll() throws InterruptedException {
        CompletableFuture<List<ConsumerRecord>> polled = new CompletableFuture<>();
        Thread poller = new Thread(() -> {
            try {
                polled.complete(instances.poll(GROUP, "grill", 10, FOREVER));
            } catch (RuntimeException e) {
                polled.completeExceptionally(e);
            }
        });
        poller.start();
        // parked: waiting on the poll's future (the poll itself holds no thread; this test's caller does)
        while (poller.getState() != Thread.State.WAITING && poller.getState() != Thread.State.TIMED_WAITING
                && !polled.isDone()) {
            Thread.sleep(5);
        }
        return polled;
    }

    @Test
    void a_record_appended_while_the_poll_waits_answers_it() throws Exception {
        CompletableFuture<List<ConsumerRecord>> polled = waitingPoll();
        broker.partitions().appendRecords("orders", List.of(new Partitions.ProduceRecord(1,
                Record.of(null, "soup", Instant.EPOCH))));

        List<ConsumerRecord> records = polled.get(1, TimeUnit.MINUTES);
        assertEquals(List.of("soup"), records.stream().map(record -> record.record().valueText()).toList());
        assertEquals(1, records.get(0).partition().partition());
    }

    @Test
    void a_rebalance_wakes_the_poll_so_it_reads_the_partitions_it_owns_now() throws Exception {
        CompletableFuture<List<ConsumerRecord>> polled = waitingPoll();
        instances.create(GROUP, "fryer", OffsetReset.EARLIEST);
        instances.subscribe(GROUP, "fryer", Set.of("orders")); // grill keeps one partition of two

        assertEquals(List.of(), polled.get(1, TimeUnit.MINUTES), "woken by the rebalance, with nothing to read yet");
        assertEquals(1, instances.assignment(GROUP, "grill").size());
    }

    @Test
    void stopping_the_broker_answers_a_waiting_poll_with_what_it_has() throws Exception {
        CompletableFuture<List<ConsumerRecord>> polled = waitingPoll();
        broker.stopWaiting();

        assertTrue(polled.get(1, TimeUnit.MINUTES).isEmpty());
    }
}
