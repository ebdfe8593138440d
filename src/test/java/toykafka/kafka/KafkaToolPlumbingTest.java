package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import toykafka.apachekafka.KafkaJars;

/**
 * Kafka's command-line tools, without a broker: each main class starts in a child JVM from Kafka's jars.
 * kafka-cluster, kafka-features and kafka-transactions are left out: they read their arguments another way
 * (argparse4j), with a {@code --version} and a help of its own layout; {@code KafkaToolsTest} and
 * {@code TransactionalClientsTest} run them against the broker.
 */
class KafkaToolPlumbingTest {

    @ParameterizedTest
    @EnumSource(value = KafkaTool.class, mode = EnumSource.Mode.EXCLUDE, names = {"CLUSTER", "FEATURES", "TRANSACTIONS"})
    void each_tool_starts_from_kafkas_jars_and_prints_its_version(KafkaTool tool) {
        ChildProcess.Result version = tool.run(null, "--version").assertSucceeded();
        assertEquals(KafkaJars.inProject().version(), version.output().strip(), version.describe());
    }

    @ParameterizedTest
    @EnumSource(value = KafkaTool.class, mode = EnumSource.Mode.EXCLUDE, names = {"CLUSTER", "FEATURES", "TRANSACTIONS"})
    void each_tool_prints_its_options_for_help(KafkaTool tool) {
        // Kafka's tools print their usage on standard error and exit with 1, even when asked for it
        ChildProcess.Result help = tool.run(null, "--help");
        assertEquals(1, help.exitCode(), help.describe());
        assertTrue(help.errors().contains("This tool helps") || help.errors().contains("This tool is used to")
                || help.errors().contains("An interactive shell"), help.describe());
        assertTrue(help.errors().contains("Option") && help.errors().contains("Description"), help.describe());
    }
}
