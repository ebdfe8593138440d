package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.apachekafka.FreePorts;

/** {@code toykafka kafka start|status|stop} as a learner types them, against Apache Kafka from Maven's jars. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaCommandTest {

    @TempDir
    Path folder;

    @Test
    void start_prints_the_address_start_up_time_and_memory_status_finds_the_node_and_stop_stops_it() throws IOException {
        int first = FreePorts.run(2);
        String port = String.valueOf(first);
        String controllerPort = String.valueOf(first + 1);
        try {
            CommandRun start = CommandRun.of("kafka", "start", "--data-dir", folder.toString(), "--port", port,
                    "--controller-port", controllerPort, "--heap-mib", "512", "--topic", "orders");
            assertEquals(0, start.exitCode(), start.errors());
            assertTrue(Pattern.compile("Apache Kafka 4\\.4\\.\\d+ is up at 127\\.0\\.0\\.1:" + port + " \\(process \\d+\\)")
                    .matcher(start.out()).find(), start.out());
            assertTrue(Pattern.compile("started in [\\d.]+ s \\(formatted a new cluster \\S+\\), resident memory \\d+ MiB,"
                    + " heap 512 MiB").matcher(start.out()).find(), start.out());
            assertTrue(start.out().contains("topic orders: created, one partition"), start.out());
            assertTrue(start.out().contains("try: ./toykafka kafka tool kafka-topics --bootstrap-server 127.0.0.1:"
                    + port + " --list"), start.out());
            assertTrue(start.out().contains("stop it with ./toykafka kafka stop --data-dir " + folder + "\n"),
                    "the stop that matches this start: " + start.out());

            CommandRun status = CommandRun.of("kafka", "status", "--data-dir", folder.toString());
            assertEquals(0, status.exitCode(), status.errors());
            assertTrue(status.out().contains("runs at 127.0.0.1:" + port) && status.out().contains("1 broker"),
                    status.out());

            CommandRun elect = CommandRun.of("kafka", "elect", "--data-dir", folder.toString());
            assertEquals(0, elect.exitCode(), elect.errors());
            assertTrue(elect.out().contains("every partition is led by its preferred replica already"), elect.out());

            CommandRun freshWhileRunning = CommandRun.of("kafka", "start", "--fresh", "--data-dir", folder.toString(),
                    "--port", port, "--controller-port", controllerPort);
            assertEquals(2, freshWhileRunning.exitCode());
            assertTrue(freshWhileRunning.errors().contains("still run from")
                    && freshWhileRunning.errors().contains("kafka stop stops them first"), freshWhileRunning.errors());
        } finally {
            CommandRun stop = CommandRun.of("kafka", "stop", "--data-dir", folder.toString());
            assertEquals(0, stop.exitCode(), stop.errors());
            assertTrue(stop.out().startsWith("stopped Apache Kafka (process "), stop.out());
        }
        CommandRun after = CommandRun.of("kafka", "status", "--data-dir", folder.toString());
        assertEquals(3, after.exitCode(), "a script can tell a stopped node by the exit code");
        assertTrue(after.out().contains("no Apache Kafka runs from"), after.out());

        CommandRun otherShape = CommandRun.of("kafka", "start", "--nodes", "3", "--data-dir", folder.toString());
        assertEquals(2, otherShape.exitCode());
        assertTrue(otherShape.errors().contains("holds a cluster of 1 node(s)")
                && otherShape.errors().contains("add --fresh to delete it"), otherShape.errors());
        CommandRun typo = CommandRun.of("kafka", "start", "--fresh", "--nodes", "9", "--data-dir", folder.toString());
        assertEquals(2, typo.exitCode());
        assertTrue(Files.exists(folder.resolve("node-1")), "a start refused for its settings deletes nothing");
    }

    @Test
    void a_fresh_start_deletes_only_a_folder_a_start_laid_out() throws IOException {
        Files.writeString(folder.resolve("notes.txt"), "a learner's own file");
        CommandRun.assertRefused("holds no cluster that ./toykafka kafka start laid out", "kafka", "start", "--fresh",
                "--data-dir", folder.toString());
        assertTrue(Files.exists(folder.resolve("notes.txt")));
    }

    @Test
    void the_command_without_an_action_or_with_bad_settings_says_what_is_wrong() {
        CommandRun.assertRefused("choose start, stop, status, kill, restart, elect or tool", "kafka");
        CommandRun.assertRefused("the heap must be from 128 to 32768 MiB; was 10", "kafka", "start", "--data-dir",
                folder.toString(), "--heap-mib", "10");
    }

}
