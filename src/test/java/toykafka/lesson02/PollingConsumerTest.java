package toykafka.lesson02;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import toykafka.common.EventLog;
import toykafka.lesson01.ListLog;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetReset;

/** The reference consumer keeps the consumer contract. */
class PollingConsumerTest extends ConsumerContract {

    @Test
    void seeking_to_a_negative_index_the_log_does_not_hold_is_refused_and_the_position_kept() {
        ListLog<String> log = new ListLog<>();
        log.append("cod");
        log.append("chips");
        EventConsumer<String> consumer = newConsumer(log, OffsetReset.EARLIEST, 10);
        OffsetOutOfRangeException error = assertThrows(OffsetOutOfRangeException.class, () -> consumer.seek(-3));
        assertEquals("index -3 is out of range: valid indexes are -2..-1 and valid offsets are 0..1", error.getMessage());
        assertEquals(0, consumer.position());
    }

    @Test
    void a_missing_log_or_policy_is_named() {
        assertEquals("log", assertThrows(NullPointerException.class,
                () -> new PollingConsumer<String>(null, OffsetReset.EARLIEST, 1)).getMessage());
        assertEquals("reset", assertThrows(NullPointerException.class,
                () -> new PollingConsumer<>(new ListLog<String>(), null, 1)).getMessage());
    }

    @Override
    protected EventConsumer<String> newConsumer(EventLog<String> log, OffsetReset reset, int maxPollRecords) {
        return new PollingConsumer<>(log, reset, maxPollRecords);
    }
}
