package toykafka.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
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
 * and lesson 8's record log. Each test starts its own broker on a free port, in a fresh directory.
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
        @TempDir
        Path dir;
        final Brokers brokers = new Brokers();

        @Override
        protected RecordLog newLog(TopicConfig config) {
            String address = brokers.start(dir, BrokerSettings.STRICT, Clock.systemUTC());
            HttpTopics topics = new HttpTopics(address);
            topics.createTopic("orders", 1);
            topics.replaceConfig("orders", config.overrides());
            return HttpPartitionLog.of(address, "orders", 0);
        }

        @AfterEach
        void stop() throws Exception {
            brokers.stopAll();
        }
    }

    @Nested
    class LogThroughHttp extends LogContract<Record> {
        @TempDir
        Path dir;
        final Brokers brokers = new Brokers();

        @Override
        protected EventLog<Record> newLog() {
            String address = brokers.start(dir, BrokerSettings.STRICT, Clock.systemUTC());
            new HttpTopics(address).createTopic("orders", 1);
            return HttpPartitionLog.of(address, "orders", 0);
        }

        @Override
        protected Record event(int n) {
            return order(n);
        }

        @AfterEach
        void stop() throws Exception {
            brokers.stopAll();
        }
    }
}
