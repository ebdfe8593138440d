package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.apachekafka.KafkaJars;
import toykafka.apachekafka.KafkaTools;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * {@code toykafka kafka tool NAME}: Kafka's own tools from Maven's jars, their help and their answers unchanged,
 * against the course's broker.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaToolCommandTest {

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @Test
    void every_tool_names_a_main_class_that_is_in_kafkas_jars() throws IOException {
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(KafkaJars.FOLDER)) {
            for (Path jar : files.filter(file -> file.toString().endsWith(".jar")).toList()) {
                jars.add(jar.toUri().toURL());
            }
        }
        try (URLClassLoader kafka = new URLClassLoader(jars.toArray(URL[]::new), null)) {
            for (KafkaTools.Tool tool : KafkaTools.ALL) {
                try {
                    Class<?> main = Class.forName(tool.mainClass(), false, kafka);
                    main.getMethod("main", String[].class);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(tool.name() + ": no " + tool.mainClass() + " with a main method in "
                            + KafkaJars.FOLDER, e);
                }
            }
        }
    }

    @Test
    void kafka_transactions_help_is_kafkas_own() {
        CommandRun help = CommandRun.of("kafka", "tool", "kafka-transactions", "--help");
        assertTrue(help.out().startsWith("usage: kafka-transactions.sh [-h] [-v] [--command-config FILE]"),
                help.out() + help.reported());
        assertTrue(help.out().contains("--bootstrap-server host:port") && help.out().contains("describe-producers"),
                help.out());
        assertEquals(1, help.exitCode(), "the tool's own exit code: Kafka 4.4's argparse tools end their help with 1");
    }

    @Test
    void the_help_lists_the_tools_and_an_unknown_name_is_refused_with_them() {
        CommandRun help = CommandRun.of("kafka", "tool", "--help");
        assertEquals(0, help.exitCode());
        for (String name : List.of("kafka-topics", "kafka-console-producer", "kafka-console-consumer",
                "kafka-consumer-groups", "kafka-transactions", "kafka-configs", "kafka-features", "kafka-acls",
                "kafka-producer-perf-test", "kafka-dump-log", "kafka-share-groups", "kafka-streams-groups")) {
            assertTrue(help.out().contains("\n  " + name + " "), name + " in\n" + help.out());
        }

        CommandRun unknown = CommandRun.of("kafka", "tool", "kafka-topic", "--list");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.errors().contains("Kafka has no tool called 'kafka-topic' here; the tools are kafka-topics,"
                + " kafka-console-producer,"), unknown.errors());
        assertEquals("", unknown.out(), "nothing ran");
    }

    @Test
    void kafka_topics_lists_the_brokers_topics_and_the_console_producer_sends_what_it_is_given() {
        broker.broker().createTopic("till-receipts", 1, Map.of(), OnDuplicate.FAIL);
        CommandRun listed = CommandRun.of("kafka", "tool", "kafka-topics", "--bootstrap-server",
                broker.bootstrapServers(), "--list");
        assertEquals(0, listed.exitCode(), listed.reported());
        assertTrue(listed.out().lines().anyMatch("till-receipts"::equals), listed.out() + listed.reported());

        CommandRun produced = CommandRun.withInput("cod\nchips\n", "kafka", "tool", "kafka-console-producer.sh",
                "--bootstrap-server", broker.bootstrapServers(), "--topic", "till-receipts");
        assertEquals(0, produced.exitCode(), produced.out() + produced.reported());
        assertEquals(2, broker.broker().describePartition("till-receipts", 0).endOffset(),
                "each line a record, and the end of the input ends the tool");
    }
}
