package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.archive.Archive;

/**
 * What the log does when an fsync fails or races a close: on a disk that can be told to fail. After a
 * failed fsync the kernel may have dropped the pages it could not write, so a later fsync that succeeds
 * proves nothing; the log goes offline, and acknowledges nothing written since the last good fsync.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FsyncFailureTest {

    private static final FileLogConfig SMALL = FileLogConfig.defaults().withSegmentBytes(300).withIndexIntervalBytes(100);

    @TempDir
    Path dataDir;
    private final FaultyDisk disk = new FaultyDisk();
    private final List<FileLog> opened = new ArrayList<>();

    private FileLog open(FileLogConfig config) {
        FileLog log = FileLog.open(dataDir, "orders", 0, config, Clock.systemUTC(), Archive.discard(), disk.opener());
        opened.add(log);
        return log;
    }

    @AfterEach
    void closeAll() {
        disk.forceFailure = null;
        for (FileLog log : opened) {
            try {
                log.close();
            } catch (UncheckedIOException expectedForSomeTests) {
                // a log whose last flush failed cannot close cleanly; its files are closed all the same
            }
        }
    }

    @Test
    void a_failed_fsync_takes_the_log_offline_and_the_append_is_not_acknowledged() {
        FileLog log = open(SMALL.withDurability(Durability.fsyncEachAppend()));
        assertEquals(0, log.append(order(0)));
        disk.forceFailure = new IOException("Input/output error");

        UncheckedIOException error = assertThrows(UncheckedIOException.class, () -> log.append(order(1)));

        assertEquals("fsync failed, so the append is not acknowledged, nor is anything written after the last good"
                + " fsync: IOException: Input/output error", error.getMessage());
        assertTrue(log.isOffline(), "a failed fsync takes the log offline");
        disk.forceFailure = null; // the disk seems fine again, but the pages it dropped are gone
        long forcesBefore = disk.forces.get();
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> log.append(order(2)));
        assertEquals("the log in " + log.directory() + " is offline after a failed write or fsync (IOException:"
                + " Input/output error): close it and open it again to recover", refused.getMessage());
        assertThrows(IllegalStateException.class, () -> log.read(0), "reads stop too, as for an offline log dir");
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

        FileLog other = FileLog.open(dataDir, "refunds", 0, SMALL, Clock.systemUTC(), Archive.discard(), disk.opener());
        opened.add(other);
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
        disk.forceFailure = new IOException("Input/output error");
        FileLog log = open(FileLogConfig.defaults().withDurability(Durability.fsyncEvery(Duration.ofMillis(1))));
        try {
            log.append(order(0));
        } catch (IllegalStateException offlineAlready) {
            // the background fsync runs every millisecond and may fail, taking the log offline, before this append
        }
        assertTrue(disk.firstForce.await(10, TimeUnit.SECONDS), "the background fsync ran");
        Thread background = disk.lastForcingThread;
        background.join(10_000);
        assertFalse(background.isAlive(), "after its first failure the background fsync stops for good");
        assertTrue(log.isOffline(), "and the log is offline");
        assertThrows(IllegalStateException.class, () -> log.append(order(1)));
    }

    @Test
    void an_fsync_still_running_when_the_log_closes_is_durable_because_close_forced_first() throws Exception {
        FileLog log = open(SMALL.withDurability(Durability.fsyncEachAppend()));
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
        FileLog log = FileLog.open(dataDir, "orders", 0, SMALL.withRetention(Duration.ofMinutes(1))
                .withDurability(Durability.fsyncEachAppend()), clock, Archive.discard(), disk.opener());
        opened.add(log);
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
        assertFalse(Files.exists(log.directory().resolve(PartitionDirectory.CLEAN_SHUTDOWN)), "and no clean marker");
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
        Files.delete(log.directory().resolve(PartitionDirectory.CLEAN_SHUTDOWN)); // as after a crash, so opening
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
