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
 * 4.1.1 it printed these very lines for a group with committed offsets and no configs set.
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
    void a_group_config_is_refused_naming_the_broker_settings_its_groups_take_instead() {
        ChildProcess.Result refused = ChildJvm.run(KafkaJars.inProject().classPath(), "org.apache.kafka.tools.ConfigCommand",
                List.of("--bootstrap-server", broker.bootstrapServers(), "--alter", "--entity-type", "groups",
                        "--entity-name", "kitchen", "--add-config", "consumer.session.timeout.ms=50000"), null);
        String said = refused.output() + refused.errors();
        assertTrue(refused.exitCode() != 0 && said.contains("InvalidRequestException")
                && said.contains("group.consumer.*"), refused.describe());
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
