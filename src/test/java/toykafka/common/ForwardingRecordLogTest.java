package toykafka.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** A forwarding log passes every call on, and a write a subclass refuses cannot get past it another way. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ForwardingRecordLogTest {

    private static final Instant NOON = Instant.parse("2024-03-01T12:00:00Z");

    private final MemoryLog log = new MemoryLog();
    private final RecordLog forwarding = new ForwardingRecordLog(log) {
    };

    /** Refuses writes, as the topic registry's read-only view of a partition does. */
    private static final class ReadOnly extends ForwardingRecordLog {
        ReadOnly(RecordLog log) {
            super(log);
        }

        @Override
        public long appendAll(List<Record> records) {
            throw new IllegalStateException("this view is for reading");
        }
    }

    private static List<String> values(List<Record> records) {
        return records.stream().map(Record::valueText).toList();
    }

    @Test
    void every_read_passes_through() {
        log.appendAll(List.of(Record.of("till-1", "cod", NOON), Record.of("till-2", "chips", NOON.plusSeconds(60))));
        assertEquals("chips", forwarding.read(1).valueText());
        assertEquals("chips", forwarding.read(-1).valueText());
        assertEquals(List.of("cod", "chips"), values(forwarding.readBatch(0, 10)));
        assertEquals(List.of(0L, 1L), forwarding.readBatchWithOffsets(0, 10).stream().map(OffsetRecord::offset).toList());
        assertEquals(log.offsetForTime(NOON.plusSeconds(30)), forwarding.offsetForTime(NOON.plusSeconds(30)));
        assertEquals(List.of(0L, 2L, 2L, 1L),
                List.of(forwarding.earliest(), forwarding.endOffset(), forwarding.size(), forwarding.latest()));
        assertEquals(log.config(), forwarding.config());
    }

    @Test
    void writes_and_a_new_config_reach_the_log() {
        forwarding.append(Record.of("till-1", "cod", NOON));
        forwarding.appendAll(List.of(Record.of("till-2", "chips", NOON)));
        assertEquals(2, log.endOffset());
        TopicConfig fsyncEach = TopicConfig.defaults().with(TopicConfig.FLUSH_MESSAGES, 1);
        forwarding.reconfigure(fsyncEach);
        assertEquals(fsyncEach, log.config());
    }

    @Test
    void a_subclass_that_refuses_appendAll_refuses_a_single_append_too() {
        RecordLog readOnly = new ReadOnly(log);
        assertThrows(IllegalStateException.class, () -> readOnly.append(Record.of("till-1", "cod", NOON)));
        assertThrows(IllegalStateException.class, () -> readOnly.appendAll(List.of(Record.of("till-1", "cod", NOON))));
        assertEquals(0, log.endOffset(), "nothing got past the refusal");
    }
}
