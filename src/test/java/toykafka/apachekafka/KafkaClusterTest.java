package toykafka.apachekafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Apache Kafka nodes from Maven's jars as one cluster: a topic replicated three ways, its leader killed
 * mid-stream, the record after it still acknowledged by the two left in sync, and the killed node back in sync
 * after its restart.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaClusterTest {

    @TempDir
    Path folder;

    private KafkaCluster.Layout layout;

    @AfterEach
    void noNodeLeftBehind() {
        if (layout != null) {
            for (int id = 1; id <= layout.nodes(); id++) {
                KafkaCluster.kill(layout, id);
            }
        }
    }

    @Test
    void a_killed_leader_is_replaced_acks_all_goes_on_with_two_in_sync_and_the_node_catches_up_after_its_restart()
            throws Exception {
        int port = FreePorts.run(6);
        layout = new KafkaCluster.Layout(folder, 3, port, port + 1, 384);
        List<KafkaNode.Running> nodes = KafkaCluster.start(layout, KafkaJars.inProject());
        assertEquals(3, nodes.size());
        assertTrue(nodes.stream().allMatch(node -> node.clusterId().equals(nodes.get(0).clusterId())), "one cluster");

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", layout.bootstrapServers()));
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, layout.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                     ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                     ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            admin.createTopics(List.of(new NewTopic("orders", Optional.of(1), Optional.empty()))).all()
                    .get(30, TimeUnit.SECONDS);
            TopicPartitionInfo before = await(admin, partition -> partition.isr().size() == 3, "three in sync");
            assertEquals(3, before.replicas().size(), "the cluster's default.replication.factor is 3");
            assertEquals(0, send(producer, "cod").offset());

            int leader = before.leader().id();
            assertTrue(KafkaCluster.kill(layout, leader).isPresent());
            assertEquals(1, send(producer, "haddock").offset(), "acknowledged by the two left, min.insync.replicas=2");
            TopicPartitionInfo after = await(admin, partition -> partition.leader() != null
                    && partition.leader().id() != leader && partition.isr().size() == 2, "a new leader, two in sync");
            assertTrue(after.isr().stream().noneMatch(node -> node.id() == leader), after.toString());
            assertTrue(KafkaCluster.partitions(layout).contains("orders-0: leader " + after.leader().id() + ", replicas "
                    + ids(after) + ", in sync " + isr(after)), KafkaCluster.partitions(layout).toString());

            KafkaCluster.restart(layout, leader, KafkaJars.inProject());
            await(admin, partition -> partition.isr().size() == 3, "the restarted node back in sync");
        }
        assertEquals(3, KafkaCluster.stop(layout, Duration.ofSeconds(30)).size());
        assertTrue(KafkaCluster.processes(layout).values().stream().allMatch(Optional::isEmpty));
    }

    @Test
    void a_layout_out_of_range_or_a_node_it_does_not_have_is_refused_with_the_valid_range() {
        IllegalArgumentException six = assertThrows(IllegalArgumentException.class,
                () -> new KafkaCluster.Layout(folder, 6, 9192, 9193, 512));
        assertTrue(six.getMessage().contains("from 1 to 5 nodes; asked for 6"), six.getMessage());
        IllegalArgumentException meeting = assertThrows(IllegalArgumentException.class,
                () -> new KafkaCluster.Layout(folder, 3, 9192, 9194, 512));
        assertTrue(meeting.getMessage().contains("never meet"), meeting.getMessage());
        KafkaCluster.Layout three = new KafkaCluster.Layout(folder, 3, 9192, 9193, 512);
        IllegalArgumentException fourth = assertThrows(IllegalArgumentException.class, () -> three.node(4));
        assertTrue(fourth.getMessage().contains("nodes 1 to 3; there is no node 4"), fourth.getMessage());
        assertEquals("127.0.0.1:9192,127.0.0.1:9194,127.0.0.1:9196", three.bootstrapServers());
        assertEquals("1@127.0.0.1:9193,2@127.0.0.1:9195,3@127.0.0.1:9197", three.node(2).quorumVoters());
        assertEquals("2", three.node(2).serverProperties().get("min.insync.replicas"));
        KafkaCluster.Layout quickCleaner = new KafkaCluster.Layout(folder, 3, 9192, 9193, 512,
                Map.of("log.cleaner.backoff.ms", "500", "min.insync.replicas", "1"));
        assertEquals("500", quickCleaner.node(3).serverProperties().get("log.cleaner.backoff.ms"));
        assertEquals("1", quickCleaner.node(3).serverProperties().get("min.insync.replicas"), "an override wins");
    }

    private static RecordMetadata send(KafkaProducer<String, String> producer, String value) throws Exception {
        return producer.send(new ProducerRecord<>("orders", 0, null, value)).get(60, TimeUnit.SECONDS);
    }

    private static TopicPartitionInfo await(Admin admin, java.util.function.Predicate<TopicPartitionInfo> wanted,
            String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        TopicPartitionInfo partition = null;
        while (System.nanoTime() < deadline) {
            TopicDescription topic = admin.describeTopics(List.of("orders")).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get("orders");
            partition = topic.partitions().get(0);
            if (wanted.test(partition)) {
                return partition;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + what + " within 60 s: " + partition);
    }

    private static String ids(TopicPartitionInfo partition) {
        return partition.replicas().stream().map(node -> String.valueOf(node.id()))
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    private static String isr(TopicPartitionInfo partition) {
        return partition.isr().stream().map(node -> String.valueOf(node.id()))
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }
}
