package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.client.HttpConsumerGroup;
import toykafka.client.HttpTopics;
import toykafka.common.OffsetReset;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.http.HttpFrontEnd;
import toykafka.kafka.KafkaFrontEnd;

/**
 * {@code groups} and {@code groups describe}, the course's kafka-consumer-groups.sh, against a broker with both front
 * ends on loopback: the group kitchen has a kafka-clients {@code KafkaConsumer} (client.id fryer, joined over Kafka's
 * protocol) and a REST consumer instance (cook, joined over HTTP) as members, each with a commit of its own; the group
 * tills has only a commit, its one member gone.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GroupsCommandTest {

    /** How long the group may take to share the partitions out: a cap for a busy machine, left as soon as it has. */
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @TempDir
    Path dataDir;
    private Broker broker;
    private HttpFrontEnd http;
    private KafkaFrontEnd kafka;
    private KafkaConsumer<String, String> fryer;

    @BeforeEach
    void startBroker() throws Exception {
        broker = Broker.start(BrokerConfig.of(Map.of(BrokerConfig.HTTP_PORT, "0", BrokerConfig.KAFKA_PORT, "0",
                        BrokerConfig.HOST, "127.0.0.1", BrokerConfig.STATS_INTERVAL_MS, "0",
                        BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0"))
                .with(BrokerConfig.DATA_DIR, dataDir));
        http = HttpFrontEnd.start(broker, System.err);
        kafka = KafkaFrontEnd.start(broker, false, System.err);
    }

    @AfterEach
    void stopBroker() {
        if (fryer != null) {
            fryer.close(Duration.ofSeconds(5)); // while the front end is up, so its LeaveGroup is answered
        }
        kafka.close();
        http.close();
        broker.close();
    }

    /** Runs a command against the broker started here. */
    private CommandRun run(String... args) {
        return runAt(http.address(), args);
    }

    private static CommandRun runAt(String address, String... args) {
        String[] withBroker = Arrays.copyOf(args, args.length + 2);
        withBroker[args.length] = "--broker";
        withBroker[args.length + 1] = address;
        return CommandRun.of(withBroker);
    }

    private void append(HttpTopics topics, int partition, int count) {
        for (int i = 0; i < count; i++) {
            topics.appendAll("orders", partition, List.of(new Record(null, ("order " + i).getBytes(), Instant.now(), List.of())));
        }
    }

    @Test
    void a_kafka_consumer_and_a_rest_instance_show_as_members_of_one_group_with_their_commits_and_lags() {
        HttpTopics topics = new HttpTopics(http.address());
        topics.createTopic("orders", 2, Map.of());
        append(topics, 0, 3);
        append(topics, 1, 3);

        // tills: a REST instance commits orders-0 up to 1, then leaves; the commit keeps the group
        HttpConsumerGroup tills = new HttpConsumerGroup(http.address(), "tills", OffsetReset.EARLIEST);
        tills.join("counter", Set.of("orders"));
        tills.commit("counter", new TopicPartition("orders", 0), 1);
        tills.leave("counter");

        // kitchen: the REST instance cook joins first and owns both partitions, then fryer's JoinGroup shares them out
        HttpConsumerGroup kitchen = new HttpConsumerGroup(http.address(), "kitchen", OffsetReset.EARLIEST);
        kitchen.join("cook", Set.of("orders"));
        fryer = kafkaConsumer();
        fryer.subscribe(List.of("orders"));
        int read = 0;
        Instant deadline = Instant.now().plus(PATIENCE);
        while (read < 3 && Instant.now().isBefore(deadline)) {
            read += fryer.poll(Duration.ofMillis(100)).count();
        }
        assertEquals(3, read, "fryer reads the three records of the one partition it was assigned");
        fryer.commitSync(); // its position: 3
        assertEquals(1, fryer.assignment().size(), fryer.assignment().toString());
        int fryers = fryer.assignment().iterator().next().partition();
        int cooks = 1 - fryers;
        assertEquals(List.of(new TopicPartition("orders", cooks)), kitchen.assignment().get("cook"),
                "the range assignor gives each member one of the two partitions");
        kitchen.commit("cook", new TopicPartition("orders", cooks), 2);
        append(topics, 0, 2);
        append(topics, 1, 2); // both ends are now 5

        CommandRun list = run("groups");
        assertEquals(0, list.exitCode(), list.errors());
        assertEquals("""
                kitchen  STABLE  2 member(s)
                tills    EMPTY   0 member(s)
                """, list.out());

        CommandRun describe = run("groups", "describe", "kitchen");
        assertEquals(0, describe.exitCode(), describe.errors());
        List<String> lines = describe.out().lines().toList();
        assertEquals("group kitchen: STABLE, assignor range, generation 2", lines.get(0), describe.out());
        assertEquals(List.of("MEMBER-ID", "INSTANCE-ID", "CLIENT-ID", "PARTITIONS"), words(lines.get(2)), describe.out());
        List<String> cook = row(lines, "cook-");
        assertEquals(List.of("-", "cook", "orders-" + cooks), cook.subList(1, 4), "no static members: " + describe.out());
        List<String> kafkaMember = row(lines, "fryer-");
        assertEquals(List.of("-", "fryer", "orders-" + fryers), kafkaMember.subList(1, 4),
                "the Kafka consumer's member id starts with its client.id: " + describe.out());
        assertEquals(List.of("PARTITION", "COMMITTED", "END", "LAG", "CLIENT-ID"), words(lines.get(6)), describe.out());
        assertEquals(List.of("orders-0", "orders-1"), List.of(words(lines.get(7)).get(0), words(lines.get(8)).get(0)),
                "partitions in order: " + describe.out());
        assertEquals(List.of("orders-" + cooks, "2", "5", "3", "cook"), row(lines, "orders-" + cooks), describe.out());
        assertEquals(List.of("orders-" + fryers, "3", "5", "2", "fryer"), row(lines, "orders-" + fryers), describe.out());
        assertEquals(9, lines.size(), describe.out());

        CommandRun onlyCommits = run("groups", "describe", "tills");
        assertEquals(0, onlyCommits.exitCode(), onlyCommits.errors());
        assertTrue(onlyCommits.out().startsWith("group tills: EMPTY, "), onlyCommits.out());
        assertTrue(onlyCommits.out().contains("\nno members\n"), onlyCommits.out());
        assertEquals(List.of("orders-0", "1", "5", "4", "-"), row(onlyCommits.out().lines().toList(), "orders-0"),
                "a committed partition no member owns: " + onlyCommits.out());
    }

    @Test
    void an_unknown_group_and_a_missing_broker_get_one_line_each() throws Exception {
        CommandRun unknown = run("groups", "describe", "nobody");
        assertEquals(2, unknown.exitCode());
        assertEquals("", unknown.out());
        assertEquals(1, unknown.errors().lines().count(), unknown.errors());
        assertTrue(unknown.errors().startsWith("toykafka: GROUP_ID_NOT_FOUND: there is no consumer group 'nobody' at "
                + http.address()), unknown.errors());
        assertTrue(unknown.errors().contains("./toykafka groups lists"), unknown.errors());

        CommandRun none = run("groups");
        assertEquals(0, none.exitCode(), none.errors());
        assertEquals("", none.out(), "no groups, no lines");

        String nobody;
        try (ServerSocket socket = new ServerSocket(0)) {
            nobody = "http://127.0.0.1:" + socket.getLocalPort(); // closed again before the command runs
        }
        for (String[] args : List.of(new String[] {"groups"}, new String[] {"groups", "describe", "kitchen"})) {
            CommandRun unanswered = runAt(nobody, args);
            assertEquals(2, unanswered.exitCode());
            assertEquals("toykafka: no broker answers at " + nobody
                    + ": start one with ./toykafka broker, or name another with --broker\n", unanswered.errors());
            assertFalse(unanswered.errors().contains("\tat "), "no stack trace");
        }
    }

    private KafkaConsumer<String, String> kafkaConsumer() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "kitchen");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "fryer");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    /** A table row's cells. */
    private static List<String> words(String line) {
        return List.of(line.trim().split("\\s+"));
    }

    /** The cells of the one row whose first cell starts with {@code start}. */
    private static List<String> row(List<String> lines, String start) {
        List<List<String>> rows = lines.stream().map(GroupsCommandTest::words).filter(cells -> cells.get(0).startsWith(start))
                .toList();
        assertEquals(1, rows.size(), "one row starting " + start + " in " + lines);
        return rows.get(0);
    }
}
