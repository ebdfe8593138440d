package toykafka.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.archive.Archive;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.lesson08.FileSlice;
import toykafka.lesson08.SegmentInfo;
import toykafka.lesson09.DataDirectoryOwner;
import toykafka.lesson09.FileLog;
import toykafka.lesson09.SegmentSwap;
import toykafka.lesson12.RetainedBatches;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;

/**
 * Partitions whose logs share a bound on open files: idle files are closed and opened again on demand, and
 * no read, append, zero-copy send or cleaning ever finds a file closed under it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BoundedOpenFilesTest {

    /** About 6 records a segment: every partition below has several. */
    private static final TopicConfig SMALL = TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 300)
            .with(TopicConfig.INDEX_INTERVAL_BYTES, 100);

    @TempFileLogs
    FileLogs fileLogs;

    /** The data directory's owner, as a storage is after a start without a clean-shutdown marker: it trusts no log. */
    private final DataDirectoryOwner owner = new DataDirectoryOwner() {
        @Override
        public boolean opening(Path dir) {
            return false;
        }

        @Override
        public void closed(Path dir, boolean cleanly) {
        }
    };

    private FileLog open(String topic, int partition, OpenFiles bound) {
        return fileLogs.open(dir -> FileLog.openOwned(dir, topic, partition, SMALL, java.time.Clock.systemUTC(),
                Archive.discard(), bound, owner));
    }

    private static long openDescriptors() {
        return ((com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getOpenFileDescriptorCount();
    }

    private static Record value(String value) {
        return Record.of(null, value, Instant.parse("2026-11-25T10:00:00Z"));
    }

    /** Every record's value, read a segment at a time. */
    private static List<String> values(FileLog log) {
        List<String> values = new ArrayList<>();
        long end = log.endOffset();
        for (long from = log.earliest(); from < end; ) {
            List<toykafka.common.OffsetRecord> records = log.readBatchWithOffsets(from, 1000);
            records.forEach(record -> values.add(new String(record.record().value(), StandardCharsets.UTF_8)));
            from = records.get(records.size() - 1).offset() + 1;
        }
        return values;
    }

    @Test
    void a_hundred_partitions_of_several_segments_hold_one_descriptor_each_and_read_back_whole() {
        OpenFiles bound = OpenFiles.atMost(12);
        long before = openDescriptors();
        List<FileLog> logs = new ArrayList<>();
        for (int p = 0; p < 100; p++) {
            FileLog log = open("many", p, bound);
            for (int i = 0; i < 14; i++) {
                log.append(value(p + "/" + i));
            }
            logs.add(log);
        }
        long held = openDescriptors() - before;
        assertTrue(logs.get(0).segments().size() >= 3, "several segments each: " + logs.get(0).segments());
        // every file open would be 3 per segment and a lock per partition: about 1,000 here
        assertTrue(held <= 100 + 12 + 20, held + " descriptors for 100 partitions: each active .log, and at most 12 more"
                + " (and a few the JVM opened meanwhile)");
        for (int p = 0; p < 100; p++) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 14; i++) {
                expected.add(p + "/" + i);
            }
            assertEquals(expected, values(logs.get(p)), "partition " + p);
        }
        assertTrue(bound.reopened() > 0, "files closed for others were opened again: " + bound);
        assertTrue(bound.open() <= 12, bound.toString());
        fileLogs.closeAll();
        OpenFiles again = OpenFiles.atMost(12);
        for (int p = 0; p < 100; p += 17) { // and after a restart
            assertEquals(p + "/13", values(open("many", p, again)).get(13));
        }
    }

    /** Sends the slice whole, as a socket would take it, and returns the bytes. */
    private static byte[] sent(FileSlice slice) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        WritableByteChannel target = Channels.newChannel(bytes);
        long sent = 0;
        while (sent < slice.bytes()) {
            sent += slice.transferOnce(sent, target);
        }
        return bytes.toByteArray();
    }

    /** Orders-0, opened under the bound, holding "order 0" to "order 39". */
    private FileLog fortyOrders(OpenFiles bound) {
        FileLog log = open("orders", 0, bound);
        for (int i = 0; i < 40; i++) {
            log.append(value("order " + i));
        }
        return log;
    }

    /** Reads every segment of the other partitions, so the bound closes the idle files of the one under test. */
    private static void pressure(List<FileLog> others) {
        others.forEach(BoundedOpenFilesTest::values);
    }

    @Test
    void a_slice_cut_before_its_file_was_closed_for_others_is_sent_whole_afterwards() throws IOException {
        OpenFiles bound = OpenFiles.atMost(3);
        FileLog log = fortyOrders(bound);
        List<FileLog> others = List.of(open("other", 0, bound), open("other", 1, bound));
        others.forEach(other -> {
            for (int i = 0; i < 20; i++) {
                other.append(value("x" + i)); // sealed segments of their own, whose reads take the bound's room
            }
        });
        FileSlice slice = log.slice(0, 1 << 20);
        byte[] expected = sent(slice);
        long reopenedBefore = bound.reopened();
        pressure(others);
        assertArrayEquals(expected, sent(slice), "the file is opened again, by name, and sends the same bytes");
        assertTrue(bound.reopened() > reopenedBefore, bound.toString());
    }

    @Test
    void a_slice_of_a_segment_the_cleaner_unlinked_is_still_sent_however_many_files_others_open() throws IOException {
        OpenFiles bound = OpenFiles.atMost(3);
        FileLog log = fortyOrders(bound);
        List<Long> bases = log.segments().stream().map(SegmentInfo::baseOffset).toList();
        FileSlice slice = log.slice(0, 1 << 20);
        byte[] expected = sent(slice);
        // keeps the odd offsets: a file opened again by the old name would find the new segment's other bytes
        SegmentSwap.rewrite(log, bases.get(0), bases.get(2), batch -> RetainedBatches.retain(batch,
                delta -> (batch.baseOffset() + delta) % 2 == 1), bases.get(2));
        List<FileLog> others = List.of(open("other", 0, bound), open("other", 1, bound));
        others.forEach(other -> {
            for (int i = 0; i < 20; i++) {
                other.append(value("x" + i)); // sealed segments of their own, whose reads take the bound's room
            }
        });
        pressure(others);
        assertArrayEquals(expected, sent(slice), "a file without a name is kept open until its grace ends");
        assertEquals(40 - bases.get(2) / 2, values(log).size(), "the even offsets below " + bases.get(2) + " are gone");
    }

    @Test
    void appends_reads_and_zero_copy_sends_on_many_threads_never_find_a_file_closed_under_them() throws Exception {
        OpenFiles bound = OpenFiles.atMost(4);
        int partitions = 12;
        List<FileLog> logs = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            logs.add(open("busy", p, bound));
        }
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        int threads = 4;
        int appendsEach = 150;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            running.add(pool.submit(() -> {
                Random random = new Random(thread);
                for (int i = 0; i < appendsEach; i++) {
                    try {
                        FileLog log = logs.get(random.nextInt(partitions));
                        log.append(value(thread + "/" + i));
                        FileLog reader = logs.get(random.nextInt(partitions));
                        values(reader);
                        if (reader.endOffset() > 0) {
                            sent(reader.slice(reader.earliest(), 4096));
                        }
                        if (i % 50 == 0) {
                            reader.applyRetention(); // nothing is old enough: it looks at every segment all the same
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            }));
        }
        for (Future<?> future : running) {
            future.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertTrue(failures.isEmpty(), "no file was closed under a user: " + failures);
        long total = 0;
        for (FileLog log : logs) {
            total += values(log).size();
        }
        assertEquals((long) threads * appendsEach, total, "every append is read back");
        assertTrue(bound.reopened() > 0, bound.toString());
    }
}
