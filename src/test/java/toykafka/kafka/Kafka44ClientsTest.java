package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;

/**
 * Kafka 4.4's own clients, unmodified, choose the versions this broker added for them, and get on with their work:
 * the broker's trace names the version of every request, so the test reads which each client sent.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class Kafka44ClientsTest {

    private static final TopicPartition MENU_0 = new TopicPartition("menu", 0);

    @Test
    void admin_a_consumer_and_a_transactional_producer_use_the_newest_versions_and_their_answers(@TempDir Path dir)
            throws Exception {
        try (RunningBroker broker = RunningBroker.overKafka(dir, Map.of(), true)) {
            broker.broker().createTopic("menu", 1, Map.of(), OnDuplicate.FAIL);
            String bootstrap = broker.bootstrapServers();

            try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("menu", 0, "soup", "tomato")).get();
                producer.send(new ProducerRecord<>("menu", 0, "main", "cod")).get();
                producer.sendOffsetsToTransaction(Map.of(MENU_0, new OffsetAndMetadata(1)),
                        new org.apache.kafka.clients.consumer.ConsumerGroupMetadata("waiters"));
                producer.commitTransaction();
            }
            try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
                consumer.subscribe(List.of("menu"));
                int read = 0;
                for (int polls = 0; read < 1 && polls < 600; polls++) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                    read += records.count();
                }
                assertEquals(1, read, "the transaction's offset 1 was where the group went on: only cod is left");
                consumer.commitSync(Map.of(MENU_0, new OffsetAndMetadata(3)));
                assertEquals(3, consumer.committed(Set.of(MENU_0)).get(MENU_0).offset());
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                assertEquals(3, admin.listOffsets(Map.of(MENU_0, OffsetSpec.latest())).partitionResult(MENU_0).get()
                        .offset(), "two records and a COMMIT marker");
                assertEquals(Set.of(broker.broker().nodeId()), admin.describeLogDirs(List.of(broker.broker().nodeId()))
                        .allDescriptions().get().keySet());
            }

            String trace = broker.log();
            for (String request : List.of("ApiVersions v5 ", "ListOffsets v11 ", "OffsetCommit v10 ",
                    "OffsetFetch v10 ", "TxnOffsetCommit v6 ", "DescribeLogDirs v5 ", "EndTxn v5 ", "Produce v13 ",
                    "Fetch v18 ")) {
                assertTrue(trace.contains("-> " + request) || trace.contains(" " + request + "#"),
                        "Kafka 4.4's clients sent " + request + "\n" + trace);
            }
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "till-44");
        return new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "waiters");
        settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer());
    }
}
