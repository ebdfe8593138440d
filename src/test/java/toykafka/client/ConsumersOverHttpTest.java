package toykafka.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.BrokerConfig;
import toykafka.common.EventLog;
import toykafka.common.OffsetReset;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson02.EventAt;
import toykafka.lesson02.EventConsumer;
import toykafka.lesson02.ConsumerContract;
import toykafka.lesson04.BrokerSettings;
import toykafka.lesson04.Topics;
import toykafka.lesson05.ConsumerGroup;
import toykafka.lesson05.ConsumerGroupContract;
import toykafka.lesson05.GroupSettings;
import toykafka.lesson05.PartitionAssignor;
import toykafka.lesson05.RangeAssignor;

/**
 * The consumers' contracts, run against the broker through HTTP: lesson 2's consumer of one partition
 * ({@link HttpPartitionConsumer}) and lesson 5's consumer group ({@link HttpConsumerGroup}). Each test
 * starts its own broker on a free port, in a fresh directory.
 */
class ConsumersOverHttpTest {

    /** A partition on the broker as a log of strings: each event is a record's value. */
    static final class Strings extends PartitionAsStrings {
        final String address;

        Strings(String address, String topic) {
            super(address, topic, 0);
            this.address = address;
        }

        @Override
        public long append(String event) {
            return log.append(new Record(null, event.getBytes(StandardCharsets.UTF_8), Instant.now(), List.of()));
        }

        @Override
        public String read(long offsetOrIndex) {
            return log.read(offsetOrIndex).valueText();
        }
    }

    /** Lesson 2's consumer of strings, as the contract drives it, reading through {@link HttpPartitionConsumer}. */
    record StringConsumer(HttpPartitionConsumer http) implements EventConsumer<String> {
        @Override
        public List<EventAt<String>> poll() {
            return http.poll().stream().map(at -> new EventAt<>(at.offset(), at.event().valueText())).toList();
        }

        @Override
        public long position() {
            return http.position();
        }

        @Override
        public void seek(long offsetOrIndex) {
            http.seek(offsetOrIndex);
        }

        @Override
        public long lag() {
            return http.lag();
        }
    }

    @Nested
    class PartitionConsumerThroughHttp extends ConsumerContract {
        @TempDir
        Path dir;
        final Brokers brokers = new Brokers();
        final AtomicInteger topics = new AtomicInteger();
        String address;

        @BeforeEach
        void start() {
            address = brokers.start(dir, BrokerSettings.STRICT, Clock.systemUTC());
        }

        @AfterEach
        void stop() throws Exception {
            brokers.stopAll();
        }

        @Override
        protected EventLog<String> newLog() {
            String topic = "orders-" + topics.incrementAndGet();
            new HttpTopics(address).createTopic(topic, 1);
            return new Strings(address, topic);
        }

        @Override
        protected EventConsumer<String> newConsumer(EventLog<String> log, OffsetReset reset, int maxPollRecords) {
            return new StringConsumer(new HttpPartitionConsumer(address, ((Strings) log).topic, 0, reset, maxPollRecords));
        }
    }

    @Nested
    class ConsumerGroupThroughHttp extends ConsumerGroupContract {
        /**
         * The contract's session timeout, which on a broker is the broker's settings, not the group's: how long
         * an instance lives without a call (consumer.instance.timeout.ms), and its session in the group.
         */
        static final Duration SESSION = Duration.ofSeconds(10);

        @TempDir
        Path dir;
        final Brokers brokers = new Brokers();
        String address;

        /** A broker on the contract's clock: moving the clock ages the members' sessions, as it does in memory. */
        @Override
        protected Topics newTopics(BrokerSettings settings, Clock clock) {
            // a consumer instance lives until it goes without a call for consumer.instance.timeout.ms
            address = brokers.start(dir, settings, clock, Map.of(BrokerConfig.SESSION_TIMEOUT_MS,
                    String.valueOf(SESSION.toMillis()), BrokerConfig.CONSUMER_INSTANCE_TIMEOUT_MS,
                    String.valueOf(SESSION.toMillis())));
            return new HttpTopics(address);
        }

        @Override
        protected ConsumerGroup newGroup(String groupId, Topics topics, PartitionAssignor assignor, GroupSettings settings,
                                         Clock clock) {
            assertEquals(SESSION, settings.sessionTimeout(), "the broker was started with the contract's session timeout");
            assertEquals(RangeAssignor.class, assignor.getClass(), "the broker shares out partitions with the range"
                    + " assignor; a group cannot ask for another (see the_split_is_the_assignors below)");
            return new HttpConsumerGroup(address, groupId, settings.autoOffsetReset());
        }

        // The contract shows this with the round-robin assignor. The broker picks the assignor for every group
        // (range), so this shows the same promise with the broker's: the split is the range assignor's, and the
        // group says which assignor that is.
        @Override
        @Test
        protected void the_split_is_the_assignors() {
            HttpConsumerGroup group = (HttpConsumerGroup) newGroup("preparers", null, new RangeAssignor(),
                    new GroupSettings(SESSION, OffsetReset.EARLIEST), null);
            Set<String> both = Set.of("orders", "drinks");
            group.join("carl", both);
            group.join("anna", both);
            group.join("ben", both);
            assertEquals("range", group.assignor());
            Map<String, Integer> partitions = Map.of("orders", 3, "drinks", 2);
            Map<String, Set<String>> subscriptions = Map.of("anna", both, "ben", both, "carl", both);
            assertEquals(new RangeAssignor().assign(partitions, subscriptions), group.assignment(),
                    "the range assignor's split, whatever the join order");
            assertEquals(List.of(new TopicPartition("drinks", 0), new TopicPartition("orders", 0)), group.assignment("anna"));
        }

        @AfterEach
        void stop() throws Exception {
            brokers.stopAll();
        }
    }
}
