package toykafka.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.OffsetReset;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownTopicOrPartitionException;
import toykafka.lesson02.EventAt;
import toykafka.lesson04.BrokerSettings;
import toykafka.lesson05.ConsumerRecord;

/** The producer and consumer that speak HTTP to the broker: lesson 7's batching sender and a group member. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HttpClientsTest {

    /** A bound on a send's answer, which ends when the answer comes: one second is short on a busy machine. */
    private static final long ANSWER_SECONDS = 60;

    @TempDir
    Path dir;
    private final Brokers brokers = new Brokers();
    private String address;

    @BeforeEach
    void start() {
        address = brokers.start(dir, BrokerSettings.STRICT, Clock.systemUTC());
        new HttpTopics(address).createTopic("orders", 3);
    }

    @AfterEach
    void stop() throws Exception {
        brokers.stopAll();
    }

    private static Record order(int sender, int n) {
        return new Record(("till-" + sender).getBytes(), (sender + ":" + n).getBytes(), Instant.ofEpochMilli(n), List.of());
    }

    @Test
    void many_threads_share_one_producer_and_every_record_lands_once_in_the_order_its_sender_sent_it() throws Exception {
        List<List<CompletableFuture<Long>>> futures = new ArrayList<>();
        try (HttpProducer producer = new HttpProducer(address, "orders", 100, Duration.ofMillis(5))) {
            List<Thread> senders = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                int sender = s;
                List<CompletableFuture<Long>> mine = new ArrayList<>();
                futures.add(mine);
                senders.add(new Thread(() -> {
                    for (int n = 0; n < 500; n++) {
                        mine.add(producer.send(sender % 3, order(sender, n)));
                    }
                }));
            }
            senders.forEach(Thread::start);
            for (Thread thread : senders) {
                thread.join();
            }
            producer.flush();
            futures.forEach(mine -> mine.forEach(future -> assertTrue(future.isDone(), "flush() waited for every send")));
            assertTrue(producer.batchesSent() < 2000 / 10, "records shared requests: " + producer.batchesSent() + " for 2000");
        }
        HttpTopics topics = new HttpTopics(address);
        long total = 0;
        for (int p = 0; p < 3; p++) {
            List<Record> stored = topics.log("orders", p).readBatch(0, 10_000);
            total += stored.size();
            int[] last = {-1, -1, -1, -1};
            for (Record record : stored) {
                String[] parts = record.valueText().split(":");
                int sender = Integer.parseInt(parts[0]);
                int n = Integer.parseInt(parts[1]);
                assertEquals(last[sender] + 1, n, "sender " + sender + "'s records in order, none twice, none missing");
                last[sender] = n;
            }
        }
        assertEquals(2000, total);
        Set<Long> offsetsOfPartition0 = new HashSet<>();
        for (int s : new int[] {0, 3}) {
            for (CompletableFuture<Long> future : futures.get(s)) {
                assertTrue(offsetsOfPartition0.add(future.get(ANSWER_SECONDS, TimeUnit.SECONDS)), "no offset given twice");
            }
        }
    }

    @Test
    void close_sends_what_lingers_and_then_refuses_sends() throws Exception {
        HttpProducer producer = new HttpProducer(address, "orders", 1000, Duration.ofHours(1));
        CompletableFuture<Long> lingering = producer.send(1, order(0, 0));
        producer.close();
        assertEquals(0L, lingering.get(ANSWER_SECONDS, TimeUnit.SECONDS), "close() sent the record that was lingering");
        assertThrows(IllegalStateException.class, () -> producer.send(1, order(0, 1)));
    }

    @Test
    void a_refused_batch_fails_every_future_in_it_with_the_brokers_error() {
        new HttpTopics(address).patchConfig("orders", java.util.Map.of("max.message.bytes", "200"));
        try (HttpProducer producer = new HttpProducer(address, "orders", 10, Duration.ofMillis(1))) {
            CompletableFuture<Long> big = producer.send(0, new Record(null, new byte[500], Instant.EPOCH, List.of()));
            producer.flush();
            var failure = assertThrows(java.util.concurrent.ExecutionException.class, () -> big.get(ANSWER_SECONDS, TimeUnit.SECONDS));
            assertTrue(failure.getCause() instanceof toykafka.common.RecordTooLargeException, failure.getCause().toString());
        }
    }

    @Test
    void group_members_share_the_partitions_commit_and_a_newcomer_goes_on_where_they_stopped() {
        try (HttpProducer producer = new HttpProducer(address, "orders", 50, Duration.ofMillis(1))) {
            for (int n = 0; n < 30; n++) {
                producer.send(n % 3, order(n % 3, n));
            }
            producer.flush();
        }
        List<ConsumerRecord> seen = new ArrayList<>();
        try (HttpConsumer cook = new HttpConsumer(address, "kitchen", "cook", OffsetReset.EARLIEST, Set.of("orders"),
                Duration.ofSeconds(1));
             HttpConsumer fryer = new HttpConsumer(address, "kitchen", "fryer", OffsetReset.EARLIEST, Set.of("orders"),
                Duration.ofSeconds(1))) {
            List<TopicPartition> both = new ArrayList<>(cook.assignment());
            both.addAll(fryer.assignment());
            assertEquals(3, new HashSet<>(both).size(), "the two own all three partitions, each one once");
            seen.addAll(cook.poll(Duration.ZERO, 100));
            seen.addAll(fryer.poll(Duration.ZERO, 100));
            cook.commitSync();
            fryer.commitSync();
        }
        assertEquals(30, seen.size());
        try (HttpConsumer newcomer = new HttpConsumer(address, "kitchen", null, OffsetReset.EARLIEST, Set.of("orders"),
                Duration.ofSeconds(1))) {
            assertEquals(List.of(), newcomer.poll(Duration.ZERO, 100), "everything was committed: nothing comes again");
            newcomer.seek(new TopicPartition("orders", 2), 5);
            List<ConsumerRecord> again = newcomer.poll(Duration.ZERO, 100);
            assertEquals(5, again.get(0).offset(), "seek moves the next read");
            assertEquals(5, again.size());
        }
    }

    @Test
    void seek_moves_what_commitSync_commits_as_well_as_what_poll_reads() {
        HttpTopics topics = new HttpTopics(address);
        for (int n = 0; n < 6; n++) {
            topics.append("orders", 0, order(0, n));
        }
        try (HttpConsumer cook = new HttpConsumer(address, "kitchen", "cook", OffsetReset.EARLIEST, Set.of("orders"),
                Duration.ofSeconds(1))) {
            assertEquals(6, cook.poll(Duration.ZERO).size());
            cook.seek(new TopicPartition("orders", 0), 2);
            cook.commitSync();
        }
        HttpConsumerGroup kitchen = new HttpConsumerGroup(address, "kitchen", OffsetReset.EARLIEST);
        assertEquals(java.util.OptionalLong.of(2), kitchen.committed(new TopicPartition("orders", 0)),
                "after seek(2), as in Kafka, the position to commit is 2");
        assertEquals(4, kitchen.lag(), "records 2 to 5 are still to be read");
    }

    @Test
    void a_consumer_that_cannot_subscribe_leaves_no_member_behind() {
        assertThrows(UnknownTopicOrPartitionException.class, () -> new HttpConsumer(address, "kitchen", "cook",
                OffsetReset.EARLIEST, Set.of("oders"), Duration.ofSeconds(1)));
        try (HttpConsumer cook = new HttpConsumer(address, "kitchen", "cook", OffsetReset.EARLIEST, Set.of("orders"),
                Duration.ofSeconds(1))) {
            assertEquals(3, cook.assignment().size(), "the name is free again, and cook owns all three partitions");
        }
    }

    @Test
    void a_long_poll_returns_the_record_that_arrives_while_it_waits() throws Exception {
        HttpPartitionConsumer reader = new HttpPartitionConsumer(address, "orders", 1, OffsetReset.LATEST, 10);
        CompletableFuture<List<EventAt<Record>>> waiting = CompletableFuture.supplyAsync(() -> reader.poll(Duration.ofSeconds(30)));
        new HttpTopics(address).append("orders", 1, order(7, 1));
        List<EventAt<Record>> polled = waiting.get(60, TimeUnit.SECONDS);
        assertEquals("7:1", polled.get(0).event().valueText());
        assertEquals(1, reader.position());
    }

    @Test
    void a_broker_that_is_not_there_is_named_in_the_error() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + closedPort;
        UncheckedIOException down = assertThrows(UncheckedIOException.class, () -> new HttpTopics(nowhere).listTopics());
        assertTrue(down.getMessage().contains(nowhere) && down.getMessage().contains("is it running"), down.getMessage());
        IllegalArgumentException noScheme = assertThrows(IllegalArgumentException.class, () -> new HttpTopics("127.0.0.1:8082"));
        assertTrue(noScheme.getMessage().contains("http://127.0.0.1:8082"), noScheme.getMessage());
    }
}
