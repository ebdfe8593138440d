package toykafka.lesson03;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import toykafka.archive.Archive;
import toykafka.clock.ManualClock;
import toykafka.common.EventLog;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.lesson02.ConsumerContract;
import toykafka.lesson02.EventAt;
import toykafka.lesson02.EventConsumer;
import toykafka.common.OffsetReset;
import toykafka.lesson02.PollingConsumer;

/** Lesson 2's consumer over lesson 3's log: a consumer that falls behind retention follows auto.offset.reset. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsumerOnBoundedLogTest {

    private final BoundedLog<String> log = new BoundedLog<>("orders", Retention.byCount(20, 10),
            new ManualClock(Instant.parse("2024-05-01T11:30:00Z")), Archive.discard());

    private void appendOrders(int from, int to) {
        for (int i = from; i < to; i++) {
            log.append("order-" + i);
        }
    }

    private EventConsumer<String> slowConsumer(OffsetReset reset) {
        appendOrders(0, 5);
        EventConsumer<String> consumer = new PollingConsumer<>(log, reset, 2);
        consumer.seek(3);
        appendOrders(5, 25); // the 21st append moved offsets 0..9 out; 10..24 remain
        return consumer;
    }

    @Test
    void under_earliest_a_consumer_that_fell_behind_jumps_to_the_log_start_offset() {
        EventConsumer<String> consumer = slowConsumer(OffsetReset.EARLIEST);
        assertEquals(10, log.earliest());
        assertEquals(List.of(new EventAt<>(10, "order-10"), new EventAt<>(11, "order-11")), consumer.poll());
    }

    @Test
    void under_latest_it_jumps_to_the_end_and_skips_everything_held() {
        EventConsumer<String> consumer = slowConsumer(OffsetReset.LATEST);
        assertEquals(List.of(), consumer.poll());
        assertEquals(25, consumer.position());
    }

    @Test
    void under_none_it_fails_naming_the_log_start_offset() {
        EventConsumer<String> consumer = slowConsumer(OffsetReset.NONE);
        OffsetOutOfRangeException error = assertThrows(OffsetOutOfRangeException.class, consumer::poll);
        assertEquals("offset 3 is out of range: it is older than the log start offset 10; valid offsets are 10..24"
                + " (auto.offset.reset=none: seek to a valid offset)", error.getMessage());
        assertEquals(10, error.logStartOffset());
    }

    /** The whole consumer contract holds when the log under the consumer is bounded. */
    @Nested
    class ConsumerContractOnABoundedLog extends ConsumerContract {
        @Override
        protected EventLog<String> newLog() {
            return new BoundedLog<>("orders", Retention.byCount(20, 10),
                    new ManualClock(Instant.parse("2024-05-01T11:30:00Z")), Archive.discard());
        }

        @Override
        protected EventConsumer<String> newConsumer(EventLog<String> log, OffsetReset reset, int maxPollRecords) {
            return new PollingConsumer<>(log, reset, maxPollRecords);
        }
    }
}
