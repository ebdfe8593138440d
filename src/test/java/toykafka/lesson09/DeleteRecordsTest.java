package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.archive.Archive;
import toykafka.archive.ArchiveReason;
import toykafka.archive.ArchivedEvent;
import toykafka.clock.ManualClock;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.lesson08.SegmentInfo;
import toykafka.lesson08.DiskFile;
import toykafka.lesson08.PartitionDirectory;

/** Kafka's deleteRecords on the file log: archive first, then move the log start offset, then delete. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DeleteRecordsTest {

    private static final Instant NOON = Instant.parse("2024-03-01T12:00:00Z");
    /** About three batches of one order per segment. */
    private static final TopicConfig SMALL = TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 256);
    /** Small segments whose records expire a minute after their timestamp. */
    private static final TopicConfig EXPIRING = SMALL.with(TopicConfig.RETENTION_MS, Duration.ofMinutes(1).toMillis());

    @TempDir
    Path dataDir;
    private final List<ArchivedEvent> archived = new ArrayList<>();
    private final ManualClock clock = new ManualClock(NOON);

    private FileLog open(TopicConfig config, Archive archive) {
        return FileLog.open(dataDir, "orders", 0, config, clock, archive, DiskFile.Opener.DEFAULT);
    }

    private FileLog withTwelveOrders() {
        FileLog log = open(SMALL, archived::addAll);
        for (int i = 0; i < 12; i++) {
            log.append(Record.of("till-" + i % 3, "order " + i, NOON.plusSeconds(i)));
        }
        return log;
    }

    /** Appends "order 0" to "order 11", all keyed till-1, a second apart from noon. */
    private static void appendTwelveOrdersOfOneTill(FileLog log) {
        for (int i = 0; i < 12; i++) {
            log.append(Record.of("till-1", "order " + i, NOON.plusSeconds(i)));
        }
    }

    private List<Long> archivedOffsets() {
        return archived.stream().map(ArchivedEvent::offset).toList();
    }

    @Test
    void the_records_below_go_to_the_archive_then_the_start_moves_and_whole_segments_below_are_deleted() {
        try (FileLog log = withTwelveOrders()) {
            int segmentsBefore = log.segments().size();
            assertEquals(7, log.deleteRecordsBefore(7));
            assertEquals(7, log.earliest());
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), archivedOffsets());
            assertTrue(archived.stream().allMatch(row -> row.reason() == ArchiveReason.ARCHIVE));
            assertEquals("order 0", archived.get(0).value());
            assertTrue(log.segments().size() < segmentsBefore, "segments wholly below offset 7 are gone");
            assertTrue(log.segments().get(0).baseOffset() <= 7, "the segment holding offset 7 stays");
            var refused = assertThrows(OffsetOutOfRangeException.class, () -> log.read(6));
            assertTrue(refused.getMessage().contains("7..11"), refused.getMessage());
            assertEquals("order 7", log.read(7).valueText());
            assertEquals("order 7", log.readBatch(7, 100).get(0).valueText(), "a batch read starts at the new start");
            assertEquals(12, log.append(Record.of("till-0", "order 12", NOON)), "offsets go on from the end");
        }
    }

    @Test
    void the_new_start_holds_after_a_clean_restart_and_after_a_crash() {
        try (FileLog log = withTwelveOrders()) {
            log.deleteRecordsBefore(4);
        }
        try (FileLog reopened = open(SMALL, archived::addAll)) {
            assertEquals(4, reopened.earliest());
            assertEquals(12, reopened.endOffset());
            reopened.deleteRecordsBefore(9);
            reopened.simulateCrash();
        }
        try (FileLog recovered = open(SMALL, archived::addAll)) {
            assertEquals(9, recovered.earliest(), "the checkpoint was written before the crash");
            assertEquals("order 9", recovered.read(9).valueText());
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), archivedOffsets(), "each record archived once");
        }
    }

    @Test
    void deleting_up_to_the_end_leaves_an_empty_log_that_keeps_its_offsets() {
        try (FileLog log = withTwelveOrders()) {
            log.deleteRecordsBefore(12);
            assertEquals(0, log.size());
            assertEquals(12, log.earliest());
            assertEquals(12, log.append(Record.of("till-1", "order 12", NOON)));
        }
    }

    @Test
    void a_negative_offset_or_one_past_the_end_is_refused_with_the_range_and_changes_nothing() {
        try (FileLog log = withTwelveOrders()) {
            log.deleteRecordsBefore(3);
            var past = assertThrows(OffsetOutOfRangeException.class, () -> log.deleteRecordsBefore(13));
            assertTrue(past.getMessage().contains("from 0 to the end offset 12"), past.getMessage());
            assertEquals(3, past.logStartOffset());
            assertThrows(OffsetOutOfRangeException.class, () -> log.deleteRecordsBefore(-1));
            assertEquals(3, log.earliest());
            assertEquals(3, archived.size());
        }
    }

    @Test
    void an_offset_at_or_below_the_start_changes_nothing_so_a_repeated_request_is_harmless() {
        try (FileLog log = withTwelveOrders()) {
            log.deleteRecordsBefore(5);
            assertEquals(5, log.deleteRecordsBefore(5));
            assertEquals(5, log.deleteRecordsBefore(2), "as Kafka: the start never moves back");
            assertEquals(5, log.earliest());
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L), archivedOffsets(), "nothing archived twice");
        }
    }

    @Test
    void a_crash_after_the_archive_but_before_the_checkpoint_loses_nothing() {
        List<FileLog> opened = new ArrayList<>();
        Archive crashesAfterWriting = rows -> {
            archived.addAll(rows);
            opened.get(0).simulateCrash(); // the process dies as the archive's rows reach its file
        };
        FileLog log = open(SMALL, crashesAfterWriting);
        opened.add(log);
        appendTwelveOrdersOfOneTill(log);
        assertThrows(IllegalStateException.class, () -> log.deleteRecordsBefore(5));

        try (FileLog recovered = open(SMALL, archived::addAll)) {
            assertEquals(0, recovered.earliest(), "no checkpoint was written, so every record is still there");
            assertEquals("order 0", recovered.read(0).valueText());
            assertEquals(12, recovered.endOffset());
            int rowsBeforeTheCrash = archived.size();
            assertTrue(rowsBeforeTheCrash > 0, "the crash came after the archive took rows");
            recovered.deleteRecordsBefore(5);
            List<Long> offsets = archivedOffsets();
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L), offsets.subList(rowsBeforeTheCrash, offsets.size()),
                    "archived again in full: some rows are in the archive twice, none is missing: " + offsets);
            assertEquals(5, recovered.earliest());
        }
    }

    @Test
    void a_crash_after_the_checkpoint_never_brings_a_record_back_and_the_next_open_deletes_the_segments_below()
            throws Exception {
        Path dir;
        List<Long> basesBefore;
        try (FileLog log = withTwelveOrders()) {
            dir = log.directory();
            basesBefore = log.segments().stream().map(SegmentInfo::baseOffset).toList();
        }
        Checkpoints.writeLogStartOffset(dir, 7); // the process stopped before deleting any segment
        assertEquals(basesBefore, PartitionDirectory.segmentBaseOffsets(dir));

        try (FileLog reopened = open(SMALL, archived::addAll)) {
            assertEquals(7, reopened.earliest());
            assertThrows(OffsetOutOfRangeException.class, () -> reopened.read(6));
            assertEquals("order 7", reopened.readBatch(7, 1).get(0).valueText());
            List<Long> bases = PartitionDirectory.segmentBaseOffsets(dir);
            assertTrue(bases.size() < basesBefore.size(), "segments wholly below 7 are gone: " + bases);
            assertTrue(bases.get(0) <= 7 && bases.get(0) > 0, "the segment holding 7 stays: " + bases);
        }
    }

    @Test
    void retention_goes_on_working_after_a_delete_and_a_restart() {
        try (FileLog log = open(EXPIRING, archived::addAll)) {
            appendTwelveOrdersOfOneTill(log);
            log.deleteRecordsBefore(7);
        }
        try (FileLog reopened = open(EXPIRING, archived::addAll)) {
            clock.advance(Duration.ofHours(1));
            reopened.applyRetention();
            assertEquals(12, reopened.earliest(), "every record expired");
            assertEquals(12, reopened.append(Record.of("till-1", "order 12", clock.instant())));
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L), archivedOffsets(),
                    "each record archived once: 0 to 6 by the delete, the rest by retention");
            assertTrue(archived.stream().skip(7).allMatch(row -> row.reason() == ArchiveReason.RETENTION));
        }
    }

    @Test
    void if_the_archive_fails_nothing_moves_and_nothing_is_deleted() throws Exception {
        try (FileLog log = open(SMALL, rows -> {
            throw new IllegalStateException("the archive disk is full");
        })) {
            appendTwelveOrdersOfOneTill(log);
            List<SegmentInfo> segments = log.segments();
            assertThrows(IllegalStateException.class, () -> log.deleteRecordsBefore(8));
            assertEquals(0, log.earliest());
            assertEquals(segments, log.segments());
            try (Stream<Path> files = Files.list(log.directory())) {
                assertFalse(files.anyMatch(file -> file.getFileName().toString().equals("log-start-offset-checkpoint")));
            }
        }
    }

    @Test
    void retention_after_a_delete_archives_only_what_the_delete_did_not() {
        try (FileLog log = open(EXPIRING, archived::addAll)) {
            appendTwelveOrdersOfOneTill(log);
            log.deleteRecordsBefore(2);
            clock.advance(Duration.ofHours(1));
            log.applyRetention();
            List<Long> offsets = archivedOffsets();
            assertEquals(offsets.stream().distinct().toList(), offsets, "no record is archived twice: " + offsets);
            assertEquals(List.of(0L, 1L), offsets.subList(0, 2));
            assertTrue(archived.stream().skip(2).allMatch(row -> row.reason() == ArchiveReason.RETENTION));
        }
    }
}
