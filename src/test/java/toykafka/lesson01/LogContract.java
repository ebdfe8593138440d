package toykafka.lesson01;

import static toykafka.check.MessageFacts.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import toykafka.common.EventLog;
import toykafka.common.OffsetOutOfRangeException;

/**
 * What every event log promises, whatever it stores events in. Each implementation (the list, the
 * bounded deque, the file-backed log, a learner's own class) runs these same tests by extending
 * this class.
 *
 * @param <E> the event type of the log under test
 */
@Tag("lesson01")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // simplest promises first, as a learner meets them
public abstract class LogContract<E> {

    /** A new, empty log. */
    protected abstract EventLog<E> newLog();

    /** The n-th test event; different numbers give different events. */
    protected abstract E event(int n);

    private EventLog<E> logWith(int events) {
        EventLog<E> log = newLog();
        for (int i = 0; i < events; i++) {
            log.append(event(i));
        }
        return log;
    }

    @Test
    @Order(1)
    @DisplayName("append returns the new event's offset, counting from 0")
    void append_returns_the_new_events_offset_counting_from_0() {
        EventLog<E> log = newLog();
        for (int i = 0; i < 3; i++) {
            assertEquals(i, log.append(event(i)), "append number " + (i + 1) + " should return offset " + i);
        }
    }

    @Test
    @Order(2)
    void read_returns_the_event_stored_at_each_offset() {
        EventLog<E> log = logWith(5);
        for (int i = 0; i < 5; i++) {
            assertEquals(event(i), log.read(i), "read(" + i + ") after 5 appends should return event " + i);
        }
    }

    @Test
    @Order(3)
    void reading_never_removes_an_event() {
        EventLog<E> log = logWith(3);
        log.read(0);
        log.read(0);
        log.read(-1);
        assertEquals(event(0), log.read(0), "read(0) a third time should still return the first event");
        assertEquals(3, log.endOffset(), "after 3 appends and some reads, endOffset() should still be 3");
    }

    @Test
    @Order(4)
    void a_new_log_is_empty_and_starts_at_offset_0() {
        EventLog<E> log = newLog();
        assertEquals(0, log.earliest(), "a new log's earliest() should be 0");
        assertEquals(0, log.endOffset(), "a new log's endOffset() should be 0: the first append gets offset 0");
        assertEquals(0, log.size(), "a new log should hold no events");
    }

    @Test
    @Order(5)
    void earliest_latest_and_end_offset_describe_the_held_range() {
        EventLog<E> log = logWith(3);
        assertEquals(0, log.earliest(), "after 3 appends, earliest() should be offset 0");
        assertEquals(2, log.latest(), "after 3 appends, latest() should be offset 2");
        assertEquals(3, log.endOffset(), "after 3 appends, endOffset() should be 3, the offset of the next append");
    }

    @Test
    @Order(6)
    void minus_1_reads_the_latest_event_and_minus_size_the_earliest() {
        EventLog<E> log = logWith(4);
        assertEquals(event(3), log.read(-1), "read(-1) after 4 appends should return the latest event, event 3");
        assertEquals(event(2), log.read(-2), "read(-2) should return the event before the latest");
        assertEquals(event(0), log.read(-4), "read(-4) on a log of 4 events should return the earliest event");
    }

    @Test
    @Order(7)
    void resolve_turns_a_negative_index_into_a_real_offset() {
        EventLog<E> log = logWith(6);
        assertEquals(5, log.resolve(-1), "resolve(-1) on a log of 6 should be offset 5, never -1");
        assertEquals(0, log.resolve(-6), "resolve(-6) on a log of 6 should be offset 0");
        assertEquals(4, log.resolve(4), "resolve(4) should leave a held offset as it is");
        log.append(event(6));
        assertEquals(6, log.resolve(-1), "after one more append, resolve(-1) should move on to offset 6");
    }

    @Test
    @Order(8)
    void reading_past_the_end_fails_and_names_the_valid_range() {
        EventLog<E> log = logWith(3);
        OffsetOutOfRangeException error = assertThrows(OffsetOutOfRangeException.class, () -> log.read(3),
                "read(3) on a log holding offsets 0..2 should throw OffsetOutOfRangeException");
        assertMentions(error, 3, 0, 2);
        assertEquals(0, error.logStartOffset());
        assertEquals(3, error.logEndOffset());
    }

    @Test
    @Order(9)
    void a_negative_index_before_the_first_event_fails_and_names_the_valid_range() {
        EventLog<E> log = logWith(3);
        OffsetOutOfRangeException error = assertThrows(OffsetOutOfRangeException.class, () -> log.read(-4),
                "read(-4) on a log of 3 events should throw OffsetOutOfRangeException");
        assertMentions(error, -4, 0, 2);
    }

    @Test
    @Order(10)
    void an_empty_log_has_no_latest_event() {
        EventLog<E> log = newLog();
        OffsetOutOfRangeException error = assertThrows(OffsetOutOfRangeException.class, log::latest,
                "latest() on an empty log should throw OffsetOutOfRangeException: there is no latest event");
        assertMentions(error, -1);
    }

    @Test
    @Order(11)
    void a_null_event_is_refused_and_nothing_is_appended() {
        EventLog<E> log = logWith(2);
        NullPointerException error = assertThrows(NullPointerException.class, () -> log.append(null),
                "append(null) should throw NullPointerException");
        assertTrue(String.valueOf(error.getMessage()).contains("null"),
                "the error should say the event was null, was: " + error.getMessage());
        assertEquals(2, log.endOffset(), "a refused append must not take an offset");
    }

    @Test
    @Order(12)
    void offsets_keep_counting_over_many_appends() {
        EventLog<E> log = newLog();
        for (int i = 0; i < 1_000; i++) {
            assertEquals(i, log.append(event(i)), "append number " + (i + 1) + " should return offset " + i);
        }
        assertEquals(event(999), log.read(-1), "after 1000 appends, read(-1) should return the last event");
    }
}
