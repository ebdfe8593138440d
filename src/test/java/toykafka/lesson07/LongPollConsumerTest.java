package toykafka.lesson07;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.lesson01.ListLog;
import toykafka.lesson02.EventAt;
import toykafka.common.OffsetReset;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LongPollConsumerTest {

    private final LockedLog<String> log = new LockedLog<>(new ListLog<>());
    private final LongPollConsumer<String> consumer = new LongPollConsumer<>(log, OffsetReset.EARLIEST, 10);

    @Test
    void a_poll_with_something_to_read_returns_at_once() {
        log.append("cod");
        assertEquals(List.of(new EventAt<>(0, "cod")), consumer.poll(Duration.ofHours(1)));
    }

    @Test
    void a_poll_on_a_caught_up_consumer_sleeps_until_an_append() throws Exception {
        CompletableFuture<List<EventAt<String>>> polled =
                CompletableFuture.supplyAsync(() -> consumer.poll(Duration.ofHours(1)));
        LockedLogTest.awaitSleepingReaders(log, 1); // asleep on the log's condition, using no CPU
        log.append("haddock");
        assertEquals(List.of(new EventAt<>(0, "haddock")), polled.get(30, TimeUnit.SECONDS),
                "the append should end the poll long before its hour");
        assertEquals(1, consumer.position());
    }

    @Test
    void a_poll_that_times_out_returns_an_empty_batch() {
        assertEquals(List.of(), consumer.poll(Duration.ofMillis(20)));
        assertEquals(0, consumer.position(), "an empty poll does not move the position");
    }

    @Test
    void an_interrupted_poll_returns_what_there_is_and_keeps_the_flag() throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread consuming = new Thread(() -> {
            List<EventAt<String>> batch = consumer.poll(Duration.ofHours(1));
            outcome.complete(batch + ", interrupted=" + Thread.currentThread().isInterrupted());
        });
        consuming.start();
        LockedLogTest.awaitSleepingReaders(log, 1);
        consuming.interrupt();
        assertEquals("[], interrupted=true", outcome.get(30, TimeUnit.SECONDS));
    }

    @Test
    void a_consuming_thread_reads_everything_a_batching_producer_writes() throws Exception {
        BatchingProducer<String> producer = new BatchingProducer<>(List.of(log), 8, Duration.ofMillis(1));
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            int count = 0;
            while (count < 500) {
                count += consumer.poll(Duration.ofSeconds(30)).size();
            }
            return count;
        });
        for (int i = 0; i < 500; i++) {
            producer.send(0, "order-" + i);
        }
        producer.close();
        assertEquals(500, read.get(30, TimeUnit.SECONDS));
        assertTrue(Threads.running().isEmpty(), "no lesson thread should be left: " + Threads.running());
    }
}
