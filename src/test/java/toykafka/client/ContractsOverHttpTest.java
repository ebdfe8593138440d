package toykafka.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
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
        @RegisterExtension
        static final SharedBroker broker = new SharedBroker();

        @Override
        protected RecordLog newLog(TopicConfig config) {
            String topic = broker.newTopic();
            broker.topics().replaceConfig(topic, config.overrides());
            return HttpPartitionLog.of(broker.address(), topic, 0);
        }
    }

    @Nested
    class LogThroughHttp extends LogContract<Record> {
        @RegisterExtension
        static final SharedBroker broker = new SharedBroker();

        @Override
        protected EventLog<Record> newLog() {
            return HttpPartitionLog.of(broker.address(), broker.newTopic(), 0);
        }

        @Override
        protected Record event(int n) {
            return order(n);
        }
    }

    /**
     * One broker for every test of a class, in a directory of its own, stopped after the last; each log a test
     * opens is a topic of its own, so none sees another's records.
     */
    static final class SharedBroker implements BeforeAllCallback, AfterAllCallback {
        private final Brokers brokers = new Brokers();
        private Path dir;
        private String address;
        private HttpTopics topics;
        private int created;

        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            dir = Files.createTempDirectory("toykafka-shared-broker-");
            address = brokers.start(dir, BrokerSettings.STRICT, Clock.systemUTC());
            topics = new HttpTopics(address);
        }

        @Override
        public void afterAll(ExtensionContext context) throws Exception {
            brokers.stopAll();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
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
