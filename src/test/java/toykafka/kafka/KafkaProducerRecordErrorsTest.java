package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import toykafka.common.TopicConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * kafka-clients' producer (3.9) told of every bad record of a batch: each record the answer names fails with its
 * own reason, and the rest with the producer's words for a record refused only for its company, so an
 * application can send those again. Against Apache Kafka 4.1.1 the same batch fails the same records.
 */
class KafkaProducerRecordErrorsTest {

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @Test
    void a_batch_of_100_with_10_keyless_records_on_a_compacted_topic_fails_those_10_by_name() throws Exception {
        broker.broker().createTopic("menus", 1, Map.of(TopicConfig.CLEANUP_POLICY, "compact"), OnDuplicate.FAIL);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        // one batch: nothing leaves before flush, and 100 small records fit a batch
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 600_000, ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20,
                ProducerConfig.RETRIES_CONFIG, 0),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 100; i++) {
                sent.add(producer.send(new ProducerRecord<>("menus", 0, i % 10 == 5 ? null : "dish-" + i, "price " + i)));
            }
            producer.flush();
        }
        List<Integer> named = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            Throwable failed = assertThrows(ExecutionException.class, sent.get(i)::get, "record " + i).getCause();
            if (failed instanceof InvalidRecordException invalid) {
                assertTrue(invalid.getMessage().contains("requires a key"), invalid.getMessage());
                named.add(i);
            } else {
                assertTrue(failed.getMessage().contains("part of a batch which had one"),
                        "record " + i + ": " + failed);
            }
        }
        assertEquals(List.of(5, 15, 25, 35, 45, 55, 65, 75, 85, 95), named);
        assertEquals(0, broker.broker().describePartition("menus", 0).endOffset(), "nothing of the batch is written");
    }
}
