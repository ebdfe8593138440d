package toykafka.lesson07;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import toykafka.common.EventLog;
import toykafka.lesson01.ListLog;
import toykafka.lesson01.LogContract;

/** A locked log is still a lesson 1 log, and its readers can wait for an append without spinning. */
class LockedLogTest extends LogContract<String> {

    @Override
    protected EventLog<String> newLog() {
        return new LockedLog<>(new ListLog<>());
    }

    @Override
    protected String event(int n) {
        return "event-" + n;
    }

    /** Waits, a bounded time, until {@code readers} threads are asleep in awaitEventAt. */
    static void awaitSleepingReaders(LockedLog<?> log, int readers) {
        assertTrue(log.awaitWaitingReaders(readers, Duration.ofSeconds(30)), "no reader went to sleep on the log within 30 s");
    }

    @Test
    void a_wait_for_an_offset_already_held_returns_at_once() {
        LockedLog<String> log = new LockedLog<>(new ListLog<>());
        log.append("cod");
        assertTrue(log.awaitEventAt(0, Duration.ofHours(1)), "offset 0 is there: no waiting");
    }

    @Test
    void a_wait_that_nothing_ends_returns_false_when_the_time_is_up() {
        LockedLog<String> log = new LockedLog<>(new ListLog<>());
        assertFalse(log.awaitEventAt(0, Duration.ofMillis(20)), "nothing was appended: the wait should time out");
        assertFalse(log.awaitEventAt(0, Duration.ZERO), "a zero timeout does not wait at all");
    }

    @Test
    void a_sleeping_reader_wakes_when_an_append_reaches_its_position() throws Exception {
        LockedLog<String> log = new LockedLog<>(new ListLog<>());
        CompletableFuture<Boolean> reader = CompletableFuture.supplyAsync(() -> log.awaitEventAt(1, Duration.ofHours(1)));
        awaitSleepingReaders(log, 1); // it sleeps on the condition: parked, not spinning
        log.append("cod");
        awaitSleepingReaders(log, 1); // offset 0 is not enough: it went back to sleep
        log.append("chips");
        assertTrue(reader.get(30, TimeUnit.SECONDS), "the append of offset 1 should wake the reader long before its hour");
        assertEquals(0, log.waitingReaders());
    }

    @Test
    void an_interrupted_wait_returns_and_keeps_the_interrupt() throws Exception {
        LockedLog<String> log = new LockedLog<>(new ListLog<>());
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            boolean found = log.awaitEventAt(0, Duration.ofHours(1));
            outcome.complete(found + ", interrupted=" + Thread.currentThread().isInterrupted());
        });
        reader.start();
        awaitSleepingReaders(log, 1);
        reader.interrupt();
        assertEquals("false, interrupted=true", outcome.get(30, TimeUnit.SECONDS));
    }

    @Test
    void waiting_for_readers_that_never_come_times_out() {
        LockedLog<String> log = new LockedLog<>(new ListLog<>());
        assertFalse(log.awaitWaitingReaders(1, Duration.ofMillis(10)));
        assertTrue(log.awaitWaitingReaders(0, Duration.ZERO), "zero readers are always there");
    }

    @Test
    void a_negative_or_missing_timeout_is_refused() {
        LockedLog<String> log = new LockedLog<>(new ListLog<>());
        assertEquals("a timeout must be zero or more, was PT-1S", assertThrows(IllegalArgumentException.class,
                () -> log.awaitEventAt(0, Duration.ofSeconds(-1))).getMessage());
        assertEquals("timeout must not be null: use Duration.ZERO not to wait", assertThrows(NullPointerException.class,
                () -> log.awaitEventAt(0, null)).getMessage());
    }
}
