package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.BrokerConfig;
import toykafka.common.TopicConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;

/**
 * A topic inherits the broker's {@code log.*} settings where it sets nothing itself, as in Kafka: DescribeConfigs
 * names the broker's setting as the source, a broker started with another default gives it to the topics it
 * already has, and a topic's own value wins until it is deleted.
 */
class TopicDefaultsFromBrokerTest {

    private static final byte TOPIC = 2;
    private static final byte SOURCE_TOPIC = 1;
    private static final byte SOURCE_STATIC_BROKER = 4;
    private static final byte SOURCE_DEFAULT = 5;

    @TempDir
    Path dataDir;

    @Test
    void a_topic_without_its_own_retention_takes_the_brokers_and_follows_it_across_a_restart() {
        try (RunningBroker broker = start("3000")) {
            broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
            broker.broker().createTopic("menus", 1, Map.of(TopicConfig.RETENTION_MS, "60000"), OnDuplicate.FAIL);

            DescribeConfigsResourceResult inherited = retention(broker, "orders");
            assertEquals("3000", inherited.value());
            assertEquals(SOURCE_STATIC_BROKER, inherited.configSource(), "log.retention.ms, not the topic's own");
            assertEquals(List.of("log.retention.ms=3000@" + SOURCE_STATIC_BROKER, "retention.ms=604800000@" + SOURCE_DEFAULT),
                    synonyms(inherited), "the broker's setting, then Kafka's default");
            assertEquals("3000", broker.broker().describeTopic("orders").config().get(TopicConfig.RETENTION_MS),
                    "the config in force, which the log's retention reads");
            assertEquals(Map.of(), broker.broker().describeTopic("orders").overrides(), "not the topic's own key");

            DescribeConfigsResourceResult own = retention(broker, "menus");
            assertEquals("60000", own.value());
            assertEquals(SOURCE_TOPIC, own.configSource());
            assertEquals(List.of("retention.ms=60000@" + SOURCE_TOPIC, "log.retention.ms=3000@" + SOURCE_STATIC_BROKER,
                    "retention.ms=604800000@" + SOURCE_DEFAULT), synonyms(own), "every level that gives a value");
        }
        try (RunningBroker broker = start("5000")) {
            assertEquals("5000", retention(broker, "orders").value(), "only the topic's own keys are stored");
            assertEquals("60000", retention(broker, "menus").value());
            broker.broker().alterConfig("menus", Map.of(), Set.of(TopicConfig.RETENTION_MS), false);
            DescribeConfigsResourceResult reset = retention(broker, "menus");
            assertEquals("5000", reset.value(), "a deleted override falls back to the broker's setting");
            assertEquals(SOURCE_STATIC_BROKER, reset.configSource());
        }
    }

    @Test
    void a_topic_on_a_broker_with_kafkas_default_reports_the_default() {
        try (RunningBroker broker = RunningBroker.overKafka(dataDir)) {
            broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
            DescribeConfigsResourceResult retention = retention(broker, "orders");
            assertEquals(SOURCE_DEFAULT, retention.configSource());
            assertEquals(List.of("retention.ms=604800000@" + SOURCE_DEFAULT), synonyms(retention));
        }
    }

    private RunningBroker start(String logRetentionMs) {
        return RunningBroker.overKafka(dataDir, Map.of(BrokerConfig.RETENTION_MS, logRetentionMs), false);
    }

    private static DescribeConfigsResourceResult retention(RunningBroker broker, String topic) {
        DescribeConfigsRequestData request = new DescribeConfigsRequestData().setIncludeSynonyms(true)
                .setResources(List.of(new DescribeConfigsResource().setResourceType(TOPIC).setResourceName(topic)
                        .setConfigurationKeys(List.of(TopicConfig.RETENTION_MS))));
        DescribeConfigsResponseData response;
        try (KafkaWire wire = new KafkaWire(broker)) {
            response = wire.send(request, 3);
        }
        return response.results().get(0).configs().get(0);
    }

    private static List<String> synonyms(DescribeConfigsResourceResult entry) {
        return entry.synonyms().stream().map(TopicDefaultsFromBrokerTest::text).toList();
    }

    private static String text(DescribeConfigsSynonym synonym) {
        return synonym.name() + "=" + synonym.value() + "@" + synonym.source();
    }
}
