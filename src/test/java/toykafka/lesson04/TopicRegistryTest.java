package toykafka.lesson04;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import toykafka.clock.ManualClock;
import toykafka.common.InvalidPartitionsException;
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


    @Test
    void an_append_waiting_on_one_partition_holds_up_no_other_partition_and_no_reader() throws Exception {
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        // A store whose partition 0 stalls inside append, as a log does while it waits for its fsync.
        toykafka.common.MemoryStorage memory = new toykafka.common.MemoryStorage();
        toykafka.common.LogStorage slowFirstPartition = (toykafka.common.LogStorage) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {toykafka.common.LogStorage.class}, (storage, call, args) -> {
                    if (call.isDefault()) { // openLogs: one openLog at a time, each through this proxy
                        return java.lang.reflect.InvocationHandler.invokeDefault(storage, call, args);
                    }
                    Object result = invoke(memory, call, args);
                    if (!call.getName().equals("openLog") || ((toykafka.common.TopicPartition) args[0]).partition() != 0) {
                        return result;
                    }
                    return java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                            new Class<?>[] {RecordLog.class}, (log, logCall, logArgs) -> {
                                if (logCall.getName().equals("appendAll")) {
                                    entered.countDown();
                                    release.await();
                                }
                                return invoke(result, logCall, logArgs);
                            });
                });
        try (TopicRegistry topics = new TopicRegistry(BrokerSettings.STRICT, new ManualClock(NOON), slowFirstPartition)) {
            topics.createTopic("orders", 2);
            Thread stalled = new Thread(() -> topics.append("orders", 0, Record.of("till-1", "cod", NOON)));
            stalled.start();
            assertTrue(entered.await(10, TimeUnit.SECONDS), "the first append reached partition 0's log");
            assertEquals(0, topics.append("orders", 1, Record.of("till-2", "chips", NOON)).offset(),
                    "partition 1 takes appends while partition 0 is busy");
            assertEquals(1, topics.log("orders", 1).endOffset(), "and readers are not held up");
            assertEquals(List.of("orders"), topics.listTopics(), "nor is the admin side");
            release.countDown();
            stalled.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(stalled.isAlive());
            assertEquals(1, topics.log("orders", 0).endOffset(), "the stalled append finished once released");
        }
    }

    @Test
    void the_partition_count_is_capped_and_increasing_past_the_cap_is_refused() {
        registry.createTopic("orders", Topics.MAX_PARTITIONS);
        InvalidPartitionsException error = assertThrows(InvalidPartitionsException.class,
                () -> registry.increasePartitions("orders", Topics.MAX_PARTITIONS + 1));
        assertTrue(error.getMessage().contains("1 to " + Topics.MAX_PARTITIONS), error.getMessage());
        assertEquals(Topics.MAX_PARTITIONS, registry.describeTopic("orders").partitions());
    }

    @Test
    void checking_a_new_topic_refuses_what_creating_it_would_and_creates_nothing() {
        registry.createTopic("orders", 1);
        registry.checkNewTopic("drinks", 3);
        assertEquals(List.of("orders"), registry.listTopics(), "a check creates nothing");
        assertThrows(toykafka.common.TopicExistsException.class, () -> registry.checkNewTopic("orders", 1));
        assertThrows(toykafka.common.InvalidTopicException.class, () -> registry.checkNewTopic("bad name", 1));
        assertThrows(InvalidPartitionsException.class, () -> registry.checkNewTopic("drinks", 0));
        registry.createTopic("fish.chips", 1);
        toykafka.common.InvalidTopicException collides = assertThrows(toykafka.common.InvalidTopicException.class,
                () -> registry.checkNewTopic("fish_chips", 1));
        assertTrue(collides.getMessage().contains("collides"), collides.getMessage());
        assertEquals(List.of("fish.chips", "orders"), registry.listTopics());
    }

    @Test
    void config_calls_with_null_say_what_to_pass_instead() {
        registry.createTopic("orders", 1);
        NullPointerException patch = assertThrows(NullPointerException.class, () -> registry.patchConfig("orders", null));
        assertTrue(patch.getMessage().contains("empty map"), patch.getMessage());
        assertThrows(NullPointerException.class, () -> registry.replaceConfig("orders", null));
        assertThrows(NullPointerException.class, () -> registry.appendAll("orders", 0, null));
        assertEquals(java.util.Map.of(), registry.describeTopic("orders").overrides(), "nothing changed");
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
