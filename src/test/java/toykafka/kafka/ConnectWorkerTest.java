package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ClassicGroupDescription;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import toykafka.testing.RunningBroker;
import toykafka.tools.ThrowawayCa;

/**
 * Kafka Connect 4.4's distributed worker ({@code ConnectDistributed}, in a JVM of its own) on our broker: it makes
 * its compacted config, offset and status topics, joins its classic group of protocol type {@code connect}, and
 * through its REST API runs a source connector that sends a file's lines to a topic and a sink connector that
 * writes them to another file, every line once and in order. Over PLAINTEXT to a broker as it starts by default,
 * then over SASL_SSL with SCRAM to one with StandardAuthorizer (secured as {@link SecuredKafkaNode#ours}), its user
 * granted the ACLs Connect's documentation asks; a worker whose user may not read its group stops with Kafka's
 * GroupAuthorizationException in its log, as on Kafka.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectWorkerTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String SOURCE = "toykafka.kafka.LineFileSource";
    private static final String SINK = "toykafka.kafka.LineFileSink";

    private Path folder;
    private ThrowawayCa.Material certificates;
    private RunningBroker broker;
    /** On the PLAINTEXT listener, where User:ANONYMOUS is a super user: the operator's door. */
    private Admin operator;

    @BeforeAll
    void start(@TempDir Path folder) {
        this.folder = folder;
        certificates = SharedCertificates.get();
        broker = RunningBroker.overKafka(folder.resolve("data"), SecuredKafkaNode.ours(certificates), false);
        operator = Admin.create(Map.of("bootstrap.servers", broker.front().bootstrapServers("PLAINTEXT")));
    }

    @AfterAll
    void stop() {
        if (operator != null) {
            operator.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** On a broker as it starts by default, with no listener but PLAINTEXT and no authorizer. */
    @Test
    void a_worker_over_plaintext_makes_its_topics_joins_its_group_and_moves_every_line_once_in_order()
            throws Exception {
        try (RunningBroker plain = RunningBroker.overKafka(folder.resolve("plain-data"));
             Admin admin = Admin.create(Map.of("bootstrap.servers", plain.bootstrapServers()));
             ConnectWorker worker = ConnectWorker.start(folder.resolve("plain"), "plain-connect",
                     Map.of("bootstrap.servers", plain.bootstrapServers()))) {
            worker.awaitReady(WAIT);
            assertEquals(List.of(), worker.connectors());

            moveLines(worker, admin, "plain", 20);

            assertEquals(List.of("plain-sink", "plain-source"), worker.connectors());
            for (String suffix : List.of("configs", "offsets", "status")) {
                String topic = "plain-connect-" + suffix;
                Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic)))
                        .all().get().values().iterator().next();
                assertEquals("compact", config.get("cleanup.policy").value(), topic);
            }
            assertEquals(1, admin.describeTopics(List.of("plain-connect-configs")).allTopicNames().get()
                    .get("plain-connect-configs").partitions().size(), "Connect's config topic has one partition");
            ClassicGroupDescription group = admin.describeClassicGroups(List.of("plain-connect")).all().get()
                    .get("plain-connect");
            assertEquals("connect", group.protocol(), "the worker group's protocol type");
            assertEquals("sessioned", group.protocolData(), "Connect 4.4's default subprotocol, chosen by the group");
            assertEquals(1, group.members().size());
        }
    }

    @Test
    void a_worker_over_sasl_ssl_with_scram_and_the_acls_connect_needs_moves_every_line_once_in_order()
            throws Exception {
        ScramOverTls.addUser(operator, "connector", "connector-secret");
        List<AclBinding> acls = new ArrayList<>(workerAcls("connector", "secure-connect"));
        acls.add(ScramOverTls.allow("connector", AclOperation.WRITE, ResourceType.TOPIC, "secure-lines",
                PatternType.LITERAL));
        acls.add(ScramOverTls.allow("connector", AclOperation.READ, ResourceType.TOPIC, "secure-lines",
                PatternType.LITERAL));
        acls.add(ScramOverTls.allow("connector", AclOperation.READ, ResourceType.GROUP, "connect-secure-sink",
                PatternType.LITERAL)); // a sink connector's consumer group is connect-<connector name>
        operator.createAcls(acls).all().get();
        try (ConnectWorker worker = ConnectWorker.start(folder.resolve("secure"), "secure-connect",
                secured("connector", "connector-secret"))) {
            worker.awaitReady(WAIT);
            moveLines(worker, operator, "secure", 10);
        }
    }

    @Test
    void a_worker_whose_user_may_not_read_its_group_stops_on_group_authorization_exception() throws Exception {
        ScramOverTls.addUser(operator, "groupless", "groupless-secret");
        List<AclBinding> acls = new ArrayList<>(workerAcls("groupless", "denied-connect"));
        acls.removeIf(acl -> acl.pattern().resourceType() == ResourceType.GROUP);
        operator.createAcls(acls).all().get();
        try (ConnectWorker worker = ConnectWorker.start(folder.resolve("denied"), "denied-connect",
                secured("groupless", "groupless-secret"))) {
            // the herder thread logs it and calls Exit, whose shutdown hook then waits on that same thread until
            // a timeout before the JVM is gone (so on Kafka too): the log is what an operator sees, and the test
            String refusal = "org.apache.kafka.common.errors.GroupAuthorizationException: Not authorized to access"
                    + " group: denied-connect";
            String log = worker.awaitLog("the herder's GroupAuthorizationException", text -> text.contains(
                    "Uncaught exception in herder work thread, exiting: \n" + refusal), WAIT);
            assertTrue(log.contains("FindCoordinator request hit fatal exception\n" + refusal), log);
        }
    }

    /**
     * What Connect's documentation asks of a worker's user: READ on its group; on its three internal topics READ and
     * WRITE, CREATE to make them, DESCRIBE_CONFIGS to check they are compacted (granted on the prefix they share).
     * No transactional id: exactly-once source support is off.
     */
    private static List<AclBinding> workerAcls(String user, String group) {
        List<AclBinding> acls = new ArrayList<>();
        acls.add(ScramOverTls.allow(user, AclOperation.READ, ResourceType.GROUP, group, PatternType.LITERAL));
        for (AclOperation operation : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
                AclOperation.DESCRIBE_CONFIGS)) {
            acls.add(ScramOverTls.allow(user, operation, ResourceType.TOPIC, group + "-", PatternType.PREFIXED));
        }
        return acls;
    }

    /** The worker's own clients and, by Connect's prefixes, its connectors' producers, consumers and admins. */
    private Map<String, String> secured(String user, String password) {
        Map<String, String> client = ScramOverTls.client(broker.front().bootstrapServers("SASL_SSL"), certificates,
                user, password);
        Map<String, String> settings = new HashMap<>(client);
        for (String prefix : List.of("producer.", "consumer.", "admin.")) {
            client.forEach((name, value) -> {
                if (!name.equals("bootstrap.servers")) {
                    settings.put(prefix + name, value);
                }
            });
        }
        return settings;
    }

    /**
     * A file of {@code count} lines through {@code prefix}-source to topic {@code prefix}-lines and out through
     * {@code prefix}-sink, both RUNNING; then more lines appended while they run: the sink's file ends up equal to
     * the source's, every line once and in order.
     */
    private void moveLines(ConnectWorker worker, Admin admin, String prefix, int count) throws Exception {
        String topic = prefix + "-lines";
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        Path in = folder.resolve(prefix + "-in.txt");
        Path out = folder.resolve(prefix + "-out.txt");
        List<String> lines = IntStream.rangeClosed(1, count).mapToObj(i -> prefix + " line " + i).toList();
        Files.write(in, lines, StandardCharsets.UTF_8);

        JsonNode created = worker.create(prefix + "-source", Map.of("connector.class", SOURCE, "tasks.max", "1",
                LineFileSource.FILE, in.toString(), LineFileSource.TOPIC, topic));
        assertEquals(prefix + "-source", created.path("name").asText());
        worker.create(prefix + "-sink", Map.of("connector.class", SINK, "tasks.max", "1", "topics", topic,
                LineFileSink.FILE, out.toString()));
        worker.awaitStatus(prefix + "-source", "RUNNING", WAIT);
        worker.awaitStatus(prefix + "-sink", "RUNNING", WAIT);
        awaitLines(worker, out, lines);

        List<String> more = IntStream.rangeClosed(count + 1, count + 5).mapToObj(i -> prefix + " line " + i).toList();
        Files.write(in, more, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        List<String> all = new ArrayList<>(lines);
        all.addAll(more);
        awaitLines(worker, out, all);
    }

    /** Waits until {@code out} holds as many lines as {@code expected}, then asserts they are those, in order. */
    private static void awaitLines(ConnectWorker worker, Path out, List<String> expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> written = List.of();
        while (System.nanoTime() < deadline && worker.alive()) {
            written = Files.exists(out) ? Files.readAllLines(out, StandardCharsets.UTF_8) : List.of();
            if (written.size() >= expected.size()) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals(expected, written, worker.log());
    }
}
