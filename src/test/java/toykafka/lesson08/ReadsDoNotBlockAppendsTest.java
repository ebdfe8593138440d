package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.archive.Archive;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.lesson09.FileLog;

/** A broker's readers and writers share each log: a read holds the lock only to find its bytes. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReadsDoNotBlockAppendsTest {

    @TempDir
    Path dataDir;

    private static List<Record> orders(int count, int size, long firstTime) {
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new Record(("till-" + i).getBytes(), ("x".repeat(size - 1) + i % 10).getBytes(),
                    Instant.ofEpochMilli(firstTime + i), List.of()));
        }
        return records;
    }

    @Test
    void an_append_completes_while_a_read_is_stopped_in_the_middle_of_reading_records() throws Exception {
        FaultyDisk disk = new FaultyDisk();
        try (FileLog log = FileLog.open(dataDir, "orders", 0, TopicConfig.defaults(), Clock.systemUTC(),
                Archive.discard(), disk.opener())) {
            List<Record> stored = orders(10, 1024, 0);
            log.appendAll(stored);
            disk.recordReadGate = new CountDownLatch(1);
            CompletableFuture<List<Record>> reading = CompletableFuture.supplyAsync(() -> log.readBatch(0, 10));
            assertTrue(disk.recordReadWaiting.await(10, TimeUnit.SECONDS), "the read reached the records");

            CompletableFuture<Long> appending = CompletableFuture.supplyAsync(() -> log.append(orders(1, 10, 99).get(0)));
            assertEquals(10L, appending.get(10, TimeUnit.SECONDS),
                    "the append went in while the read was stopped inside the file: the read holds no lock there");

            disk.recordReadGate.countDown();
            assertEquals(stored, reading.get(10, TimeUnit.SECONDS), "the read still returns what it asked for");
        }
    }

    @Test
    void reads_racing_appends_and_retention_see_whole_records_or_a_clear_out_of_range() throws Exception {
        TopicConfig small = TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 4096).with(TopicConfig.RETENTION_BYTES, 16384);
        try (FileLog log = FileLog.open(dataDir, "orders", 0, small)) {
            AtomicBoolean done = new AtomicBoolean();
            List<Throwable> wrong = new ArrayList<>();
            Thread reader = new Thread(() -> {
                Random random = new Random(3);
                while (!done.get()) {
                    long end = log.endOffset();
                    long start = log.earliest();
                    if (end == start) {
                        continue;
                    }
                    long from = start + (long) (random.nextDouble() * (end - start));
                    try {
                        List<Record> read = log.readBatch(from, 50);
                        for (int i = 0; i < read.size(); i++) {
                            long expectedTime = from + i; // each record is stamped with its own offset
                            if (read.get(i).timestamp().toEpochMilli() != expectedTime) {
                                throw new AssertionError("offset " + (from + i) + " read a record stamped "
                                        + read.get(i).timestamp().toEpochMilli());
                            }
                        }
                    } catch (OffsetOutOfRangeException retentionWasFirst) {
                        // retention deleted the segment between the choice of offset and the read: allowed
                    } catch (Throwable e) {
                        synchronized (wrong) {
                            wrong.add(e);
                        }
                        return;
                    }
                }
            });
            reader.start();
            for (int batch = 0; batch < 400; batch++) {
                log.appendAll(orders(10, 100, batch * 10L));
                if (batch % 20 == 0) {
                    log.applyRetention();
                }
            }
            done.set(true);
            reader.join();
            assertEquals(List.of(), wrong);
            assertTrue(log.earliest() > 0, "retention ran and deleted segments while the reader read");
        }
    }
}
