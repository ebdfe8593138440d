package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestConfigs.SMALL;
import static toykafka.lesson08.TestRecords.START;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.archive.Archive;
import toykafka.archive.ArchiveReason;
import toykafka.archive.ArchivedEvent;
import toykafka.archive.CsvArchive;
import toykafka.clock.ManualClock;
import toykafka.common.Record;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;
import toykafka.tools.SegmentDump;
import toykafka.common.TopicConfig;
import toykafka.lesson08.SegmentInfo;
import toykafka.common.FetchedBatches;
import toykafka.lesson08.FaultyDisk;

/** The file log's own promises: segments, rolling, indexes, reopening, retention and its archive. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FileLogStorageTest {

    @TempFileLogs
    FileLogs logs;
    private final ManualClock clock = new ManualClock(START);

    private FileLog open(TopicConfig config) {
        return open(config, Archive.discard());
    }

    private FileLog open(TopicConfig config, Archive archive) {
        return logs.open(dir -> FileLog.open(dir, "orders", 0, config, clock, archive));
    }

    private static void appendOrders(FileLog log, int from, int count) {
        for (int i = from; i < from + count; i++) {
            log.append(order(i));
        }
    }

    private List<String> files() throws IOException {
        try (Stream<Path> list = Files.list(logs.dir().resolve("orders-0"))) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void a_partition_is_a_directory_of_segments_named_by_their_20_digit_base_offset() throws IOException {
        FileLog log = open(SMALL);
        appendOrders(log, 0, 20);
        List<SegmentInfo> segments = log.segments();
        assertTrue(segments.size() >= 3, "20 records of about 50 bytes need 4 segments of 300 bytes: " + segments);
        for (SegmentInfo segment : segments) {
            String base = String.format("%020d", segment.baseOffset());
            assertTrue(files().containsAll(List.of(base + ".log", base + ".index", base + ".timeindex")),
                    "segment " + base + " should have its three files: " + files());
        }
        assertEquals("00000000000000000000.log", segments.get(0).name());
        assertTrue(files().contains(Checkpoints.RECOVERY_POINT), "rolling writes the recovery point");
    }

    @Test
    void segments_roll_before_they_pass_segment_bytes_and_their_offsets_follow_on() {
        FileLog log = open(SMALL);
        appendOrders(log, 0, 40);
        long expectedBase = 0;
        for (SegmentInfo segment : log.segments()) {
            assertEquals(expectedBase, segment.baseOffset(), "each segment starts where the one before ended");
            assertTrue(segment.bytes() <= 300, segment + " is larger than segment.bytes");
            expectedBase = segment.nextOffset();
        }
        assertEquals(40, expectedBase);
        for (int i = 0; i < 40; i++) {
            assertEquals(order(i), log.read(i), "offset " + i + " read across segments");
        }
    }

    @Test
    void a_batch_larger_than_a_segment_gets_a_segment_of_its_own() {
        FileLog log = open(SMALL);
        appendOrders(log, 0, 2);
        List<Record> big = new ArrayList<>();
        for (int i = 2; i < 12; i++) {
            big.add(order(i));
        }
        assertEquals(2, log.appendAll(big));
        List<SegmentInfo> segments = log.segments();
        assertEquals(2, segments.size(), "the log rolled once, for the big batch: " + segments);
        assertEquals(2, segments.get(1).baseOffset());
        assertEquals(10, segments.get(1).records(), "the whole batch stays together");
    }

    @Test
    void a_segment_rolls_when_a_record_is_stamped_segment_ms_after_its_first() {
        FileLog log = open(TopicConfig.defaults().with(TopicConfig.SEGMENT_MS, Duration.ofHours(1).toMillis()));
        log.append(Record.of(null, "breakfast", START));
        log.append(Record.of(null, "elevenses", START.plus(Duration.ofMinutes(59))));
        assertEquals(1, log.segments().size(), "59 minutes after the first record: no roll yet");
        log.append(Record.of(null, "lunch", START.plus(Duration.ofHours(1))));
        assertEquals(List.of(0L, 2L), log.segments().stream().map(SegmentInfo::baseOffset).toList(),
                "a record stamped an hour after the segment's first starts a new segment");
    }

    @Test
    void the_sparse_index_has_an_entry_each_index_interval_bytes_and_each_points_at_its_record() {
        FileLog log = open(TopicConfig.defaults().with(TopicConfig.INDEX_INTERVAL_BYTES, 200));
        appendOrders(log, 0, 100); // about 5000 bytes, in frames of about 50
        log.flush();
        SegmentInfo segment = log.segments().get(0);
        assertTrue(segment.indexEntries() >= segment.bytes() / (200 + 51) && segment.indexEntries() <= segment.bytes() / 200,
                "one entry per 200 to 250 bytes of " + segment.bytes() + ": " + segment);
        SegmentDump.Verification verification = SegmentDump.verify(log.directory().resolve(segment.name()));
        assertTrue(verification.ok(), verification.toString());
        assertEquals(segment.indexEntries(), verification.indexEntries());
    }

    @Test
    void records_indexes_and_timestamps_survive_a_clean_close_and_reopen() {
        FileLog log = open(SMALL.with(TopicConfig.INDEX_INTERVAL_BYTES, 80));
        appendOrders(log, 0, 30);
        List<SegmentInfo> before = log.segments();
        log.close();

        FileLog reopened = open(SMALL.with(TopicConfig.INDEX_INTERVAL_BYTES, 80));
        assertTrue(reopened.recoveryReport().cleanShutdown(), reopened.recoveryReport().toString());
        assertEquals(List.of(), reopened.recoveryReport().segmentsScanned(), "after a clean shutdown no record is read");
        assertEquals(before, reopened.segments(), "the same segments, sizes, index entries and newest timestamps");
        for (int i = 0; i < 30; i++) {
            assertEquals(order(i), reopened.read(i));
        }
        assertEquals(OptionalLong.of(17), reopened.offsetForTime(START.plusSeconds(17)), "the time index came back too");
        assertEquals(30, reopened.append(order(30)), "appends continue at the end offset");
    }

    @Test
    void offset_for_time_looks_in_the_right_segment() {
        FileLog log = open(SMALL);
        appendOrders(log, 0, 40);
        for (int second = 0; second < 40; second += 3) {
            assertEquals(OptionalLong.of(second), log.offsetForTime(START.plusSeconds(second)));
        }
        assertEquals(OptionalLong.of(21), log.offsetForTime(START.plusMillis(20_001)));
    }

    @Test
    void fetch_hands_out_checked_batches_and_never_crosses_a_segment() {
        FileLog log = open(SMALL);
        appendOrders(log, 0, 12);
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        FetchedBatches fetched = log.fetch(1, buffer);
        SegmentInfo first = log.segments().get(0);
        assertEquals(1, fetched.batches().get(0).baseOffset());
        assertEquals(first.nextOffset(), fetched.nextOffset(), "a fetch stops at the end of its segment");
        assertEquals(List.of(order(1), order(2)), fetched.records(2));
        FetchedBatches small = log.fetch(0, ByteBuffer.allocate(10));
        assertEquals(1, small.batches().size(), "a buffer too small for one batch still gets one, in a larger buffer");
        assertTrue(log.fetch(12, buffer).isEmpty(), "at the end offset there is nothing to fetch");
    }

    @Test
    void retention_by_age_archives_then_deletes_whole_segments() throws IOException {
        CsvArchive archive = new CsvArchive(logs.dir().resolve("retired.csv"));
        FileLog log = open(SMALL.with(TopicConfig.RETENTION_MS, Duration.ofHours(1).toMillis()), archive);
        appendOrders(log, 0, 40); // stamped START .. START+39s
        List<SegmentInfo> segments = log.segments();
        clock.advance(Duration.ofHours(1).plusSeconds(10)); // records up to +9s are now over an hour old

        List<SegmentInfo> deleted = log.applyRetention();

        long firstKept = deleted.get(deleted.size() - 1).nextOffset();
        assertTrue(firstKept <= 10, "only segments whose newest record is older than an hour go: " + deleted);
        assertEquals(segments.subList(0, deleted.size()), deleted);
        assertEquals(firstKept, log.earliest(), "the log start offset moves to the first kept segment");
        assertFalse(files().contains("00000000000000000000.log"), "the oldest segment's files are gone");
        assertFalse(files().contains("00000000000000000000.index"));
        List<ArchivedEvent> rows = CsvArchive.read(archive.file());
        assertEquals(firstKept, rows.size(), "every deleted record is in the archive");
        for (int i = 0; i < rows.size(); i++) {
            ArchivedEvent row = rows.get(i);
            assertEquals(new ArchivedEvent("orders", 0, i, START.plusSeconds(i), "till-" + (i % 3), "order-" + i,
                    ArchiveReason.RETENTION, clock.instant()), row);
        }
        assertThrows(toykafka.common.OffsetOutOfRangeException.class, () -> log.read(0));
        assertEquals(order(39), log.read(39));
    }

    @Test
    void when_every_record_has_expired_the_log_is_empty_but_keeps_its_end_offset() {
        FileLog log = open(SMALL.with(TopicConfig.RETENTION_MS, Duration.ofMinutes(5).toMillis()));
        appendOrders(log, 0, 12);
        clock.advance(Duration.ofHours(1));
        log.applyRetention();
        assertEquals(12, log.earliest(), "everything expired, the active segment too");
        assertEquals(12, log.endOffset(), "offsets are never reused: the end offset stays");
        assertEquals(0, log.size());
        assertEquals(12, log.append(order(12)), "the next append continues the numbering");
        log.close();
        FileLog reopened = open(SMALL.with(TopicConfig.RETENTION_MS, Duration.ofMinutes(5).toMillis()));
        assertEquals(12, reopened.earliest(), "the log start offset survives a reopen");
    }

    @Test
    void retention_by_bytes_deletes_old_segments_while_the_rest_still_fills_the_limit() {
        FileLog log = open(SMALL.with(TopicConfig.RETENTION_BYTES, 700));
        appendOrders(log, 0, 40);
        assertTrue(log.applyRetention().size() >= 2, "2000 bytes in 300-byte segments, 700 kept: several go");
        long total = log.segments().stream().mapToLong(SegmentInfo::bytes).sum();
        assertTrue(total >= 700, "as in Kafka, a segment goes only if at least retention.bytes remain: " + total);
        assertTrue(total - log.segments().get(0).bytes() < 700, "and no more than that: " + log.segments());
        assertEquals(40, log.endOffset());
        assertEquals(order(39), log.read(-1));
    }

    @Test
    void retention_by_bytes_never_deletes_the_active_segment() {
        FileLog log = open(SMALL.with(TopicConfig.RETENTION_BYTES, 0));
        appendOrders(log, 0, 12);
        log.applyRetention();
        assertEquals(1, log.segments().size(), "only the active segment is left: " + log.segments());
        assertTrue(log.size() > 0, "and it still holds its records");
    }

    @Test
    void if_the_archive_fails_the_segment_and_its_records_stay() {
        Archive failing = rows -> {
            throw new UncheckedIOException(new IOException("disk full"));
        };
        FileLog log = open(SMALL.with(TopicConfig.RETENTION_MS, Duration.ofMinutes(1).toMillis()), failing);
        appendOrders(log, 0, 12);
        clock.advance(Duration.ofHours(1));
        UncheckedIOException error = assertThrows(UncheckedIOException.class, log::applyRetention);
        assertTrue(error.getMessage().contains("disk full"), error.getMessage());
        assertEquals(0, log.earliest(), "nothing was deleted");
        assertEquals(order(0), log.read(0));
    }

    @Test
    void fsync_per_append_with_concurrent_appenders_keeps_every_record_once() throws InterruptedException {
        FileLog log = open(SMALL.with(TopicConfig.SEGMENT_BYTES, 2048).with(TopicConfig.FLUSH_MESSAGES, 1));
        int threads = 4;
        int each = 25;
        List<Thread> appenders = new ArrayList<>();
        List<Long> offsets = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int till = t;
            appenders.add(new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    offsets.add(log.append(Record.of("till-" + till, till + "/" + i, START)));
                }
            }));
        }
        appenders.forEach(Thread::start);
        for (Thread appender : appenders) {
            appender.join();
        }
        assertEquals(threads * each, log.endOffset());
        assertEquals(threads * each, offsets.stream().distinct().count(), "every append got its own offset");
        List<List<String>> byTill = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            byTill.add(new ArrayList<>());
        }
        for (long offset = 0; offset < log.endOffset(); offset++) {
            Record record = log.read(offset);
            byTill.get(record.keyText().charAt(5) - '0').add(record.valueText());
        }
        for (int t = 0; t < threads; t++) {
            int till = t;
            assertEquals(java.util.stream.IntStream.range(0, each).mapToObj(i -> till + "/" + i).toList(),
                    byTill.get(t), "each appender's records are all there, in its own order");
        }
    }

    @Test
    void fsync_on_an_interval_forces_appended_records_in_the_background_and_stops_at_close()
            throws InterruptedException {
        FaultyDisk disk = new FaultyDisk(); // a real disk that counts fsyncs
        FileLog log = FileLog.open(logs.dir(), "orders", 0, TopicConfig.defaults()
                .with(TopicConfig.FLUSH_MS, Duration.ofMillis(5).toMillis()), clock, Archive.discard(), disk.opener());
        appendOrders(log, 0, 10);
        assertTrue(disk.firstForce.await(10, TimeUnit.SECONDS), "an fsync ran though nobody asked for one");
        Thread background = disk.lastForcingThread;
        assertEquals("toykafka-periodic-fsync", background.getName(), "on the background thread");
        log.close();
        background.join(10_000);
        assertFalse(background.isAlive(), "close stops the background thread");
        assertEquals(order(9), open(TopicConfig.defaults()).read(9));
    }

    @Test
    void a_closed_log_refuses_to_be_used() {
        FileLog log = open(SMALL);
        log.append(order(0));
        log.close();
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> log.append(order(1)));
        assertTrue(error.getMessage().endsWith("orders-0 is closed"), error.getMessage());
        log.close(); // closing twice is harmless
    }
}
