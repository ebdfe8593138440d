package toykafka.lesson19;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import toykafka.apachekafka.FreePorts;
import toykafka.apachekafka.KafkaCluster;
import toykafka.apachekafka.KafkaJars;
import toykafka.apachekafka.KafkaNode;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson13.Lesson13Demo;
import toykafka.lesson14.Lesson14Demo;
import toykafka.lesson14.Lesson14Story;
import toykafka.lesson15.Lesson15Demo;
import toykafka.lesson15.Lesson15Story;
import toykafka.narration.Narrator;
import toykafka.testing.RunningBroker;

/**
 * The course's own demos, unchanged but for {@code bootstrap.servers}, on a real three-node Apache Kafka
 * cluster: where the course's broker is outgrown, the programs are not. Each must tell what it tells on the
 * course's broker. One cluster serves them all, and is stopped last, as {@code ./toykafka kafka stop} does.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CourseDemosOnApacheKafkaTest {

    private static final List<String> ISOLATION_LEVELS = List.of("read_committed", "read_uncommitted");

    private KafkaCluster.Layout cluster;
    private List<KafkaNode.Running> started;
    /** What lesson 15 left in its bills, read from the cluster at each isolation level. */
    private final Map<String, Map<Integer, List<String>>> kafkasBills = new TreeMap<>();

    @BeforeAll
    void startThreeNodes(@TempDir Path folder) {
        int port = FreePorts.run(6);
        // Kafka's own default, which a node of ours otherwise sets to 0: a new group's first generation waits 3 s
        cluster = new KafkaCluster.Layout(folder, 3, port, port + 1, 384,
                Map.of("group.initial.rebalance.delay.ms", "3000"));
        started = KafkaCluster.start(cluster, KafkaJars.inProject());
    }

    @AfterAll
    void noNodeLeftBehind() {
        if (cluster != null) {
            for (int id = 1; id <= cluster.nodes(); id++) {
                KafkaCluster.kill(cluster, id);
            }
        }
    }

    @Test
    @Order(1)
    void three_nodes_start_as_one_cluster() {
        assertEquals(3, started.size());
        assertTrue(started.stream().allMatch(node -> node.clusterId().equals(started.get(0).clusterId())),
                "every node was formatted with the same cluster id: " + started);
    }

    @Test
    @Order(2)
    void lesson_12s_tills_and_kitchen_and_its_hand_built_retry_get_the_same_answers_from_apache_kafka() {
        String story = told(narrator -> Lesson13Demo.narrateOn(narrator, cluster.bootstrapServers()));
        assertTrue(story.contains("till-1 sends cod and chips  ==>  orders-1 offset 0"), story);
        assertTrue(story.contains("till-2: scampi and chips (orders-2@1)"), "the kitchen read every order: " + story);
        assertTrue(story.contains("sequence 0, first send  ==>  NONE, offset 2"), story);
        assertTrue(story.contains("sequence 0, sent again  ==>  NONE, offset 2"), "the retry gets the first offset: "
                + story);
        assertTrue(story.contains("orders-0 now ends at offset  ==>  3"), "written once: " + story);
        assertTrue(story.contains("sequence 2, with 1 never sent  ==>  OUT_OF_ORDER_SEQUENCE_NUMBER"), story);
    }

    @Test
    @Order(3)
    void lesson_13s_kitchen_gets_the_same_four_generations_and_the_same_books() throws Exception {
        deleteTopic("orders"); // lesson 13's: lesson 14's story starts from a topic of its own by that name
        String story = told(narrator -> Lesson14Demo.narrateOn(narrator, cluster.bootstrapServers()));
        Lesson14Story.assertEveryGenerationAndTheBooks(story);
        assertFalse(story.contains("leader  ==>"), "Admin does not say which member leads: " + story);
        assertFalse(story.contains("ILLEGAL_GENERATION"), "no stale commit is forged on a cluster not ours: " + story);
        assertTrue(story.contains("Kafka's Admin does not expose the group's leader or the raw member metadata"),
                "the story says what it skips and why: " + story);
    }

    @Test
    @Order(4)
    void lesson_15s_cashiers_bill_twice_at_least_once_and_once_in_a_transaction_on_apache_kafka_too() {
        String story = told(narrator -> Lesson15Demo.narrateOn(narrator, cluster.bootstrapServers()));
        Lesson15Story.assertTheCashiers(story);
        assertFalse(story.contains("marker, producer"), "the log's batches are shown on our broker only: " + story);
        for (String isolation : ISOLATION_LEVELS) {
            kafkasBills.put(isolation, bills(cluster.bootstrapServers(), isolation));
        }
    }

    @Test
    @Order(5)
    void status_lists_each_partition_as_the_cluster_describes_it_and_stop_ends_every_node() throws Exception {
        TopicPartitionInfo orders;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            orders = admin.describeTopics(List.of("orders")).allTopicNames().get(30, TimeUnit.SECONDS).get("orders")
                    .partitions().get(0);
        }
        assertEquals(3, orders.replicas().size(), "the cluster's default.replication.factor is 3");
        assertTrue(KafkaCluster.partitions(cluster).contains("orders-0: leader " + orders.leader().id() + ", replicas "
                + ids(orders.replicas()) + ", in sync " + ids(orders.isr())), KafkaCluster.partitions(cluster).toString());
        assertTrue(KafkaCluster.partitions(cluster).stream().anyMatch(line -> line.startsWith("__consumer_offsets: 50"
                + " partitions")), "an internal topic is one line: " + KafkaCluster.partitions(cluster));

        assertEquals(3, KafkaCluster.stop(cluster, Duration.ofSeconds(30)).size());
        assertTrue(KafkaCluster.processes(cluster).values().stream().allMatch(Optional::isEmpty));
    }

    /**
     * The bills lesson 15 left on the cluster, committed and aborted, in Kafka's own segments: copied from a
     * stopped node into our broker's data directory, where our broker must read them as Kafka did at each
     * isolation level, and rebuild from the markers the same aborted-transaction indexes Kafka wrote.
     */
    @Test
    @Order(6)
    void our_broker_reads_the_transactions_apache_kafka_wrote_with_the_same_answers(@TempDir Path ours) throws Exception {
        assertFalse(kafkasBills.isEmpty(), "lesson 15's demo ran on the cluster first");
        assertNotEquals(kafkasBills.get("read_committed"), kafkasBills.get("read_uncommitted"),
                "the demo left aborted bills among the committed ones");
        Path theirs = cluster.node(1).logDir();
        int kafkasIndexes = 0;
        RunningBroker broker = RunningBroker.overKafka(ours);
        try {
            broker.broker().createTopic(Lesson15Demo.BILLS, Lesson15Demo.PARTITIONS, Map.of(), OnDuplicate.FAIL);
            broker.close();
            for (int partition = 0; partition < Lesson15Demo.PARTITIONS; partition++) {
                KafkasSegments.adopt(theirs.resolve(Lesson15Demo.BILLS + "-" + partition),
                        broker.dataDir().resolve(Lesson15Demo.BILLS + "-" + partition));
            }
            KafkasSegments.forgetCleanShutdown(broker.dataDir()); // every log recovers, reading Kafka's batches whole
            broker.restart();
            for (String isolation : ISOLATION_LEVELS) {
                assertEquals(kafkasBills.get(isolation), bills(broker.bootstrapServers(), isolation),
                        isolation + ", each partition's values in order");
            }
            for (int partition = 0; partition < Lesson15Demo.PARTITIONS; partition++) {
                String dir = Lesson15Demo.BILLS + "-" + partition;
                kafkasIndexes += KafkasSegments.transactionIndexes(theirs.resolve(dir)).size();
                assertEquals(KafkasSegments.transactionIndexes(theirs.resolve(dir)),
                        KafkasSegments.transactionIndexes(broker.dataDir().resolve(dir)),
                        dir + ": the .txnindex files we rebuilt, as Kafka wrote them");
            }
            assertTrue(kafkasIndexes > 0, "Kafka indexed the aborted transactions");
        } finally {
            broker.close();
        }
    }

    /** Each partition of lesson 15's bills, its values in order, as a consumer at this isolation level reads them. */
    private static Map<Integer, List<String>> bills(String bootstrapServers, String isolation) {
        Map<Integer, List<String>> read = new TreeMap<>();
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        Duration patience = Duration.ofMinutes(2);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            for (int partition = 0; partition < Lesson15Demo.PARTITIONS; partition++) {
                TopicPartition bills = new TopicPartition(Lesson15Demo.BILLS, partition);
                consumer.assign(List.of(bills));
                consumer.seekToBeginning(List.of(bills));
                long end = consumer.endOffsets(List.of(bills), patience).get(bills);
                List<String> values = new ArrayList<>();
                long deadline = System.nanoTime() + patience.toNanos();
                while (consumer.position(bills, patience) < end && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                }
                assertEquals(end, consumer.position(bills, patience), bills + " read to its end within " + patience);
                read.put(partition, values);
            }
        }
        return read;
    }

    private void deleteTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            admin.deleteTopics(List.of(topic)).all().get(2, TimeUnit.MINUTES);
            Duration patience = Duration.ofMinutes(2); // three busy nodes may take long to agree; they do agree
            long deadline = System.nanoTime() + patience.toNanos();
            while (admin.listTopics().names().get(2, TimeUnit.MINUTES).contains(topic)) {
                assertTrue(System.nanoTime() < deadline, topic + " still listed " + patience.toSeconds()
                        + " s after its deletion");
                Thread.sleep(100);
            }
        }
    }

    private static String ids(List<Node> nodes) {
        return nodes.stream().map(node -> String.valueOf(node.id())).collect(Collectors.joining(",", "[", "]"));
    }

    private static String told(Consumer<Narrator> demo) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        demo.accept(new Narrator(new PrintStream(printed, true, StandardCharsets.UTF_8)));
        return printed.toString(StandardCharsets.UTF_8);
    }
}
