package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.StreamsGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.testing.RunningBroker;
import toykafka.tools.ThrowawayCa;

/**
 * Kafka Streams 4.4 over SASL_SSL with SCRAM-SHA-512 on our broker with StandardAuthorizer: a word count at
 * exactly_once_v2 whose user holds the ACLs Kafka's Streams security guide gives (everything on topics, groups and
 * transactional ids prefixed with its application id, READ on its input, WRITE on its output) counts every word,
 * with the classic group protocol and with KIP-1071's streams groups; an app whose user may not CREATE its internal
 * topics (classic protocol: its group's leader makes them), or may not READ its group (either protocol), stops in
 * state ERROR with Kafka's authorization exception, as on Kafka; in a streams group, where the broker makes the
 * internal topics, one that may not CREATE them waits without tasks until it may.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredStreamsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> WORDS = List.of("ant", "bee", "ant", "cow", "bee", "ant");
    private static final Map<String, Long> COUNTS = Map.of("ant", 3L, "bee", 2L, "cow", 1L);

    private Path folder;
    private ThrowawayCa.Material certificates;
    private RunningBroker broker;
    /** On the PLAINTEXT listener, where User:ANONYMOUS is a super user: the operator's door. */
    private Admin operator;

    @BeforeAll
    void start(@TempDir Path folder) {
        this.folder = folder;
        certificates = SharedCertificates.get();
        Map<String, String> settings = new HashMap<>(SecuredKafkaNode.ours(certificates));
        // a member waiting for its internal topics hears of them at its next heartbeat: 1 s, not Kafka's 5
        settings.put("group.streams.heartbeat.interval.ms", "1000");
        broker = RunningBroker.overKafka(folder.resolve("data"), settings, false);
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

    @Test
    void a_word_count_with_the_acls_streams_needs_counts_every_word_on_the_classic_protocol() throws Exception {
        countsEveryWord("classic-count", "classic");
    }

    @Test
    void a_word_count_with_the_acls_streams_needs_counts_every_word_in_a_streams_group() throws Exception {
        countsEveryWord("grouped-count", "streams");
    }

    @Test
    void a_word_count_whose_user_may_not_create_its_internal_topics_stops_with_topic_authorization_exception()
            throws Exception {
        String app = "uncreating-count";
        Throwable error = failure(app, "classic", withoutCreate(app));
        // the group's leader makes the internal topics as it assigns, through CreateTopics
        assertEquals("Could not create topic uncreating-count-counts-repartition.", error.getMessage(), trace(error));
        assertTrue(error.getCause() instanceof TopicAuthorizationException, trace(error));
    }

    /**
     * On the streams protocol the broker makes the internal topics, and Kafka's makes only those the member's
     * principal may CREATE, naming the others in the heartbeat's status: the app waits without tasks, not failing,
     * until an operator grants CREATE.
     */
    @Test
    void in_a_streams_group_a_word_count_whose_user_may_not_create_its_internal_topics_waits_until_it_may()
            throws Exception {
        String app = "waiting-count";
        try (Running streams = start(app, "streams", withoutCreate(app))) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!operator.describeStreamsGroups(List.of(app)).all().toCompletionStage().handle((groups, e) ->
                    e == null && !groups.get(app).members().isEmpty()).toCompletableFuture().get()
                    && System.nanoTime() < deadline) { // GROUP_ID_NOT_FOUND until the first heartbeat
                Thread.sleep(50);
            }
            StreamsGroupDescription group = operator.describeStreamsGroups(List.of(app)).all().get().get(app);
            assertEquals(1, group.members().size(), group.toString());
            assertEquals(List.of(), group.members().iterator().next().assignment().activeTasks(), "no tasks yet");
            assertTrue(operator.listTopics().names().get().stream().noneMatch(topic -> topic.startsWith(app + "-")),
                    "no internal topic made");
            operator.createAcls(List.of(ScramOverTls.allow(app, AclOperation.CREATE, ResourceType.TOPIC, app,
                    PatternType.PREFIXED))).all().get();
            assertEquals(new TreeMap<>(COUNTS), awaitCounts(app, streams));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"classic", "streams"})
    void a_word_count_whose_user_may_not_read_its_group_stops_with_group_authorization_exception(String groupProtocol)
            throws Exception {
        String app = "groupless-" + groupProtocol;
        List<AclBinding> acls = new ArrayList<>(streamsAcls(app));
        acls.removeIf(acl -> acl.pattern().resourceType() == ResourceType.GROUP);
        Throwable error = failure(app, groupProtocol, acls);
        assertTrue(error.getCause() instanceof GroupAuthorizationException, trace(error));
        assertEquals("Not authorized to access group: " + app, error.getCause().getMessage());
    }

    /**
     * The ACLs of Kafka's Streams security guide for a user named after its app: ALL on topics, groups and
     * transactional ids prefixed with the application id (internal topics, the group, exactly-once's producers),
     * READ on the input topic and WRITE on the output topic.
     */
    private static List<AclBinding> streamsAcls(String app) {
        List<AclBinding> acls = new ArrayList<>();
        for (ResourceType type : List.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)) {
            acls.add(ScramOverTls.allow(app, AclOperation.ALL, type, app, PatternType.PREFIXED));
        }
        acls.add(ScramOverTls.allow(app, AclOperation.READ, ResourceType.TOPIC, "words-of-" + app,
                PatternType.LITERAL));
        acls.add(ScramOverTls.allow(app, AclOperation.WRITE, ResourceType.TOPIC, "counts-of-" + app,
                PatternType.LITERAL));
        return acls;
    }

    /** The app's ACLs but CREATE on the topics prefixed with its id: it may use its internal topics, not make them. */
    private static List<AclBinding> withoutCreate(String app) {
        List<AclBinding> acls = new ArrayList<>(streamsAcls(app));
        acls.removeIf(acl -> acl.pattern().resourceType() == ResourceType.TOPIC
                && acl.pattern().patternType() == PatternType.PREFIXED);
        for (AclOperation operation : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS)) {
            acls.add(ScramOverTls.allow(app, operation, ResourceType.TOPIC, app, PatternType.PREFIXED));
        }
        return acls;
    }

    private void countsEveryWord(String app, String groupProtocol) throws Exception {
        try (Running streams = start(app, groupProtocol, streamsAcls(app))) {
            assertEquals(new TreeMap<>(COUNTS), awaitCounts(app, streams));
            assertEquals(KafkaStreams.State.RUNNING, streams.app.state());
        }
    }

    /** The last count of each word the app wrote and committed, once they are all there (or the wait is over). */
    private Map<String, Long> awaitCounts(String app, Running streams) {
        Map<String, Long> counts = new TreeMap<>();
        try (KafkaConsumer<String, Long> reader = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", broker.front().bootstrapServers("PLAINTEXT"),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new LongDeserializer())) {
            reader.assign(List.of(new TopicPartition("counts-of-" + app, 0)));
            reader.seekToBeginning(reader.assignment());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!counts.equals(COUNTS) && System.nanoTime() < deadline && streams.error.get() == null) {
                for (ConsumerRecord<String, Long> record : reader.poll(Duration.ofMillis(200))) {
                    counts.put(record.key(), record.value());
                }
            }
        }
        assertEquals(null, streams.error.get(), () -> trace(streams.error.get()));
        return counts;
    }

    /** Starts the app as a user holding {@code acls}, and returns what stopped it in state ERROR. */
    private Throwable failure(String app, String groupProtocol, List<AclBinding> acls) throws Exception {
        try (Running streams = start(app, groupProtocol, acls)) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (streams.app.state() != KafkaStreams.State.ERROR && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(KafkaStreams.State.ERROR, streams.app.state());
            if (streams.error.get() == null) {
                fail("the app stopped with no exception");
            }
            return streams.error.get();
        }
    }

    /** A word count in this JVM, with kafka-streams 4.4, a client of our broker as any other. */
    private record Running(KafkaStreams app, AtomicReference<Throwable> error) implements AutoCloseable {
        @Override
        public void close() {
            app.close(WAIT);
        }
    }

    /**
     * Makes the user (named after the app) and its ACLs, the input topic with the words and the output topic, and
     * starts the word count over SASL_SSL.
     */
    private Running start(String app, String groupProtocol, List<AclBinding> acls) throws Exception {
        ScramOverTls.addUser(operator, app, app + "-secret");
        operator.createAcls(acls).all().get();
        String input = "words-of-" + app;
        String output = "counts-of-" + app;
        operator.createTopics(List.of(new NewTopic(input, 1, (short) 1), new NewTopic(output, 1, (short) 1))).all()
                .get();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", broker.front().bootstrapServers("PLAINTEXT")),
                new StringSerializer(), new StringSerializer())) {
            for (String word : WORDS) {
                producer.send(new ProducerRecord<>(input, word)).get();
            }
        }
        if (groupProtocol.equals("streams")) { // the broker's 3 s wait for more members would be the test's time
            operator.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, app), List.of(
                    new AlterConfigOp(new ConfigEntry("streams.initial.rebalance.delay.ms", "0"),
                            AlterConfigOp.OpType.SET)))).all().get();
        }
        Properties settings = StreamsApp.settings(broker.front().bootstrapServers("SASL_SSL"), "exactly_once_v2", app,
                app, folder.resolve("state-" + app).toString(), groupProtocol);
        settings.putAll(ScramOverTls.client(broker.front().bootstrapServers("SASL_SSL"), certificates, app,
                app + "-secret"));
        KafkaStreams streams = new KafkaStreams(wordCount(input, output), settings);
        AtomicReference<Throwable> error = new AtomicReference<>();
        streams.setUncaughtExceptionHandler(e -> {
            error.compareAndSet(null, e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        return new Running(streams, error);
    }

    private static Topology wordCount(String input, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
                .count(Materialized.<String, Long>as(Stores.inMemoryKeyValueStore("counts"))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream()
                .to(output, Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    private static String trace(Throwable error) {
        java.io.StringWriter text = new java.io.StringWriter();
        error.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }
}
