package toykafka.apachekafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Apache Kafka from Maven's jars: formatted, started, used by kafka-clients, stopped and started again. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaNodeTest {

    @TempDir
    Path folder;

    @AfterEach
    void noNodeLeftBehind() {
        KafkaNode.kill(folder);
    }

    /** One node's whole life: a node takes a good part of a minute of processor time to start on two cores. */
    @Test
    void a_node_formats_its_folder_keeps_what_it_was_sent_across_a_restart_and_refuses_a_second_start() throws IOException {
        KafkaNodeSettings settings = settings();
        KafkaNode.Running first = KafkaNode.start(settings, KafkaJars.inProject());
        assertTrue(first.formatted(), "the first start formats the folder");
        assertEquals(1, first.brokers());
        assertEquals(settings.bootstrapServers(), first.bootstrapServers());
        assertTrue(first.residentBytes() > 0, "the node's memory is read from /proc");
        assertEquals(first.pid(), KafkaNode.status(folder, KafkaJars.inProject()).orElseThrow().pid());

        produce(settings.bootstrapServers(), List.of("cod", "haddock", "plaice"));
        assertEquals(Optional.of(first.pid()), KafkaNode.stop(folder, Duration.ofSeconds(30)));
        assertFalse(ProcessHandle.of(first.pid()).map(ProcessHandle::isAlive).orElse(false), "stop waits for the exit");
        assertEquals(Optional.empty(), KafkaNode.status(folder, KafkaJars.inProject()));
        assertFalse(Files.exists(folder.resolve("node.pid")));

        KafkaNode.Running second = KafkaNode.start(settings, KafkaJars.inProject());
        assertFalse(second.formatted(), "a formatted folder is started as it is");
        assertEquals(first.clusterId(), second.clusterId());
        assertEquals(List.of("cod", "haddock", "plaice"), readAll(settings.bootstrapServers()));

        IllegalStateException twice = assertThrows(IllegalStateException.class,
                () -> KafkaNode.start(settings, KafkaJars.inProject()));
        assertTrue(twice.getMessage().contains("already runs") && twice.getMessage().contains(String.valueOf(second.pid())),
                twice.getMessage());
        KafkaNodeSettings elsewhere = new KafkaNodeSettings(folder.resolve("other"), settings.port(), FreePorts.run(1), 256,
                Map.of());
        IllegalStateException taken = assertThrows(IllegalStateException.class,
                () -> KafkaNode.start(elsewhere, KafkaJars.inProject()));
        assertTrue(taken.getMessage().contains("port " + settings.port()) && taken.getMessage().contains("--port"),
                taken.getMessage());
    }

    @Test
    void a_node_that_cannot_start_is_reported_with_the_end_of_its_log() throws IOException {
        KafkaNodeSettings broken = settings().withOverrides(Map.of("num.io.threads", "zero"));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> KafkaNode.start(broken, KafkaJars.inProject()));
        assertTrue(refused.getMessage().contains("num.io.threads"), refused.getMessage());
        assertEquals(Optional.empty(), KafkaNode.status(folder, KafkaJars.inProject()), "nothing is left running");
    }

    @Test
    void a_folder_no_node_runs_from_has_nothing_to_stop_or_show_and_a_stale_pid_file_is_not_trusted() throws IOException {
        assertEquals(Optional.empty(), KafkaNode.stop(folder, Duration.ofSeconds(1)));
        Files.writeString(folder.resolve("node.pid"), ProcessHandle.current().pid() + "\n");
        assertEquals(Optional.empty(), KafkaNode.status(folder, KafkaJars.inProject()),
                "a live process that is not this folder's Kafka is not taken for it");
        assertEquals(Optional.empty(), KafkaNode.kill(folder));
        assertTrue(ProcessHandle.current().isAlive());
    }

    @Test
    void free_ports_come_in_a_run_below_the_ephemeral_range_and_nothing_listens_on_them() throws IOException {
        int first = FreePorts.run(6);
        assertTrue(first >= 20_000 && first + 6 <= 32_000, "below Linux's ephemeral ports, from 32768: " + first);
        for (int port = first; port < first + 6; port++) {
            new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress()).close();
        }
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> FreePorts.run(0));
        assertTrue(none.getMessage().contains("from 1 to 100 ports; asked for 0"), none.getMessage());
    }

    @Test
    void settings_out_of_range_are_refused_with_the_valid_range() {
        IllegalArgumentException samePort = assertThrows(IllegalArgumentException.class,
                () -> new KafkaNodeSettings(folder, 9192, 9192, 1024, Map.of()));
        assertTrue(samePort.getMessage().contains("two different ports from 1 to 65535"), samePort.getMessage());
        IllegalArgumentException heap = assertThrows(IllegalArgumentException.class,
                () -> new KafkaNodeSettings(folder, 9192, 9193, 64, Map.of()));
        assertTrue(heap.getMessage().contains("128 to 32768"), heap.getMessage());
        assertThrows(IllegalStateException.class, () -> KafkaJars.in(folder), "an empty folder holds no Kafka");
    }

    private KafkaNodeSettings settings() throws IOException {
        int port = FreePorts.run(2);
        return new KafkaNodeSettings(folder, port, port + 1, 512, Map.of());
    }


    private static void produce(String bootstrap, List<String> values) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (String value : values) {
                producer.send(new ProducerRecord<>("orders", 0, null, value));
            }
            producer.flush();
        }
    }

    private static List<String> readAll(String bootstrap) {
        TopicPartition partition = new TopicPartition("orders", 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<String> values = new ArrayList<>();
            // a bound on a hang only: the loop ends at the partition's end, and a restarted node on a busy machine is slow
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            return values;
        }
    }
}
