package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code toykafka broker} as a learner runs it: in its own process, stopped with SIGTERM as Ctrl-C would. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BrokerCommandTest {

    @TempDir
    Path dataDir;

    @Test
    void help_lists_every_setting_with_its_kafka_name_environment_variable_and_default() {
        CommandRun brokerHelp = CommandRun.of("broker", "--help");
        assertEquals(0, brokerHelp.exitCode());
        String help = brokerHelp.out();
        for (String expected : List.of("--data-dir", "log.dirs", "TOYKAFKA_DATA_DIR", "--log-retention-ms",
                "TOYKAFKA_RETENTION_MS", "default 604800000", "--http-port", "--kafka-port", "listeners", "--trace",
                "--config", "--storage", "TOYKAFKA_STORAGE", "default file")) {
            assertTrue(help.contains(expected), "--help should mention " + expected + ":\n" + help);
        }
    }

    @Test
    void the_broker_starts_serves_and_stops_cleanly_on_sigterm_and_its_data_is_there_after() throws Exception {
        Process broker = start();
        List<String> output = collect(broker);
        try {
            String address = awaitAddress(output);
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> produced = client.send(HttpRequest.newBuilder(URI.create(address
                            + "/v3/clusters/toykafka/topics/orders/records"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"value\":\"cod\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, produced.statusCode(), produced.body());
            HttpResponse<String> console = client.send(HttpRequest.newBuilder(URI.create(address + "/console")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, console.statusCode(), "the broker command serves the console beside REST Proxy's routes");
            assertTrue(console.body().contains("/console/console.js"), console.body());
            String bootstrap = awaitLine(output, Pattern.compile("Kafka's protocol on (\\S+)"));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("orders"),
                        "Kafka's Admin, on the Kafka port, sees the topic HTTP created");
            }
        } finally {
            // SIGTERM, as kill sends (Ctrl-C sends SIGINT, which the JVM treats alike). Through the handle, because
            // Process.destroy() would also close the pipe we read the goodbye from.
            broker.toHandle().destroy();
        }
        assertTrue(broker.waitFor(30, TimeUnit.SECONDS), "the broker stops on SIGTERM");
        String printed = awaitLine(output, Pattern.compile("toykafka broker: (stopped)"));
        assertEquals("stopped", printed, "the shutdown hook closed every log and said so");
        assertTrue(Files.exists(dataDir.resolve(".kafka_cleanshutdown")),
                "a clean stop leaves the marker, one for the data directory, that spares the next start a recovery");

        Process again = start();
        try {
            String address = awaitAddress(collect(again));
            HttpResponse<String> read = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(address
                    + "/topics/orders/partitions/0/records?offset=earliest")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(read.body().contains("\"value\":\"cod\""), read.body());
        } finally {
            again.toHandle().destroy();
            again.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_broker_with_storage_memory_says_as_it_starts_that_nothing_survives_a_restart() throws Exception {
        Process broker = start("--storage", "memory");
        List<String> output = collect(broker);
        try {
            String warning = awaitLine(output, Pattern.compile("(storage=memory: .*)"));
            assertTrue(warning.contains("nothing survives a restart"), warning);
            awaitAddress(output);
        } finally {
            broker.toHandle().destroy();
            broker.waitFor(30, TimeUnit.SECONDS);
        }
        try (var files = Files.list(dataDir)) {
            assertEquals(List.of(), files.toList(), "nothing written to the data directory");
        }
    }

    private Process start(String... settings) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "toykafka.cli.Main", "broker", "--data-dir", dataDir.toString(), "--http-port", "0", "--kafka-port", "0"));
        command.addAll(List.of(settings));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Copies the process's output, line by line, into a list a test can look at while it runs. */
    private static List<String> collect(Process process) {
        List<String> lines = new ArrayList<>();
        Thread copier = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        copier.setDaemon(true);
        copier.start();
        return lines;
    }

    /** Waits for the banner line that says where the broker listens. */
    private static String awaitAddress(List<String> lines) throws Exception {
        return awaitLine(lines, Pattern.compile("listening on (http://\\S+)"));
    }

    /** Waits for a line the pattern finds, and returns the pattern's first group. */
    private static String awaitLine(List<String> lines, Pattern listening) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        synchronized (lines) {
            while (System.currentTimeMillis() < deadline) {
                for (String line : lines) {
                    Matcher matcher = listening.matcher(line);
                    if (matcher.find()) {
                        return matcher.group(1);
                    }
                }
                lines.wait(200);
            }
            throw new AssertionError("the broker never printed a line like '" + listening + "': " + lines);
        }
    }
}
