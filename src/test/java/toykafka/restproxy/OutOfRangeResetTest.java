package toykafka.restproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetReset;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson05.ConsumerRecord;
import toykafka.testing.StartedBroker;

/**
 * A consumer instance whose position the log no longer holds (retention or deleteRecords passed it) goes where
 * its auto.offset.reset says, as a Kafka consumer does on OFFSET_OUT_OF_RANGE: earliest to the log start,
 * latest to the end, none fails naming the range until the client seeks.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OutOfRangeResetTest extends InstancesPerTest {

    private static final TopicPartition ORDERS = new TopicPartition("orders", 0);

    @StartedBroker
    Broker broker;

    @BeforeEach
    void start() {
        broker.createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        append(10);
    }

    private void append(int count) {
        List<Partitions.ProduceRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new Partitions.ProduceRecord(0, Record.of(null, "order", Instant.EPOCH)));
        }
        broker.partitions().appendRecords("orders", records);
    }

    /** An instance that read offsets 0 and 1, after which the log start moved to 5 under it. */
    private void behindTheLogStart(OffsetReset reset) {
        instances.create("kitchen", "grill", reset);
        instances.subscribe("kitchen", "grill", Set.of("orders"));
        instances.commit("kitchen", "grill", Map.of(ORDERS, 0L)); // so none has a place to start
        assertEquals(List.of(0L, 1L), poll(2));
        broker.deleteRecords("orders", 0, 5);
    }

    private List<Long> poll(int max) {
        return instances.poll("kitchen", "grill", max, Duration.ZERO).stream()
                .map(ConsumerRecord::offset).toList();
    }

    @Test
    void earliest_goes_to_the_log_start() {
        behindTheLogStart(OffsetReset.EARLIEST);
        assertEquals(List.of(5L, 6L, 7L, 8L, 9L), poll(10));
    }

    @Test
    void latest_goes_to_the_end() {
        behindTheLogStart(OffsetReset.LATEST);
        assertEquals(List.of(), poll(10), "nothing of what is in the log");
        append(1);
        assertEquals(List.of(10L), poll(10), "only what came after the reset");
    }

    @Test
    void none_fails_naming_the_range_and_moves_nothing_until_the_client_seeks() {
        behindTheLogStart(OffsetReset.NONE);
        OffsetOutOfRangeException refused = assertThrows(OffsetOutOfRangeException.class, () -> poll(10));
        assertEquals(2, refused.requested());
        assertEquals(5, refused.logStartOffset());
        assertEquals(10, refused.logEndOffset());
        assertTrue(refused.getMessage().contains("5..9") && refused.getMessage().contains("none"), refused.getMessage());
        assertThrows(OffsetOutOfRangeException.class, () -> poll(10), "again: the position stayed where it was");
        instances.seek("kitchen", "grill", ORDERS, 7);
        assertEquals(List.of(7L, 8L, 9L), poll(10));
    }
}
