package toykafka.lesson06;

import static toykafka.check.MessageFacts.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import toykafka.archive.Archive;
import toykafka.archive.ArchiveReason;
import toykafka.archive.ArchivedEvent;
import toykafka.clock.ManualClock;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.lesson02.EventAt;
import toykafka.common.Record;

/**
 * What every compacted log promises. The reference log and a learner's own class both run these tests
 * by extending this class.
 */
@Tag("lesson06")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class CompactedLogContract {

    /** A new, empty compacted log. */
    protected abstract CompactedLog newLog(String topic, int partition, CompactionConfig config, Clock clock,
                                           Archive archive);

    protected static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");

    protected final ManualClock clock = new ManualClock(NOON);
    protected final List<ArchivedEvent> archived = new ArrayList<>();

    /** Segments of 4 offsets, compaction from a dirty ratio of 0.5, tombstones kept for an hour. */
    protected CompactedLog logWithSegmentsOf(int segmentSize) {
        CompactionConfig config = CompactionConfig.segmentsOf(segmentSize).withDeleteRetention(Duration.ofHours(1));
        return newLog("order-status", 0, config, clock, archived::addAll);
    }

    protected Record change(String key, String value) {
        return Record.of(key, value, clock.instant());
    }

    /** Appends key=value pairs written as "k=v"; "k=" appends a tombstone for k. */
    protected void append(CompactedLog log, String... changes) {
        for (String change : changes) {
            String[] parts = change.split("=", -1);
            log.append(change(parts[0], parts[1].isEmpty() ? null : parts[1]));
        }
    }

    /** The offsets the log still holds, read with readFrom. */
    protected static List<Long> heldOffsets(CompactedLog log) {
        return log.fetch(log.earliest(), Integer.MAX_VALUE).stream().map(EventAt::offset).toList();
    }

    @Test
    @Order(1)
    void append_returns_offsets_from_0_and_read_returns_each_record() {
        CompactedLog log = logWithSegmentsOf(4);
        assertEquals(0, log.append(change("271", "placed")), "the first append should return offset 0");
        assertEquals(1, log.append(change("272", "placed")), "the second append should return offset 1");
        assertEquals(change("271", "placed"), log.read(0), "read(0) should return the first record");
        assertEquals(change("272", "placed"), log.read(-1), "read(-1) should return the latest record, as in lesson 1");
        assertEquals(0, log.earliest(), "a new compacted log starts at offset 0");
        assertEquals(2, log.endOffset(), "after 2 appends, endOffset() should be 2");
        assertEquals(2, log.size(), "after 2 appends and no compaction, the log should hold 2 records");
    }

    @Test
    @Order(2)
    void a_record_without_a_key_is_refused_and_nothing_is_appended() {
        CompactedLog log = logWithSegmentsOf(4);
        append(log, "271=placed");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> log.append(change(null, "cod and chips")),
                "appending a record without a key should throw IllegalArgumentException");
        assertTrue(error.getMessage().contains("key"), "the error should say the record has no key, was: "
                + error.getMessage());
        assertEquals(1, log.endOffset(), "a refused record must not take an offset");
    }

    @Test
    @Order(3)
    void a_null_record_is_refused() {
        CompactedLog log = logWithSegmentsOf(4);
        NullPointerException error = assertThrows(NullPointerException.class, () -> log.append(null),
                "append(null) should throw NullPointerException");
        // A bare NullPointerException has no message at all: the learner's check must name what was null.
        assertNotNull(error.getMessage(), "the error should say the record was null, but it has no message");
        assertTrue(error.getMessage().contains("record") && error.getMessage().contains("null"),
                "the error should say the record was null, was: " + error.getMessage());
        assertEquals(0, log.endOffset(), "a refused append must not take an offset");
    }

    @Test
    @Order(4)
    void compaction_keeps_the_latest_record_of_each_key() {
        CompactedLog log = logWithSegmentsOf(4);
        append(log, "271=placed", "272=placed", "271=frying", "272=ready", "273=placed");
        // offsets 0..3 are before the head, which starts at 4
        log.compact();
        assertEquals(List.of(2L, 3L, 4L), heldOffsets(log),
                "compaction should keep 2 (271's latest), 3 (272's latest) and 4 (in the head)");
        assertEquals(change("271", "frying"), log.read(2), "offset 2 should still hold 271=frying");
    }

    @Test
    @Order(5)
    void offsets_never_change_and_compaction_leaves_gaps() {
        CompactedLog log = logWithSegmentsOf(4);
        append(log, "a=1", "a=2", "b=1", "a=3", "b=2");
        Compaction compaction = log.compact();
        assertEquals(List.of(0L, 1L), compaction.removedOffsets(), "compaction should remove a=1 and a=2");
        assertEquals(4, compaction.cleanedUpTo(), "everything before the head (offset 4) is clean afterwards");
        assertEquals(List.of(2L, 3L, 4L), heldOffsets(log), "the survivors keep their offsets: the log now has a gap");
        assertEquals(5, log.endOffset(), "compaction must not change endOffset()");
        assertEquals(3, log.size(), "size() counts the records held, not the offsets");
        assertEquals(5, log.append(change("c", "1")), "the next append still gets the next new offset");
    }

    @Test
    @Order(6)
    void reading_a_removed_offset_fails_and_names_the_next_offset_held() {
        CompactedLog log = logWithSegmentsOf(4);
        append(log, "a=1", "a=2", "a=3", "b=1", "b=2");
        log.compact();
        NoSuchElementException error = assertThrows(NoSuchElementException.class, () -> log.read(1),
                "read(1) after compaction removed offset 1 should throw NoSuchElementException");
        assertTrue(error.getMessage().contains("compaction") && error.getMessage().contains("2"),
                "the error should say offset 1 was removed by compaction and name the next offset held, 2; was: "
                        + error.getMessage());
        assertEquals(change("a", "3"), log.read(2), "read(2) should return a=3, which survived");
        OffsetOutOfRangeException outside = assertThrows(OffsetOutOfRangeException.class, () -> log.read(5),
                "read(5) past the end should still throw lesson 1's OffsetOutOfRangeException");
        assertMentions(outside, 5, 0, 4);
    }

    @Test
    @Order(7)
    void readFrom_a_removed_offset_returns_the_next_record_that_survived() {
        CompactedLog log = logWithSegmentsOf(4);
        append(log, "a=1", "a=2", "b=1", "a=3", "b=2");
        log.compact();
        assertEquals(Optional.of(new EventAt<>(2, change("b", "1"))), log.readFrom(0),
                "readFrom(0) should step over the removed offsets 0 and 1 to b=1 at offset 2");
        assertEquals(Optional.of(new EventAt<>(3, change("a", "3"))), log.readFrom(3),
                "readFrom(3) should return the record at offset 3, which is held");
    }

    @Test
    @Order(8)
    void readFrom_the_end_offset_is_empty_and_past_it_fails() {
        CompactedLog log = logWithSegmentsOf(4);
        append(log, "a=1", "a=2");
        assertEquals(Optional.empty(), log.readFrom(2), "readFrom(endOffset()) should be empty: nothing is there yet");
        OffsetOutOfRangeException error = assertThrows(OffsetOutOfRangeException.class, () -> log.readFrom(3),
                "readFrom(3) on a log whose end is 2 should throw OffsetOutOfRangeException");
        assertMentions(error, 3, 0, 2); // the offset refused, and the offsets readFrom accepts
        assertThrows(OffsetOutOfRangeException.class, () -> log.readFrom(-1),
                "readFrom(-1) should throw OffsetOutOfRangeException: readFrom takes offsets, not indexes");
    }

    @Test
    @Order(9)
    void fetch_steps_over_gaps_in_offset_order() {
        CompactedLog log = logWithSegmentsOf(4);
        append(log, "a=1", "b=1", "a=2", "c=1", "b=2", "c=2", "a=3", "d=1", "d=2");
        log.compact();
        assertEquals(List.of(new EventAt<>(4, change("b", "2")), new EventAt<>(5, change("c", "2"))), log.fetch(3, 2),
                "fetch(3, 2) should return the first 2 records held from offset 3 on, in offset order");
    }

    @Test
    @Order(10)
    void the_head_is_the_segment_of_the_latest_record() {
        CompactedLog log = logWithSegmentsOf(3);
        assertEquals(0, log.activeSegmentStart(), "an empty log's head starts at 0");
        append(log, "a=1", "a=2", "a=3");
        assertEquals(0, log.activeSegmentStart(), "with segments of 3, offsets 0..2 are all in the first, active segment");
        append(log, "a=4");
        assertEquals(3, log.activeSegmentStart(), "offset 3 starts a new segment, which is now the head");
    }

    @Test
    @Order(11)
    void the_head_is_never_compacted() {
        CompactedLog log = logWithSegmentsOf(4);
        append(log, "a=1", "a=2", "a=3", "a=4", "a=5", "a=6", "a=7");
        log.compact();
        assertEquals(List.of(3L, 4L, 5L, 6L), heldOffsets(log),
                "only offsets before the head (4) may go: 3 is a's latest there, and 4..6 are in the head");
    }

    @Test
    @Order(12)
    void dirty_ratio_is_the_dirty_share_of_the_records_before_the_head() {
        CompactedLog log = logWithSegmentsOf(2);
        assertEquals(0.0, log.dirtyRatio(), "an empty log has nothing dirty");
        append(log, "a=1", "b=1", "a=2", "b=2", "c=1");
        assertEquals(1.0, log.dirtyRatio(), "before any compaction, all 4 records before the head (4) are dirty");
        log.compact();
        assertEquals(0.0, log.dirtyRatio(), "right after compaction nothing before the head is dirty");
        assertEquals(4, log.cleanedUpTo(), "compaction cleans up to the head, offset 4");
        append(log, "c=2", "d=1");
        // before the head (6): clean 2, 3 and dirty 4, 5
        assertEquals(0.5, log.dirtyRatio(), "2 dirty records of 4 before the head should give 0.5");
    }

    @Test
    @Order(13)
    void compactIfDirty_runs_only_from_min_cleanable_dirty_ratio() {
        CompactionConfig config = CompactionConfig.segmentsOf(1).withMinCleanableDirtyRatio(0.5);
        CompactedLog log = newLog("order-status", 0, config, clock, archived::addAll);
        append(log, "a=1", "b=1", "a=2", "b=2");
        assertTrue(log.compactIfDirty().isPresent(), "a dirty ratio of 1.0 is past 0.5: compaction should run");
        append(log, "c=1");
        // before the head (4): clean 1, 2 and dirty 3
        assertEquals(Optional.empty(), log.compactIfDirty(), "a dirty ratio of 1/3 is below 0.5: nothing should run");
        assertEquals(List.of(1L, 2L, 3L, 4L), heldOffsets(log), "a skipped compaction must remove nothing");
        append(log, "c=2");
        // before the head (5): clean 1, 2 and dirty 3, 4
        assertEquals(Optional.of(new Compaction(List.of(1L), 5)), log.compactIfDirty(),
                "a dirty ratio of 2/4 reaches 0.5: compaction should run and remove b=1, superseded by b=2");
    }

    @Test
    @Order(14)
    void a_tombstone_deletes_its_key_and_stays_for_the_delete_retention() {
        CompactedLog log = logWithSegmentsOf(2);
        append(log, "271=ready", "272=ready", "271=", "273=placed", "274=placed");
        log.compact();
        assertEquals(List.of(1L, 2L, 3L, 4L), heldOffsets(log),
                "the tombstone at 2 removes 271=ready, but stays itself until the delete retention has passed");
        assertTrue(log.read(2).isTombstone(), "offset 2 should still be the tombstone");
        assertEquals(Map.of("272", "ready", "273", "placed", "274", "placed"), Tables.replay(log),
                "replayed, the log should no longer have order 271");
    }

    @Test
    @Order(15)
    void a_tombstone_goes_once_the_delete_retention_has_passed() {
        CompactedLog log = logWithSegmentsOf(2);
        append(log, "271=ready", "271=", "272=placed");
        clock.advance(Duration.ofMinutes(59));
        log.compact();
        assertEquals(List.of(1L, 2L), heldOffsets(log), "59 minutes after the delete, the tombstone should still be there");
        clock.advance(Duration.ofMinutes(1));
        Compaction compaction = log.compact();
        assertEquals(List.of(1L), compaction.removedOffsets(), "an hour after the delete, compaction should remove the tombstone");
        assertEquals(List.of(2L), heldOffsets(log), "only 272 should be left");
    }

    @Test
    @Order(16)
    void records_removed_by_compaction_are_archived_with_reason_compaction() {
        CompactedLog log = newLog("kitchen", 3, CompactionConfig.segmentsOf(2), clock, archived::addAll);
        append(log, "271=placed");
        clock.advance(Duration.ofMinutes(5));
        append(log, "271=ready", "272=placed");
        clock.advance(Duration.ofMinutes(5));
        log.compact();
        assertEquals(List.of(new ArchivedEvent("kitchen", 3, 0, NOON, "271", "placed", ArchiveReason.COMPACTION,
                        NOON.plus(Duration.ofMinutes(10)))), archived,
                "offset 0 should be archived with its topic, partition, offset, append time, key, value,"
                        + " reason compaction, and the time of the compaction");
    }

    @Test
    @Order(17)
    void if_the_archive_fails_the_log_keeps_every_record() {
        Archive broken = rows -> {
            throw new UncheckedIOException(new java.io.IOException("disk full"));
        };
        CompactedLog log = newLog("order-status", 0, CompactionConfig.segmentsOf(2), clock, broken);
        append(log, "a=1", "a=2", "a=3");
        assertThrows(UncheckedIOException.class, log::compact,
                "compact() should let the archive's failure through rather than lose records silently");
        assertEquals(List.of(0L, 1L, 2L), heldOffsets(log), "the log must still hold every record it could not archive");
    }

    // tag::duality[]
    @Test
    @Order(18)
    void replaying_the_compacted_log_gives_the_same_table_as_the_full_stream() {
        ChangeStreams.LogFactory factory = (config, clock, rows) -> newLog("t", 0, config, clock, rows::addAll);
        int cases = 2_000;
        for (long seed = 0; seed < cases; seed++) {
            ChangeStreams.Case test = ChangeStreams.generate(seed);
            Optional<String> problem = ChangeStreams.problem(test, factory);
            if (problem.isPresent()) {
                ChangeStreams.Case smallest = ChangeStreams.shrink(test, c -> ChangeStreams.problem(c, factory));
                fail("a random stream broke the log (case " + seed + " of " + cases + "); cut down to: " + smallest
                        + "\n    " + ChangeStreams.problem(smallest, factory).orElse(problem.get()));
            }
        }
    }
    // end::duality[]
}
