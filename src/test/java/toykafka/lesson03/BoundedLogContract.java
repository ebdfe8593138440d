package toykafka.lesson03;

import static toykafka.check.MessageFacts.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import toykafka.archive.Archive;
import toykafka.archive.ArchiveReason;
import toykafka.archive.ArchivedEvent;
import toykafka.clock.ManualClock;
import toykafka.common.EventLog;
import toykafka.lesson01.LogContract;
import toykafka.common.OffsetOutOfRangeException;

/**
 * What a bounded log promises on top of every log's promises (it runs the whole lesson 1 contract
 * too): retention by count and by age, offsets that never change, and nothing forgotten before the
 * archive has it.
 */
@Tag("lesson03")
public abstract class BoundedLogContract extends LogContract<String> {

    protected static final Instant START = Instant.parse("2024-05-01T11:30:00Z");

    protected final ManualClock clock = new ManualClock(START);
    protected final List<ArchivedEvent> archived = new ArrayList<>();

    /** A bounded log under test. */
    protected abstract BoundedEventLog<String> newBoundedLog(String name, Retention retention, Clock clock,
                                                             Archive archive);

    /** The lesson 1 contract runs on the seed's bounded log: past 20 events, move the first 10 out. */
    @Override
    protected EventLog<String> newLog() {
        return newBoundedLog("orders", Retention.byCount(20, 10), clock, archived::addAll);
    }

    @Override
    protected String event(int n) {
        return "order-" + n;
    }

    private BoundedEventLog<String> seedLog(int events) {
        BoundedEventLog<String> log = newBoundedLog("orders", Retention.byCount(20, 10), clock, archived::addAll);
        for (int i = 0; i < events; i++) {
            log.append(event(i));
        }
        return log;
    }

    private List<Long> archivedOffsets() {
        return archived.stream().map(ArchivedEvent::offset).toList();
    }

    @Test
    @Order(101)
    void it_holds_every_event_up_to_the_count_limit() {
        BoundedEventLog<String> log = seedLog(20);
        assertEquals(0, log.earliest(), "with 20 events and a limit of 20, nothing should have left yet");
        assertEquals(20, log.size(), "20 appends to a log that keeps 20 should hold 20");
        assertEquals(List.of(), archived, "nothing should be archived yet");
    }

    @Test
    @Order(102)
    void the_21st_event_moves_the_oldest_10_to_the_archive() {
        BoundedEventLog<String> log = seedLog(21);
        assertEquals(10, log.earliest(), "after the 21st append, the log start offset should move to 10");
        assertEquals(11, log.size(), "11 events should remain: offsets 10..20");
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), archivedOffsets(),
                "offsets 0..9 should be in the archive, in order");
        assertEquals("order-0", archived.get(0).value(), "the archive row for offset 0 holds the event");
    }

    @Test
    @Order(103)
    void offsets_never_change_when_old_events_leave() {
        BoundedEventLog<String> log = seedLog(20);
        assertEquals(20, log.append(event(20)), "the 21st event gets offset 20 even though 10 events left");
        assertEquals(event(12), log.read(12), "read(12) should still return event 12: offset 12 is element 2 now");
        assertEquals(event(20), log.read(-1), "read(-1) should still be the latest event");
        assertEquals(event(10), log.read(-11), "read(-11) should be the oldest held event, offset 10");
    }

    @Test
    @Order(104)
    void reading_an_evicted_offset_fails_naming_the_log_start_offset() {
        BoundedEventLog<String> log = seedLog(21);
        OffsetOutOfRangeException error = assertThrows(OffsetOutOfRangeException.class, () -> log.read(3),
                "read(3) after offsets 0..9 left should throw OffsetOutOfRangeException");
        assertMentions(error, 3, 10, 20);
        assertEquals(10, error.logStartOffset(), "the exception should carry the log start offset");
    }

    @Test
    @Order(105)
    void events_older_than_the_maximum_age_leave_on_the_next_append() {
        BoundedEventLog<String> log = newBoundedLog("orders", Retention.byAge(Duration.ofMinutes(30)), clock,
                archived::addAll);
        log.append("cod");
        clock.advance(Duration.ofMinutes(20));
        log.append("chips");
        clock.advance(Duration.ofMinutes(15));
        assertEquals(0, log.earliest(), "nothing leaves until the log is appended to or asked to expire");
        log.append("peas");
        assertEquals(1, log.earliest(), "\"cod\" is 35 minutes old, over 30, so it should have left");
        assertEquals(List.of(0L), archivedOffsets(), "only offset 0 should be archived");
        assertEquals(ArchiveReason.RETENTION, archived.get(0).reason());
    }

    @Test
    @Order(106)
    void expire_old_applies_the_age_limit_without_an_append() {
        BoundedEventLog<String> log = newBoundedLog("orders", Retention.byAge(Duration.ofMinutes(30)), clock,
                archived::addAll);
        log.append("cod");
        log.append("chips");
        clock.advance(Duration.ofMinutes(31));
        assertEquals(2, log.expireOld(), "both events are 31 minutes old: expireOld() should move 2 out");
        assertEquals(2, log.earliest(), "the log start offset moves past them");
        assertEquals(2, log.endOffset(), "the end offset does not change: offsets are never reused");
        assertEquals(2, log.append("peas"), "the next append still gets offset 2");
    }

    @Test
    @Order(107)
    void archive_before_moves_older_events_out_and_keeps_the_rest_at_their_offsets() {
        BoundedEventLog<String> log = seedLog(8);
        assertEquals(5, log.archiveBefore(5), "archiveBefore(5) on offsets 0..7 should move 5 events");
        assertEquals(5, log.earliest(), "the log start offset should be 5");
        assertEquals(event(7), log.read(7), "offset 7 should still read event 7");
        assertTrue(archived.stream().allMatch(row -> row.reason() == ArchiveReason.ARCHIVE),
                "rows moved by archiveBefore should carry the reason 'archive'");
        assertEquals(0, log.archiveBefore(3), "archiving before an offset that already left moves nothing");
    }

    @Test
    @Order(108)
    void archive_before_an_offset_past_the_end_is_refused_naming_the_range() {
        assertArchiveBeforeRefused(9, "archiveBefore(9) on a log ending at 4 should throw OffsetOutOfRangeException");
    }

    @Test
    @Order(109)
    void archive_before_a_negative_offset_is_refused_rather_than_ignored() {
        assertArchiveBeforeRefused(-1, "archiveBefore(-1) names no offset: it should be refused, not quietly move nothing");
    }

    /** On a log of offsets 0..3, archiveBefore(offset) throws, naming the offset and the range, and moves nothing. */
    private void assertArchiveBeforeRefused(long offset, String why) {
        BoundedEventLog<String> log = seedLog(4);
        OffsetOutOfRangeException error = assertThrows(OffsetOutOfRangeException.class, () -> log.archiveBefore(offset),
                why);
        assertMentions(error, offset, 0, 4);
        assertEquals(4, log.size(), "a refused archive moves nothing");
    }

    @Test
    @Order(110)
    void archive_rows_carry_the_log_name_offset_and_both_times() {
        BoundedEventLog<String> log = newBoundedLog("orders", Retention.byCount(2, 1), clock, archived::addAll);
        log.append("cod");
        clock.advance(Duration.ofMinutes(5));
        log.append("chips");
        clock.advance(Duration.ofMinutes(5));
        log.append("peas");
        assertEquals(List.of(new ArchivedEvent("orders", 0, 0, START, null, "cod", ArchiveReason.RETENTION,
                START.plus(Duration.ofMinutes(10)))), archived,
                "the row should name the log, partition 0, offset 0, the append time, no key, the value,"
                        + " the reason and the time it left");
    }

    @Test
    @Order(111)
    void if_the_archive_fails_nothing_is_appended_and_nothing_is_lost() {
        List<ArchivedEvent> stored = new ArrayList<>();
        boolean[] broken = {false};
        Archive flaky = rows -> {
            if (broken[0]) {
                throw new IllegalStateException("disk full");
            }
            stored.addAll(rows);
        };
        BoundedEventLog<String> log = newBoundedLog("orders", Retention.byCount(3, 2), clock, flaky);
        log.append("cod");
        log.append("chips");
        log.append("peas");
        broken[0] = true;
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> log.append("pie"),
                "when the archive fails, the append that needed room should fail too");
        assertTrue(error.getMessage().contains("disk full"), "the error should pass on the archive's reason: "
                + error.getMessage());
        assertEquals(0, log.earliest(), "no event may leave the log unless the archive took it");
        assertEquals(3, log.endOffset(), "the failed append must not take an offset");
        assertEquals("cod", log.read(0));
        broken[0] = false;
        assertEquals(3, log.append("pie"), "once the archive works again, the append goes through at offset 3");
        assertEquals(List.of("cod", "chips"), stored.stream().map(ArchivedEvent::value).toList());
    }
}
