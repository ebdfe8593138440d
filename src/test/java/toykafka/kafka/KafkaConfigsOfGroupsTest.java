package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import toykafka.apachekafka.KafkaJars;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Kafka 4.4's kafka-configs on groups, which 3.9's does not know: run from the jars of the Apache Kafka the
 * course starts (target/apache-kafka), in a JVM of its own. It lists the groups (ListGroups) and those with
 * configs (ListConfigResources), then describes each (DescribeConfigs, resource type 32); against Apache Kafka
 * 4.1.1 it printed these very lines for a group with committed offsets and no configs set. A config set on a group
 * is printed with its synonyms, as Kafka 4.4 prints it.
 */
class KafkaConfigsOfGroupsTest {

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @Test
    void kafka_configs_describes_each_group_with_no_dynamic_configs_and_a_missing_one_as_missing() throws Exception {
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.alterConsumerGroupOffsets("kitchen", Map.of(new TopicPartition("orders", 0), new OffsetAndMetadata(0)))
                    .all().get();
        }
        assertEquals(List.of("Dynamic configs for group kitchen are:"), configs("--describe", "--entity-type", "groups"));
        assertEquals(List.of("Dynamic configs for group kitchen are:"),
                configs("--describe", "--entity-type", "groups", "--entity-name", "kitchen"));
        assertEquals(List.of("The group 'nowhere' doesn't exist and doesn't have dynamic config."),
                configs("--describe", "--entity-type", "groups", "--entity-name", "nowhere"));
    }

    @Test
    void kafka_configs_sets_a_config_on_a_group_not_there_yet_and_describes_it_with_its_default_as_synonym() {
        assertEquals(List.of("Completed updating config for group later."), configs("--alter", "--entity-type",
                "groups", "--entity-name", "later", "--add-config", "consumer.session.timeout.ms=50000"));
        assertEquals(List.of("Dynamic configs for group later are:", "  consumer.session.timeout.ms=50000"
                + " sensitive=false synonyms={DYNAMIC_GROUP_CONFIG:consumer.session.timeout.ms=50000,"
                + " DEFAULT_CONFIG:group.consumer.session.timeout.ms=45000}"),
                configs("--describe", "--entity-type", "groups", "--entity-name", "later"));
        List<String> all = configs("--describe", "--all", "--entity-type", "groups", "--entity-name", "later");
        assertEquals(22, all.size(), String.join("\n", all));
        assertTrue(all.contains("  streams.assignor.name=sticky sensitive=false"
                + " synonyms={DEFAULT_CONFIG:group.streams.assignors=sticky}"), String.join("\n", all));

        ChildProcess.Result refused = ChildJvm.run(KafkaJars.inProject().classPath(), "org.apache.kafka.tools.ConfigCommand",
                List.of("--bootstrap-server", broker.bootstrapServers(), "--alter", "--entity-type", "groups",
                        "--entity-name", "later", "--add-config", "consumer.session.timeout.ms=5000"), null);
        String said = refused.output() + refused.errors();
        assertTrue(refused.exitCode() != 0 && said.contains("InvalidConfigurationException")
                && said.contains("consumer.session.timeout.ms must be in the range 45000 to 60000 inclusive."),
                refused.describe());
    }

    /** What kafka-configs prints, its log lines (stdout, for want of Kafka's tools-log4j2.yaml) left out. */
    private List<String> configs(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("--bootstrap-server", broker.bootstrapServers()));
        all.addAll(List.of(args));
        ChildProcess.Result run = ChildJvm.run(KafkaJars.inProject().classPath(), "org.apache.kafka.tools.ConfigCommand", all, null)
                .assertSucceeded();
        return run.lines().stream().filter(line -> !line.isBlank() && !line.startsWith("[") && !line.startsWith("\t"))
                .toList();
    }
}
