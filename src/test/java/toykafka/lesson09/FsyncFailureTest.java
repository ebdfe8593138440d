package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestConfigs.SMALL;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.Errors;
import toykafka.common.KafkaStorageException;
import toykafka.archive.Archive;
import toykafka.common.TopicConfig;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;
import toykafka.lesson08.PartitionDirectory;
import toykafka.lesson08.TestRecords;
import toykafka.lesson08.FaultyDisk;

/**
 * What the log does when an fsync fails or races a close: on a disk that can be told to fail. After a
 * failed fsync the kernel may have dropped the pages it could not write, so a later fsync that succeeds
 * proves nothing; the log goes offline, and acknowledges nothing written since the last good fsync.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FsyncFailureTest {

    @TempFileLogs(closeMayThrow = UncheckedIOException.class) // a log whose last flush failed cannot close cleanly
    FileLogs logs;
    private final FaultyDisk disk = new FaultyDisk();

    private FileLog open(TopicConfig config) {
        return logs.open(dir -> FileLog.open(dir, "orders", 0, config, Clock.systemUTC(), Archive.discard(), disk.opener()));
    }

    @AfterEach
    void healTheDisk() {
        disk.forceFailure = null; // before the logs close
    }

    @Test
    void a_failed_fsync_takes_the_log_offline_and_the_append_is_not_acknowledged() {
        FileLog log = open(SMALL.with(TopicConfig.FLUSH_MESSAGES, 1));
        assertEquals(0, log.append(order(0)));
        disk.forceFailure = new IOException("Input/output error");

        UncheckedIOException error = assertThrows(UncheckedIOException.class, () -> log.append(order(1)));

        assertEquals("fsync failed, so the append is not acknowledged, nor is anything written after the last good"
                + " fsync: IOException: Input/output error", error.getMessage());
        assertTrue(log.isOffline(), "a failed fsync takes the log offline");
        disk.forceFailure = null; // the disk seems fine again, but the pages it dropped are gone
        long forcesBefore = disk.forces.get();
        KafkaStorageException refused = assertThrows(KafkaStorageException.class, () -> log.append(order(2)));
        assertEquals(Errors.KAFKA_STORAGE_ERROR, refused.error(), "a client would be told to retry, elsewhere if it can");
        assertEquals("the log in " + log.directory() + " is offline after a failed write or fsync (IOException:"
                + " Input/output error): close it and open it again to recover", refused.getMessage());
        assertThrows(KafkaStorageException.class, () -> log.read(0), "reads stop too, as for an offline log dir");
        assertEquals(forcesBefore, disk.forces.get(), "no later fsync is tried, so none can report a false success");
        log.close();

        FileLog reopened = open(SMALL);
        assertFalse(reopened.recoveryReport().cleanShutdown(), "an offline log leaves no clean-shutdown marker");
        assertEquals(order(0), reopened.read(0), "the acknowledged record is there");
    }

    @Test
    void a_flush_and_a_roll_whose_fsync_fails_take_the_log_offline_too() {
        FileLog log = open(SMALL);
        log.append(order(0));
        disk.forceFailure = new IOException("No space left on device");
        UncheckedIOException flush = assertThrows(UncheckedIOException.class, log::flush);
        assertTrue(flush.getMessage().startsWith("fsync failed; the log is offline until reopened:"), flush.getMessage());
        assertTrue(log.isOffline());

        FileLog other = logs.open(dir -> FileLog.open(dir, "refunds", 0, SMALL, Clock.systemUTC(), Archive.discard(), disk.opener()));
        disk.forceFailure = null;
        for (int i = 0; i < 5; i++) {
            other.append(order(i));
        }
        disk.forceFailure = new IOException("No space left on device");
        UncheckedIOException roll = assertThrows(UncheckedIOException.class, () -> {
            for (int i = 5; i < 20; i++) {
                other.append(order(i)); // rolls before long, and sealing a segment fsyncs it
            }
        });
        assertTrue(roll.getMessage().startsWith("rolling to a new segment failed; the log is offline until reopened:"),
                roll.getMessage());
        assertTrue(other.isOffline());
    }

    @Test
    void a_failed_background_fsync_takes_the_log_offline_and_stops_the_background_thread() throws Exception {
        FileLog log = open(TopicConfig.defaults().with(TopicConfig.FLUSH_MS, Duration.ofMillis(1).toMillis()));
        log.append(order(0));
        // Armed only after the append: armed before it, a background fsync could fail first and refuse the append.
        disk.forceFailure = new IOException("Input/output error");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!log.isOffline() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(log.isOffline(), "a background fsync failed and took the log offline");
        Thread background = disk.lastForcingThread;
        background.join(10_000);
        assertFalse(background.isAlive(), "after its first failure the background fsync stops for good");
        assertTrue(log.isOffline(), "and the log is offline");
        assertThrows(KafkaStorageException.class, () -> log.append(order(1)));
    }

    @Test
    void an_fsync_still_running_when_the_log_closes_is_durable_because_close_forced_first() throws Exception {
        FileLog log = open(SMALL.with(TopicConfig.FLUSH_MESSAGES, 1));
        disk.dataForceGate = new CountDownLatch(1);
        CompletableFuture<Long> append = CompletableFuture.supplyAsync(() -> log.append(order(0)));
        assertTrue(disk.dataForceWaiting.await(10, TimeUnit.SECONDS), "the append's fsync has started");

        log.close(); // flushes the segment, then closes its files under the running fsync
        disk.dataForceGate.countDown();

        assertEquals(0, waitFor(append), "the append is acknowledged: close had forced it already");
    }

    @Test
    void an_fsync_still_running_when_retention_deletes_its_segment_is_durable_because_the_roll_forced_first()
            throws Exception {
        toykafka.clock.ManualClock clock = new toykafka.clock.ManualClock(TestRecords.START);
        FileLog log = logs.open(dir -> FileLog.open(dir, "orders", 0, SMALL.with(TopicConfig.RETENTION_MS, Duration.ofMinutes(1).toMillis())
                .with(TopicConfig.FLUSH_MESSAGES, 1), clock, Archive.discard(), disk.opener()));
        disk.dataForceGate = new CountDownLatch(1);
        CompletableFuture<Long> append = CompletableFuture.supplyAsync(() -> log.append(order(0)));
        assertTrue(disk.dataForceWaiting.await(10, TimeUnit.SECONDS), "the append's fsync has started");

        clock.advance(Duration.ofHours(1));
        assertEquals(1, log.applyRetention().size(), "the segment expired, was sealed, archived and deleted");
        disk.dataForceGate.countDown();

        assertEquals(0, waitFor(append), "the append is acknowledged: sealing had forced it already");
    }

    @Test
    void a_log_whose_close_fails_still_closes_every_file() {
        FileLog log = open(SMALL);
        for (int i = 0; i < 20; i++) {
            log.append(order(i));
        }
        disk.forceFailure = new IOException("Input/output error");
        UncheckedIOException error = assertThrows(UncheckedIOException.class, log::close);
        assertTrue(error.getMessage().startsWith("cannot close cleanly; the next open recovers the log:"),
                error.getMessage());
        assertEquals(0, disk.openChannels(), "every file is closed all the same");
        assertFalse(Files.exists(log.directory().resolve(DirectoryClaim.CLEAN_SHUTDOWN)), "and no clean marker");
    }

    @Test
    void a_log_that_cannot_open_leaves_no_file_open() throws IOException {
        FileLog log = open(SMALL);
        for (int i = 0; i < 20; i++) {
            log.append(order(i));
        }
        long thirdBase = log.segments().get(2).baseOffset();
        log.close();
        disk.refuseToOpen = PartitionDirectory.fileName(thirdBase, "timeindex"); // the third segment's last file
        assertThrows(UncheckedIOException.class, () -> open(SMALL));
        assertEquals(0, disk.openChannels(), "the two segments opened before, and the third's other files, are closed");

        disk.refuseToOpen = null;
        Files.delete(log.directory().resolve(DirectoryClaim.CLEAN_SHUTDOWN)); // as after a crash, so opening
        disk.forceFailure = new IOException("Input/output error");               // recovers, and forces what it did
        assertThrows(UncheckedIOException.class, () -> open(SMALL));
        assertEquals(0, disk.openChannels(), "recovery that fails closes what it opened");
    }

    private static long waitFor(CompletableFuture<Long> append) throws InterruptedException, ExecutionException {
        try {
            return append.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the append never returned", e);
        }
    }
}
