package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestConfigs.SMALL;
import static toykafka.lesson08.TestRecords.START;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.archive.Archive;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;
import toykafka.lesson09.FileLog;

/**
 * A Java file channel closes itself for every thread when an interrupted thread touches it. The log is
 * shared, so one interrupted thread must not take it away from the others, nor lose its own interrupt.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InterruptTest {

    @TempFileLogs
    FileLogs logs;

    private FileLog open(TopicConfig config, DiskFile.Opener opener) {
        return logs.open(dir -> FileLog.open(dir, "orders", 0, config, Clock.systemUTC(), Archive.discard(), opener));
    }

    @AfterEach
    void clearTheInterrupt() {
        Thread.interrupted(); // a failed test must not leave the flag for the next one, nor for the logs' close
    }

    private static void appendOrders(FileLog log, int from, int count) {
        for (int i = from; i < from + count; i++) {
            log.append(order(i));
        }
    }

    @Test
    void a_reader_whose_interrupt_flag_is_set_neither_breaks_the_log_nor_loses_its_interrupt() {
        FileLog log = open(SMALL, DiskFile.Opener.DEFAULT);
        appendOrders(log, 0, 20);

        Thread.currentThread().interrupt();
        Seen seen = new Seen(log.read(3), log.readBatch(6, 2), log.fetch(7, ByteBuffer.allocate(1024)).batches().size(),
                log.locate(8).offset(), log.offsetForTime(START.plusSeconds(9)));
        assertTrue(Thread.interrupted(), "every read kept the thread's interrupt for it");

        long endOfSegmentHolding7 = log.segments().stream().filter(segment -> segment.nextOffset() > 7).findFirst()
                .orElseThrow().nextOffset();
        assertEquals(new Seen(order(3), List.of(order(6), order(7)), endOfSegmentHolding7 - 7, 8,
                OptionalLong.of(9)), seen);
        assertEquals(order(3), log.read(3), "later reads work");
        assertEquals(20, log.append(order(20)), "and so do appends");
        assertFalse(log.isOffline());
    }

    /** What the interrupted reads returned. */
    private record Seen(Record read, List<Record> batch, long fetched,
                           long located, OptionalLong byTime) {
    }

    @Test
    void an_interrupted_appender_rolls_fsyncs_and_closes_the_log_and_keeps_its_interrupt() {
        FileLog log = open(SMALL.with(TopicConfig.FLUSH_MESSAGES, 1), DiskFile.Opener.DEFAULT);
        for (int i = 0; i < 20; i++) {
            Thread.currentThread().interrupt();
            assertEquals(i, log.append(order(i)));
            assertTrue(Thread.interrupted(), "append " + i + " kept the thread's interrupt");
        }
        assertTrue(log.segments().size() >= 3, "the appends rolled, writing checkpoints: " + log.segments());
        Thread.currentThread().interrupt();
        log.close();
        assertTrue(Thread.interrupted(), "close kept the thread's interrupt");

        FileLog reopened = open(SMALL, DiskFile.Opener.DEFAULT);
        assertTrue(reopened.recoveryReport().cleanShutdown(), "the interrupted close finished its work");
        assertEquals(order(19), reopened.read(19));
    }

    @Test
    void a_file_that_an_interrupt_closed_for_everyone_is_opened_again() throws Exception {
        FaultyDisk disk = new FaultyDisk();
        FileLog log = open(SMALL, disk.opener());
        appendOrders(log, 0, 10);
        String activeName = log.segments().get(log.segments().size() - 1).name();
        FaultyDisk.Channel active = disk.channelOf(activeName);

        closeByInterrupt(active);

        assertEquals(order(9), log.read(9), "the log opened the file again and read on");
        assertEquals(10, log.append(order(10)));
        log.flush();
        assertFalse(log.isOffline());
        assertNotSame(active, disk.channelOf(activeName), "a new channel replaced the closed one");
    }

    @Test
    void a_failure_message_names_what_failed_and_never_ends_in_null() throws Exception {
        assertEquals("ClosedByInterruptException", PartitionDirectory.describe(new ClosedByInterruptException()));
        FaultyDisk disk = new FaultyDisk();
        FileLog log = open(SMALL, disk.opener());
        appendOrders(log, 0, 3);
        closeByInterrupt(disk.channelOf("00000000000000000000.log"));
        disk.refuseToOpen = ".log"; // so the file cannot be opened again

        UncheckedIOException error = assertThrows(UncheckedIOException.class, () -> log.read(1));

        assertEquals("cannot read offset 1 from " + log.directory() + ": IOException: refused to open"
                + " 00000000000000000000.log, as the test asked", error.getMessage());
        disk.refuseToOpen = null;
        assertEquals(order(1), log.read(1), "once the file opens again, so does the log");
    }

    /** What happens when an interrupted thread touches a channel: the JDK closes it, for every thread. */
    private static void closeByInterrupt(FaultyDisk.Channel channel) throws InterruptedException {
        Thread intruder = new Thread(() -> {
            Thread.currentThread().interrupt();
            try {
                channel.real.size();
            } catch (IOException expected) {
                // ClosedByInterruptException
            }
        });
        intruder.start();
        intruder.join();
        assertFalse(channel.real.isOpen(), "the interrupt closed the channel");
    }
}
