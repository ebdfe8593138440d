package toykafka.lesson07;

import static toykafka.check.MessageFacts.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import toykafka.common.EventLog;
import toykafka.common.ForwardingEventLog;
import toykafka.lesson01.ListLog;
import toykafka.common.OffsetOutOfRangeException;

/**
 * What every producer shared by many threads promises, checked under real concurrency: several threads
 * released at once by a latch, a fixed number of sends each, and bounded waits only (no sleeps).
 * Every design of lesson 7, and a learner's own producer, runs these tests by extending this class.
 */
@Tag("lesson07")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ConcurrentProducerContract {

    /** How long any single wait in these tests may take before it counts as a hang. */
    protected static final long PATIENCE_SECONDS = 30;

    protected static final int SENDERS = 4;
    protected static final int SENDS_EACH = 2_500;
    protected static final int PARTITIONS = 3;

    /** A new producer writing to these logs, which nothing else writes to. */
    protected abstract ConcurrentProducer<String> newProducer(List<EventLog<String>> partitions);

    /** Logs the producer under test writes to, empty; a producer that writes elsewhere gives views of its own. */
    protected List<EventLog<String>> emptyLogs(int count) {
        List<EventLog<String>> logs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            logs.add(new ListLog<>());
        }
        return logs;
    }

    /** One accepted send: who sent what where, and the future the producer gave back. */
    protected record Sent(int sender, int sequence, int partition, String event, CompletableFuture<Long> offset) {
    }

    /**
     * Runs {@code senders} threads that wait at a gate, then each send {@code sendsEach} events, spread over
     * the partitions. Returns every accepted send. An exception in a sender is thrown here, in the test.
     */
    protected static List<Sent> sendAtOnce(ConcurrentProducer<String> producer, int senders, int sendsEach,
                                           int partitions) {
        CountDownLatch gate = new CountDownLatch(1);
        List<List<Sent>> perSender = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        List<Thread> threads = senderThreads(senders, perSender, failures, (sender, mine) -> {
            gate.await();
            for (int i = 0; i < sendsEach; i++) {
                int partition = (i + sender) % partitions;
                String event = "s" + sender + "#" + i;
                mine.add(new Sent(sender, i, partition, event, producer.send(partition, event)));
            }
        });
        threads.forEach(Thread::start);
        gate.countDown();
        joinAll(threads);
        rethrowFirst(failures);
        return perSender.stream().flatMap(List::stream).toList();
    }

    /**
     * A new producer over {@code logs}, {@link #SENDERS} threads sending {@link #SENDS_EACH} events each to it at
     * once, then a flush if {@code flushFirst}, and close() whatever happened: every accepted send.
     */
    private List<Sent> sendAtOnceThenClose(List<EventLog<String>> logs, boolean flushFirst) {
        ConcurrentProducer<String> producer = newProducer(logs);
        try {
            List<Sent> sent = sendAtOnce(producer, SENDERS, SENDS_EACH, PARTITIONS);
            if (flushFirst) {
                producer.flush();
            }
            return sent;
        } finally {
            producer.close();
        }
    }

    /** What one sender thread does: {@code sender} is its number, and {@code mine} gets each send accepted. */
    private interface SenderBody {
        void run(int sender, List<Sent> mine) throws Exception;
    }

    /**
     * One thread per sender, named contract-sender-0 on and not yet started, each running {@code body}: whatever a
     * body throws is kept in {@code failures}, and {@code accepted} gets each sender's list of accepted sends.
     */
    private static List<Thread> senderThreads(int senders, List<List<Sent>> accepted, List<Throwable> failures,
                                              SenderBody body) {
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            List<Sent> mine = new ArrayList<>();
            accepted.add(mine);
            threads.add(new Thread(() -> {
                try {
                    body.run(sender, mine);
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "contract-sender-" + s));
        }
        return threads;
    }

    protected static void joinAll(List<Thread> threads) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for " + thread.getName());
            }
            if (thread.isAlive()) {
                fail(thread.getName() + " was still sending after " + PATIENCE_SECONDS + " s: is a send blocked forever?");
            }
        }
    }

    /** A stub's exception is thrown as it is, so the check can say "not written yet". */
    protected static void rethrowFirst(List<Throwable> failures) {
        if (failures.isEmpty()) {
            return;
        }
        Throwable first = failures.get(0);
        if (first instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (first instanceof Error error) {
            throw error;
        }
        throw new AssertionError("a sender thread failed: " + first, first);
    }

    /** The offset a send was given, waiting a bounded time for it. */
    protected static long offsetOf(CompletableFuture<Long> future, String what) {
        try {
            return future.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(what + " was still not written after " + PATIENCE_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what);
        }
    }

    /**
     * How a future ended, waiting a bounded time: null if it completed normally, else what it failed with.
     * A future still pending after the patience fails the test, naming {@code what}.
     */
    protected static Throwable outcomeOf(CompletableFuture<?> future, String what) {
        try {
            future.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError(what + " had not ended after " + PATIENCE_SECONDS + " s: is it waiting for"
                    + " itself?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what);
        }
    }

    /**
     * Runs a call on a thread of its own and returns how it ended (null: normally), so that a call that
     * hangs fails the test after the patience instead of hanging it.
     */
    protected static Throwable outcomeOf(Runnable call, String what) {
        CompletableFuture<Void> ended = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                call.run();
                ended.complete(null);
            } catch (Throwable e) {
                ended.completeExceptionally(e);
            }
        }, "contract-caller");
        caller.setDaemon(true); // if the call hangs, the failed test must not keep the JVM alive
        caller.start();
        Throwable outcome = outcomeOf(ended, what);
        joinAll(List.of(caller)); // it has nothing left to do: gone before a test counts threads
        return outcome;
    }

    /** A log whose every append throws an Error, as a log in deep trouble would (no memory left, say). */
    protected static final class ErrorLog implements EventLog<String> {
        @Override
        public long append(String event) {
            throw new StackOverflowError("thrown on purpose by the test, appending " + event);
        }

        @Override
        public String read(long offsetOrIndex) {
            throw OffsetOutOfRangeException.of(offsetOrIndex, 0, 0);
        }

        @Override
        public long earliest() {
            return 0;
        }

        @Override
        public long endOffset() {
            return 0;
        }
    }

    /**
     * A log that holds back appends until the test opens its gate, so a test can chain a callback on a future
     * before the producer can complete it: the callback then runs on the thread that completes it. Appends
     * on the test's own thread (a producer that writes inside send, as fix 1 does) are not held back.
     */
    protected static final class GatedLog extends ForwardingEventLog<String> {
        private final CountDownLatch gate;
        private final Thread test = Thread.currentThread();

        public GatedLog(CountDownLatch gate) {
            super(new ListLog<>());
            this.gate = gate;
        }

        @Override
        public long append(String event) {
            if (Thread.currentThread() != test) {
                try {
                    if (!gate.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never opened the gate for " + event);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted at the gate, holding " + event, e);
                }
            }
            return super.append(event);
        }
    }

    /**
     * The reference producers' exact refusal of flush() in a callback: the producer writes to one {@link GatedLog}
     * behind {@code gate}, and the callback runs on {@code ownThread}, which the refusal names. Closes the producer.
     */
    protected static void assertFlushInACallbackRefusedOn(String ownThread, ConcurrentProducer<String> producer,
            CountDownLatch gate) {
        CompletableFuture<Void> flushedInCallback = producer.send(0, "cod").thenRun(producer::flush);
        gate.countDown();
        Throwable refused = outcomeOf(flushedInCallback, "flush() in a callback");
        assertNotNull(refused, "flush() on the producer's own thread should refuse, not return");
        assertEquals(IllegalStateException.class, refused.getClass());
        assertEquals("flush() was called on " + ownThread + ", the producer's own thread, which runs the callbacks of"
                + " its futures: there it would wait for itself for ever. Call flush() from another thread",
                refused.getMessage());
        producer.close();
    }

    /** The live threads now, to tell afterwards which ones a producer started and left running. */
    protected static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }

    protected static void assertNoThreadLeftSince(Set<Thread> before, String when) {
        List<String> left = liveThreads().stream()
                .filter(thread -> !before.contains(thread))
                .filter(thread -> !thread.getName().startsWith("ForkJoinPool.commonPool"))
                .map(Thread::getName)
                .sorted()
                .toList();
        assertEquals(List.of(), left, when + ", no thread the producer started may still be running");
    }

    @Test
    @Order(1)
    void one_send_is_written_and_its_future_gives_the_offset() {
        List<EventLog<String>> logs = emptyLogs(1);
        ConcurrentProducer<String> producer = newProducer(logs);
        try {
            assertEquals(0, offsetOf(producer.send(0, "cod"), "send(0, \"cod\")"),
                    "the first event sent to a partition should get offset 0");
            assertEquals(1, offsetOf(producer.send(0, "chips"), "send(0, \"chips\")"),
                    "the second should get offset 1");
        } finally {
            producer.close();
        }
        assertEquals("cod", logs.get(0).read(0), "after close(), offset 0 of partition 0 should hold cod");
    }

    @Test
    @Order(2)
    void many_threads_sending_at_once_lose_nothing_and_duplicate_nothing() {
        List<EventLog<String>> logs = emptyLogs(PARTITIONS);
        List<Sent> sent = sendAtOnceThenClose(logs, true);
        assertEquals(SENDERS * SENDS_EACH, sent.size(), "every send should have been accepted");
        for (int p = 0; p < PARTITIONS; p++) {
            int partition = p;
            List<Long> offsets = sent.stream().filter(s -> s.partition() == partition)
                    .map(s -> offsetOf(s.offset(), s.event())).toList();
            assertEquals(offsets.size(), new HashSet<>(offsets).size(),
                    "partition " + p + ": no offset may be given to two events");
            assertEquals(offsets.size(), logs.get(p).endOffset(),
                    "partition " + p + ": the log should hold exactly the " + offsets.size() + " events sent to it");
        }
    }

    @Test
    @Order(3)
    void every_accepted_event_is_readable_at_the_offset_it_was_given() {
        List<EventLog<String>> logs = emptyLogs(PARTITIONS);
        List<Sent> sent = sendAtOnceThenClose(logs, false);
        for (Sent s : sent) {
            long offset = offsetOf(s.offset(), s.event());
            assertEquals(s.event(), logs.get(s.partition()).read(offset),
                    "partition " + s.partition() + ", offset " + offset + " should hold " + s.event());
        }
    }

    @Test
    @Order(4)
    void each_senders_order_is_kept_within_a_partition() {
        List<EventLog<String>> logs = emptyLogs(PARTITIONS);
        ConcurrentProducer<String> producer = newProducer(logs);
        try {
            sendAtOnce(producer, SENDERS, SENDS_EACH, PARTITIONS);
        } finally {
            producer.close();
        }
        for (int p = 0; p < PARTITIONS; p++) {
            int[] lastSequence = new int[SENDERS];
            java.util.Arrays.fill(lastSequence, -1);
            long end = logs.get(p).endOffset(); // once: nothing writes after close()
            for (long offset = 0; offset < end; offset++) {
                String event = logs.get(p).read(offset);
                int sender = Integer.parseInt(event.substring(1, event.indexOf('#')));
                int sequence = Integer.parseInt(event.substring(event.indexOf('#') + 1));
                assertTrue(sequence > lastSequence[sender], "partition " + p + ", offset " + offset + ": " + event
                        + " comes after s" + sender + "#" + lastSequence[sender] + ", but that sender sent it later");
                lastSequence[sender] = sequence;
            }
        }
    }

    @Test
    @Order(5)
    void flush_waits_until_every_event_sent_before_it_is_written() {
        List<EventLog<String>> logs = emptyLogs(2);
        ConcurrentProducer<String> producer = newProducer(logs);
        try {
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                futures.add(producer.send(i % 2, "order-" + i));
            }
            producer.flush();
            for (int i = 0; i < futures.size(); i++) {
                assertTrue(futures.get(i).isDone(), "after flush(), the send of order-" + i + " should be written");
            }
            assertEquals(13, logs.get(0).endOffset(), "partition 0 should hold its 13 orders after flush()");
            assertEquals(12, logs.get(1).endOffset(), "partition 1 should hold its 12 orders after flush()");
        } finally {
            producer.close();
        }
    }

    @Test
    @Order(6)
    void close_while_threads_send_writes_every_accepted_event_and_stops_every_thread() {
        Set<Thread> before = liveThreads();
        List<EventLog<String>> logs = emptyLogs(PARTITIONS);
        ConcurrentProducer<String> producer = newProducer(logs);
        CountDownLatch sending = new CountDownLatch(SENDERS);
        List<List<Sent>> accepted = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        List<Thread> senders = senderThreads(SENDERS, accepted, failures, (sender, mine) -> {
            try {
                for (int i = 0; i < 1_000_000; i++) { // bounded; close() stops it long before
                    int partition = i % PARTITIONS;
                    String event = "s" + sender + "#" + i;
                    CompletableFuture<Long> offset;
                    try {
                        offset = producer.send(partition, event);
                    } catch (IllegalStateException closed) {
                        return; // refused after close: not accepted, so it must not be in the log
                    }
                    mine.add(new Sent(sender, i, partition, event, offset));
                    if (i == 100) {
                        sending.countDown();
                    }
                }
            } finally {
                sending.countDown(); // also on failure, so the test never waits forever
            }
        });
        senders.forEach(Thread::start);
        try {
            assertTrue(sending.await(PATIENCE_SECONDS, TimeUnit.SECONDS), "the senders did not get going");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
        rethrowFirst(failures);
        producer.close(); // while the senders are still sending
        joinAll(senders);
        rethrowFirst(failures);

        long total = 0;
        for (List<Sent> mine : accepted) {
            for (Sent s : mine) {
                assertTrue(s.offset().isDone(), "after close(), every accepted send should be written: " + s.event()
                        + " is not");
                assertEquals(s.event(), logs.get(s.partition()).read(offsetOf(s.offset(), s.event())),
                        "the accepted " + s.event() + " should be in partition " + s.partition());
                total++;
            }
        }
        long inLogs = logs.stream().mapToLong(EventLog::endOffset).sum();
        assertEquals(total, inLogs, "the logs should hold exactly the accepted events: none lost, none refused");
        assertNoThreadLeftSince(before, "after close()");
    }

    @Test
    @Order(7)
    void a_send_after_close_is_refused() {
        List<EventLog<String>> logs = emptyLogs(1);
        ConcurrentProducer<String> producer = newProducer(logs);
        producer.close();
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> producer.send(0, "late"),
                "send() after close() should throw IllegalStateException");
        assertTrue(error.getMessage().contains("closed"), "the error should say the producer is closed, was: "
                + error.getMessage());
        assertEquals(0, logs.get(0).endOffset(), "a refused event must not be written");
    }

    @Test
    @Order(8)
    void a_send_to_a_partition_that_does_not_exist_is_refused() {
        ConcurrentProducer<String> producer = newProducer(emptyLogs(3));
        try {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> producer.send(3, "cod"), "send(3, ...) with partitions 0..2 should throw IllegalArgumentException");
            assertMentions(error, 3, 0, 2); // partition 3, and the partitions there are
            assertThrows(IllegalArgumentException.class, () -> producer.send(-1, "cod"),
                    "send(-1, ...) should throw IllegalArgumentException");
        } finally {
            producer.close();
        }
    }

    @Test
    @Order(9)
    void a_null_event_is_refused() {
        ConcurrentProducer<String> producer = newProducer(emptyLogs(1));
        try {
            NullPointerException error = assertThrows(NullPointerException.class, () -> producer.send(0, null),
                    "send(0, null) should throw NullPointerException");
            // A bare NullPointerException has no message at all: the producer must name what was null.
            assertNotNull(error.getMessage(), "the error should say the event was null, but it has no message");
            assertTrue(error.getMessage().contains("event") && error.getMessage().contains("null"),
                    "the error should say the event was null, was: " + error.getMessage());
        } finally {
            producer.close();
        }
    }

    @Test
    @Order(10)
    void close_twice_is_harmless_and_leaves_no_thread() {
        Set<Thread> before = liveThreads();
        List<EventLog<String>> logs = emptyLogs(2);
        ConcurrentProducer<String> producer = newProducer(logs);
        producer.send(1, "cod");
        producer.close();
        producer.close();
        assertEquals("cod", logs.get(1).read(0), "the event sent before close() should be written");
        assertNoThreadLeftSince(before, "after two close() calls");
    }

    // tag::callbacks[]
    @Test
    @Order(11)
    protected void flush_in_a_callback_does_not_wait_for_itself() { // protected: a producer whose logs cannot be gated shows it another way
        CountDownLatch gate = new CountDownLatch(1);
        List<EventLog<String>> logs = List.of(new GatedLog(gate), new GatedLog(gate));
        ConcurrentProducer<String> producer = newProducer(logs);
        CompletableFuture<Long> first = producer.send(0, "cod");
        CompletableFuture<Long> second = producer.send(1, "chips"); // still waiting when the callback runs
        // The callback runs on whichever thread completes the future: for a producer with threads, its own.
        CompletableFuture<Void> flushedInCallback = first.thenRun(producer::flush);
        gate.countDown();
        Throwable outcome = outcomeOf(flushedInCallback, "flush() called in a callback of a send's future");
        if (outcome != null) { // it may refuse, as Kafka's producer does, but it must say why
            assertTrue(outcome instanceof IllegalStateException, "flush() in a callback may refuse with an"
                    + " IllegalStateException, but it threw " + outcome);
            assertNotNull(outcome.getMessage(), "the refusal should say why, but it has no message");
            assertTrue(outcome.getMessage().contains("callback"), "the refusal should say a callback cannot"
                    + " flush, was: " + outcome.getMessage());
        }
        producer.flush(); // from the test's thread, flush() waits as it should
        assertEquals(0, offsetOf(second, "chips"), "chips, sent before flush(), should be at offset 0 of partition 1");
        producer.close(); // not in a finally: after a hang, close() could hang too, and the test must fail, not hang
    }
    // end::callbacks[]

    @Test
    @Order(12)
    protected void close_in_a_callback_does_not_wait_for_itself_and_still_writes_what_was_accepted() { // protected: a producer whose logs cannot be gated shows it another way
        Set<Thread> before = liveThreads();
        CountDownLatch gate = new CountDownLatch(1);
        List<EventLog<String>> logs = List.of(new GatedLog(gate), new GatedLog(gate));
        ConcurrentProducer<String> producer = newProducer(logs);
        CompletableFuture<Long> first = producer.send(0, "cod");
        CompletableFuture<Long> second = producer.send(1, "chips"); // accepted before the close
        CompletableFuture<Void> closedInCallback = first.thenRun(producer::close);
        gate.countDown();
        assertEquals(null, outcomeOf(closedInCallback, "close() called in a callback of a send's future"),
                "close() in a callback should return: the producer stops once its thread is out of the callback");
        assertEquals(0, offsetOf(second, "chips"), "chips was accepted before close(), so it must still be written");
        assertEquals("chips", logs.get(1).read(0), "partition 1 should hold chips");
        IllegalStateException late = assertThrows(IllegalStateException.class, () -> producer.send(0, "late"),
                "a send after close() in a callback should be refused");
        assertTrue(late.getMessage().contains("closed"), "the error should say the producer is closed, was: "
                + late.getMessage());
        producer.close(); // from the test's thread this one waits for the producer's threads to end
        assertNoThreadLeftSince(before, "after close() in a callback and close() again");
    }
}
