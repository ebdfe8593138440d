package toykafka.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.EventLog;
import toykafka.common.Record;
import toykafka.common.RecordTooLargeException;
import toykafka.lesson04.BrokerSettings;
import toykafka.lesson07.BatchingProducerContract;
import toykafka.lesson07.ConcurrentProducer;

/**
 * Lesson 7's batching producer contract, run against {@link HttpProducer} and a broker started for each
 * test: the partitions the contract inspects are the broker's, read back over HTTP.
 */
class BatchingProducerThroughHttpTest extends BatchingProducerContract<BatchingProducerThroughHttpTest.Events> {

    @TempDir
    Path dir;
    private final Brokers brokers = new Brokers();
    private final AtomicInteger topics = new AtomicInteger();
    private String address;

    @BeforeEach
    void start() {
        address = brokers.start(dir, BrokerSettings.STRICT, Clock.systemUTC());
        new HttpTopics(address).listTopics(); // the HTTP client's own thread starts now, before any test counts threads
    }

    @AfterEach
    void stop() throws Exception {
        brokers.stopAll();
    }

    /** The producer of strings the contract drives: each event becomes a record's value. */
    static final class Events implements ConcurrentProducer<String> {
        final HttpProducer http;

        Events(HttpProducer http) {
            this.http = http;
        }

        @Override
        public CompletableFuture<Long> send(int partition, String event) {
            Objects.requireNonNull(event, "an event must not be null");
            return http.send(partition, new Record(null, event.getBytes(StandardCharsets.UTF_8), Instant.now(), List.of()));
        }

        @Override
        public void flush() {
            http.flush();
        }

        @Override
        public void close() {
            http.close();
        }
    }

    /** A partition on the broker read as a log of strings; writes go through the producer only. */
    static final class View extends PartitionAsStrings {
        private final List<String> seen = new ArrayList<>(); // records never change once written: keep what was read

        View(String address, String topic, int partition) {
            super(address, topic, partition);
        }

        @Override
        public long append(String event) {
            throw new UnsupportedOperationException("the producer under test writes this partition");
        }

        @Override
        public synchronized String read(long offsetOrIndex) {
            if (offsetOrIndex >= 0 && offsetOrIndex < seen.size()) {
                return seen.get((int) offsetOrIndex); // read before: no request needed
            }
            long offset = resolve(offsetOrIndex);
            while (seen.size() <= offset) {
                log.readBatch(seen.size(), 5_000).forEach(record -> seen.add(record.valueText()));
            }
            return seen.get((int) offset);
        }
    }

    @Override
    protected List<EventLog<String>> emptyLogs(int count) {
        String topic = "orders-" + topics.incrementAndGet();
        new HttpTopics(address).createTopic(topic, count);
        List<EventLog<String>> views = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            views.add(new View(address, topic, p));
        }
        return views;
    }

    @Override
    protected Events newProducer(List<EventLog<String>> partitions, int batchSize, Duration linger) {
        return new Events(new HttpProducer(address, ((View) partitions.get(0)).topic, batchSize, linger));
    }

    @Override
    protected long batchesSent(Events producer) {
        return producer.http.batchesSent();
    }

    // The contract shows the next three with logs it can stop or make fail; on a broker, a callback on the
    // sender's thread and a refused batch show the same promises.

    @Override
    @Test
    protected void flush_in_a_callback_does_not_wait_for_itself() {
        Events producer = newProducer(emptyLogs(1), 10, Duration.ofMillis(200));
        CompletableFuture<Long> first = producer.send(0, "cod");
        // the callback runs on the thread that completes the future: the producer's sender
        CompletableFuture<Void> flushedInCallback = first.thenRun(producer::flush);
        Throwable outcome = outcomeOf(flushedInCallback, "flush() called in a callback of a send's future");
        assertTrue(outcome == null || outcome instanceof IllegalStateException && outcome.getMessage().contains("callback"),
                "flush() in a callback may refuse with an IllegalStateException that says why, but it threw " + outcome);
        producer.flush();
        producer.close();
    }

    @Override
    @Test
    protected void close_in_a_callback_does_not_wait_for_itself_and_still_writes_what_was_accepted() {
        Set<Thread> before = liveThreads();
        List<EventLog<String>> logs = emptyLogs(1);
        Events producer = newProducer(logs, 10, Duration.ofMillis(200));
        CompletableFuture<Long> first = producer.send(0, "cod");
        CompletableFuture<Void> callback = first.thenRun(producer::close);
        producer.send(0, "chips");
        callback.join();
        producer.close();
        assertEquals("cod", logs.get(0).read(0));
        assertEquals("chips", logs.get(0).read(1), "what was accepted before close() is written");
        assertNoThreadLeftSince(before, "after close() in a callback");
    }

    @Override
    @Test
    protected void an_error_thrown_by_a_log_fails_the_event_and_leaves_no_caller_waiting() {
        Set<Thread> before = liveThreads();
        List<EventLog<String>> logs = emptyLogs(1);
        new HttpTopics(address).patchConfig(((View) logs.get(0)).topic, java.util.Map.of("max.message.bytes", "100"));
        Events producer = newProducer(logs, 10, AN_HOUR);
        CompletableFuture<Long> doomed = producer.send(0, "x".repeat(500));
        Throwable flushed = outcomeOf(producer::flush, "flush() when the broker refuses the batch");
        Throwable failure = outcomeOf(doomed, "the send the broker refused");
        assertTrue(failure instanceof RecordTooLargeException, "the refused send fails with the broker's error, was " + failure);
        assertTrue(flushed == null, "flush() returns once the refused batch is settled, but threw " + flushed);
        producer.close();
        assertEquals(0, logs.get(0).endOffset());
        assertNoThreadLeftSince(before, "after a refused batch and close()");
    }
}
