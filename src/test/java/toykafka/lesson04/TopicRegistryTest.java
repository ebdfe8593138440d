package toykafka.lesson04;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import toykafka.clock.ManualClock;
import toykafka.common.RecordLog;
import toykafka.common.Record;
import toykafka.common.TopicConfig;

/** The reference registry keeps the topics contract, and guards its logs beyond it. */
class TopicRegistryTest extends TopicsContract {

    private static final Instant NOON = Instant.parse("2024-05-17T12:00:00Z");

    @Override
    protected Topics newTopics(BrokerSettings settings, Clock clock) {
        return new TopicRegistry(settings, clock);
    }

    private final TopicRegistry registry = new TopicRegistry(BrokerSettings.STRICT, new ManualClock(NOON));

    @Test
    void a_null_on_duplicate_is_refused_rather_than_read_as_rename() {
        registry.createTopic("orders", 1);
        for (String name : List.of("orders", "drinks")) {
            NullPointerException error = assertThrows(NullPointerException.class,
                    () -> registry.createTopic(name, 1, null),
                    "a null OnDuplicate says neither FAIL nor RENAME, so creating '" + name + "' must be refused");
            assertEquals("onDuplicate is null: pass OnDuplicate.FAIL to refuse a name that is taken, as Kafka does,"
                    + " or OnDuplicate.RENAME to create it as name__N", error.getMessage());
        }
        assertEquals(List.of("orders"), registry.listTopics(), "no topic was created or renamed");
    }

    @Test
    void the_log_handed_out_reads_the_partition_but_refuses_appends_that_would_skip_the_topics_config() {
        registry.createTopic("orders", 2);
        registry.patchConfig("orders", Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE, TopicConfig.LOG_APPEND_TIME));
        RecordLog log = registry.log("orders", 1);
        registry.append("orders", 1, Record.of("till-1", "cod", NOON));
        assertEquals(1, log.endOffset(), "the log is a view of the partition, not a copy: it sees later appends");
        assertEquals("cod", log.read(0).valueText(), "the view reads the partition's records");

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> log.append(Record.of("till-1", "haddock and chips", NOON)),
                "appending to the log directly would skip the broker's LogAppendTime stamp, so it must be refused");
        assertEquals("the log of orders-1 is for reading: append through Topics.append(topic, partition, record),"
                + " which applies the topic's config", error.getMessage());
        assertEquals(1, log.endOffset(), "the refused record takes no offset");
    }

}
