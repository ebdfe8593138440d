package toykafka.lesson02;

import static toykafka.check.MessageFacts.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import toykafka.common.EventLog;
import toykafka.lesson01.ListLog;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetReset;

/**
 * What every consumer promises: its own position, batches of at most max.poll.records, seek, lag,
 * and Kafka's auto.offset.reset when it has no valid position.
 */
@Tag("lesson02")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ConsumerContract {

    /** A consumer of {@code log} under test. */
    protected abstract EventConsumer<String> newConsumer(EventLog<String> log, OffsetReset reset, int maxPollRecords);

    /** The log the tests fill; later lessons may run this contract over their own logs. */
    protected EventLog<String> newLog() {
        return new ListLog<>();
    }

    private EventLog<String> logOf(String... events) {
        EventLog<String> log = newLog();
        for (String event : events) {
            log.append(event);
        }
        return log;
    }

    private static List<EventAt<String>> at(long firstOffset, String... events) {
        return java.util.stream.IntStream.range(0, events.length)
                .mapToObj(i -> new EventAt<>(firstOffset + i, events[i])).toList();
    }

    @Test
    @Order(1)
    void starting_at_earliest_polls_from_the_oldest_event() {
        EventConsumer<String> consumer = newConsumer(logOf("cod", "chips"), OffsetReset.EARLIEST, 10);
        assertEquals(0, consumer.position(), "a consumer starting at earliest should be at offset 0 of a new log");
        assertEquals(at(0, "cod", "chips"), consumer.poll(), "poll() should return both events with their offsets");
    }

    @Test
    @Order(2)
    void starting_at_latest_sees_only_events_appended_after_it_started() {
        EventLog<String> log = logOf("cod", "chips");
        EventConsumer<String> consumer = newConsumer(log, OffsetReset.LATEST, 10);
        assertEquals(2, consumer.position(), "a consumer starting at latest should be at the end offset, 2");
        assertEquals(List.of(), consumer.poll(), "nothing new has been appended yet");
        log.append("peas");
        assertEquals(at(2, "peas"), consumer.poll(), "poll() should return only the event appended after it started");
    }

    @Test
    @Order(3)
    void poll_returns_at_most_max_poll_records_in_offset_order() {
        EventConsumer<String> consumer = newConsumer(logOf("a", "b", "c", "d", "e"), OffsetReset.EARLIEST, 2);
        assertEquals(at(0, "a", "b"), consumer.poll(), "with max.poll.records=2 the first poll returns offsets 0 and 1");
        assertEquals(at(2, "c", "d"), consumer.poll(), "the second poll continues at offset 2");
        assertEquals(at(4, "e"), consumer.poll(), "the third poll returns what is left");
    }

    @Test
    @Order(4)
    void poll_moves_the_position_past_the_last_event_returned() {
        EventConsumer<String> consumer = newConsumer(logOf("a", "b", "c"), OffsetReset.EARLIEST, 2);
        consumer.poll();
        assertEquals(2, consumer.position(), "after polling offsets 0 and 1, position() should be 2, the next to read");
    }

    @Test
    @Order(5)
    void a_caught_up_consumer_polls_an_empty_batch_and_keeps_its_position() {
        EventConsumer<String> consumer = newConsumer(logOf("a"), OffsetReset.EARLIEST, 5);
        consumer.poll();
        assertEquals(List.of(), consumer.poll(), "a consumer at the end offset gets an empty batch");
        assertEquals(1, consumer.position(), "an empty poll leaves the position at the end offset");
    }

    @Test
    @Order(6)
    void consumers_of_one_log_keep_independent_positions_and_remove_nothing() {
        EventLog<String> log = logOf("a", "b", "c");
        EventConsumer<String> cook = newConsumer(log, OffsetReset.EARLIEST, 10);
        cook.poll();
        EventConsumer<String> auditor = newConsumer(log, OffsetReset.EARLIEST, 1);
        assertEquals(at(0, "a"), auditor.poll(), "a second consumer still reads offset 0 after the first read everything");
        assertEquals(3, cook.position(), "the first consumer's position is its own");
        assertEquals(1, auditor.position());
    }

    @Test
    @Order(7)
    void seek_moves_the_position_and_minus_1_becomes_a_real_offset() {
        EventLog<String> log = logOf("a", "b", "c", "d");
        EventConsumer<String> consumer = newConsumer(log, OffsetReset.EARLIEST, 10);
        consumer.seek(2);
        assertEquals(at(2, "c", "d"), consumer.poll(), "after seek(2), poll() starts at offset 2");
        consumer.seek(-1);
        assertEquals(3, consumer.position(), "seek(-1) should record the latest event's real offset, 3, not -1");
        log.append("e");
        assertEquals(at(3, "d", "e"), consumer.poll(), "after seek(-1) and one more append, poll() reads offsets 3 and 4");
    }

    @Test
    @Order(8)
    void lag_is_the_end_offset_minus_the_position() {
        EventLog<String> log = logOf("a", "b", "c", "d", "e");
        EventConsumer<String> consumer = newConsumer(log, OffsetReset.EARLIEST, 2);
        assertEquals(5, consumer.lag(), "a consumer at 0 of a log ending at 5 is 5 behind");
        consumer.poll();
        assertEquals(3, consumer.lag(), "after reading 2 of 5, lag() should be 3");
        log.append("f");
        assertEquals(4, consumer.lag(), "a new append raises the lag by one");
    }

    /** A consumer of the log a, b (offsets 0 and 1) under {@code reset}, sought to 50, past the end. */
    private EventConsumer<String> pastTheEndOfAB(OffsetReset reset) {
        EventConsumer<String> consumer = newConsumer(logOf("a", "b"), reset, 10);
        consumer.seek(50);
        return consumer;
    }

    @Test
    @Order(9)
    void a_position_past_the_end_resets_to_earliest_under_earliest() {
        EventConsumer<String> consumer = pastTheEndOfAB(OffsetReset.EARLIEST);
        assertEquals(at(0, "a", "b"), consumer.poll(),
                "auto.offset.reset=earliest: a position beyond the end should reset to offset 0 on the next poll");
    }

    @Test
    @Order(10)
    void a_position_past_the_end_resets_to_the_end_under_latest() {
        EventConsumer<String> consumer = pastTheEndOfAB(OffsetReset.LATEST);
        assertEquals(List.of(), consumer.poll(), "auto.offset.reset=latest: reset to the end, so nothing to read yet");
        assertEquals(2, consumer.position(), "auto.offset.reset=latest: the position should now be the end offset, 2");
    }

    @Test
    @Order(11)
    void under_none_an_out_of_range_position_fails_naming_the_valid_offsets() {
        EventConsumer<String> consumer = pastTheEndOfAB(OffsetReset.NONE);
        OffsetOutOfRangeException error = assertThrows(OffsetOutOfRangeException.class, consumer::poll,
                "auto.offset.reset=none: polling at an offset the log does not hold should throw");
        assertMentions(error, 50, 0, 1);
    }

    @Test
    @Order(12)
    void under_none_a_consumer_must_seek_before_it_polls() {
        EventConsumer<String> consumer = newConsumer(logOf("a"), OffsetReset.NONE, 10);
        IllegalStateException error = assertThrows(IllegalStateException.class, consumer::poll,
                "auto.offset.reset=none with no seek: there is no position to poll from");
        assertMentions(error, "seek");
        consumer.seek(0);
        assertEquals(at(0, "a"), consumer.poll(), "after seek(0) the consumer can poll");
    }

    @Test
    @Order(13)

    @DisplayName("max.poll.records below 1 is refused, naming the valid range")
    void max_poll_records_below_1_is_refused_naming_the_valid_range() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> newConsumer(logOf("a"), OffsetReset.EARLIEST, 0),
                "max.poll.records=0 would never return an event, so it should be refused");
        assertMentions(error, "max.poll.records", 0);
    }
}
