package toykafka.lesson01;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.OffsetOutOfRangeException;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SimpleConsumerTest {

    private final ListLog<String> log = new ListLog<>();

    private void append(String... events) {
        for (String event : events) {
            log.append(event);
        }
    }

    @Test
    void starting_at_minus_1_records_the_real_offset_of_the_latest_event() {
        append("a", "b", "c");
        SimpleConsumer<String> consumer = SimpleConsumer.startingAt(log, -1);
        assertEquals(2, consumer.position());
        append("d");
        assertEquals(Optional.of("c"), consumer.next(), "the consumer keeps reading from offset 2, not from the new -1");
        assertEquals(Optional.of("d"), consumer.next());
    }

    @Test
    void a_caught_up_consumer_gets_nothing_until_the_producer_appends() {
        append("a");
        SimpleConsumer<String> consumer = SimpleConsumer.fromEarliest(log);
        assertEquals(Optional.of("a"), consumer.next());
        assertEquals(Optional.empty(), consumer.next());
        assertEquals(1, consumer.position(), "an empty read does not move the position");
        append("b");
        assertEquals(Optional.of("b"), consumer.next());
    }

    @Test
    void consumers_keep_their_own_positions() {
        append("a", "b", "c");
        SimpleConsumer<String> first = SimpleConsumer.fromEarliest(log);
        SimpleConsumer<String> second = SimpleConsumer.fromEarliest(log);
        first.next();
        first.next();
        assertEquals(2, first.position());
        assertEquals(0, second.position());
        assertEquals(Optional.of("a"), second.next(), "the second consumer still sees the first event");
    }

    @Test
    void a_consumer_on_an_empty_log_waits_at_offset_0() {
        SimpleConsumer<String> consumer = SimpleConsumer.fromEarliest(log);
        assertEquals(Optional.empty(), consumer.next());
        append("first");
        assertEquals(Optional.of("first"), consumer.next());
    }

    @Test
    void starting_at_an_offset_the_log_does_not_hold_fails_naming_the_range() {
        append("a", "b");
        OffsetOutOfRangeException error = assertThrows(OffsetOutOfRangeException.class,
                () -> SimpleConsumer.startingAt(log, 5));
        assertEquals("offset 5 is out of range: valid offsets are 0..1", error.getMessage());
    }
}
