package toykafka.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.EventLog;
import toykafka.common.Header;
import toykafka.common.InvalidConfigurationException;
import toykafka.common.Record;
import toykafka.common.RecordLog;
import toykafka.common.TopicConfig;
import toykafka.lesson01.LogContract;
import toykafka.lesson04.BrokerSettings;
import toykafka.lesson04.Topics;
import toykafka.lesson04.TopicsContract;
import toykafka.lesson08.RecordLogContract;

/**
 * The earlier lessons' contracts, run against the broker through HTTP: lesson 1's log, lesson 4's topics
 * and lesson 8's record log. The topics contract is about a broker's settings, so each of its tests starts a
 * broker of its own; the logs' contracts share a broker per class, each log a topic of its own.
 */
class ContractsOverHttpTest {

    static Record order(int n) {
        return new Record(("till-" + n % 3).getBytes(), ("order " + n).getBytes(), Instant.ofEpochMilli(1_700_000_000_000L + n),
                List.of(new Header("n", String.valueOf(n).getBytes())));
    }

    @Nested
    class TopicsThroughHttp extends TopicsContract {
        @TempDir
        Path dir;
        final Brokers brokers = new Brokers();

        @Override
        protected Topics newTopics(BrokerSettings settings, Clock clock) {
            return new HttpTopics(brokers.start(dir, settings, clock));
        }

        @AfterEach
        void stop() throws Exception {
            brokers.stopAll();
        }
    }

    @Nested
    class RecordLogThroughHttp extends RecordLogContract {
        static final SharedBroker broker = new SharedBroker();

        @BeforeAll
        static void start(@TempDir Path dir) {
            broker.start(dir);
        }

        @AfterAll
        static void stop() throws Exception {
            broker.stop();
        }

        @Override
        protected RecordLog newLog(TopicConfig config) {
            String topic = broker.newTopic();
            broker.topics().replaceConfig(topic, config.overrides());
            return HttpPartitionLog.of(broker.address(), topic, 0);
        }
    }

    @Nested
    class LogThroughHttp extends LogContract<Record> {
        static final SharedBroker broker = new SharedBroker();

        @BeforeAll
        static void start(@TempDir Path dir) {
            broker.start(dir);
        }

        @AfterAll
        static void stop() throws Exception {
            broker.stop();
        }

        @Override
        protected EventLog<Record> newLog() {
            return HttpPartitionLog.of(broker.address(), broker.newTopic(), 0);
        }

        @Override
        protected Record event(int n) {
            return order(n);
        }
    }

    /** One broker for every test of a class; each log a test opens is a topic of its own, so none sees another's records. */
    static final class SharedBroker {
        private final Brokers brokers = new Brokers();
        private String address;
        private HttpTopics topics;
        private int created;

        void start(Path dir) {
            address = brokers.start(dir, BrokerSettings.STRICT, Clock.systemUTC());
            topics = new HttpTopics(address);
        }

        void stop() throws Exception {
            brokers.stopAll();
        }

        String address() {
            return address;
        }

        HttpTopics topics() {
            return topics;
        }

        /** A new topic of one partition: orders-1, orders-2, and so on. */
        String newTopic() {
            String topic = "orders-" + ++created;
            topics.createTopic(topic, 1);
            return topic;
        }
    }
}
