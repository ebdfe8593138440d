package toykafka.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import toykafka.lesson08.PartitionDirectory;
import toykafka.testing.RunningBroker;

/**
 * Record batches built by Kafka's own producer (kafka-clients, in this JVM): each list of records is sent to a
 * broker with its Kafka front end, flushed as one batch, and read back from the partition's segment files. The
 * broker keeps a producer's batch as sent but for its base offset and leader epoch (when the topic's
 * compression.type is "producer", the default), so these are Kafka's bytes, not ours.
 */
public final class KafkaProducerBatches {

    private static final String TOPIC = "oracle";

    private KafkaProducerBatches() {
    }

    /** Kafka's public Header interface, with a null value allowed as Kafka allows it. */
    record KafkaHeader(String key, byte[] value) implements org.apache.kafka.common.header.Header {
    }

    /**
     * Sends each list of records as one batch, compressed with {@code codec} (a compression.type), by a plain or an
     * idempotent producer, to a topic with these configs; returns the batches the partition stores, one a list.
     */
    public static List<RecordBatch> send(Path dataDir, String codec, boolean idempotent, Map<String, String> topicConfigs,
                                         List<List<Record>> rounds) {
        return send(dataDir, idempotent, topicConfigs, Map.of(codec, rounds)).get(codec);
    }

    /** As {@link #send(Path, String, boolean, Map, List)} for several codecs: one broker, a topic and a producer each. */
    public static Map<String, List<RecordBatch>> send(Path dataDir, boolean idempotent, Map<String, String> topicConfigs,
                                                      Map<String, List<List<Record>>> roundsByCodec) {
        Map<String, String> configs = new HashMap<>(Map.of("retention.ms", "-1", "max.message.bytes", "16000000"));
        configs.putAll(topicConfigs);
        Map<String, List<RecordBatch>> stored = new HashMap<>();
        try (RunningBroker broker = RunningBroker.overKafka(dataDir)) {
            String bootstrap = "127.0.0.1:" + broker.port();
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
                admin.createTopics(roundsByCodec.keySet().stream().map(codec -> new NewTopic(topic(codec), 1, (short) 1)
                        .configs(configs)).toList()).all().get();
            }
            for (Map.Entry<String, List<List<Record>>> each : roundsByCodec.entrySet()) {
                produce(bootstrap, topic(each.getKey()), each.getKey(), idempotent, each.getValue());
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError("Kafka's producer could not send", e);
        }
        for (Map.Entry<String, List<List<Record>>> each : roundsByCodec.entrySet()) {
            List<RecordBatch> batches = stored(dataDir, topic(each.getKey()));
            assertEquals(each.getValue().size(), batches.size(), "one batch a flush, " + each.getKey());
            stored.put(each.getKey(), batches);
        }
        return stored;
    }

    private static String topic(String codec) {
        return TOPIC + "-" + codec;
    }

    private static void produce(String bootstrap, String topic, String codec, boolean idempotent, List<List<Record>> rounds)
            throws InterruptedException, ExecutionException {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(idempotent));
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, "600000"); // a batch ends at flush, holding its round
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, "8000000");
        settings.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "16000000");
        settings.put(ProducerConfig.BUFFER_MEMORY_CONFIG, "64000000");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (List<Record> round : rounds) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (Record record : round) {
                    List<org.apache.kafka.common.header.Header> headers = new ArrayList<>();
                    for (Header header : record.headers()) {
                        headers.add(new KafkaHeader(header.key(), header.value()));
                    }
                    sent.add(producer.send(new ProducerRecord<>(topic, 0, record.timestamp().toEpochMilli(),
                            record.key(), record.value(), headers)));
                }
                producer.flush();
                for (Future<RecordMetadata> each : sent) {
                    each.get();
                }
            }
        }
    }

    /** The batches in the topic's segment files, in offset order, each a copy of its bytes. */
    private static List<RecordBatch> stored(Path dataDir, String topic) {
        try {
            Path dir = PartitionDirectory.resolve(dataDir, topic, 0);
            List<RecordBatch> batches = new ArrayList<>();
            for (long base : PartitionDirectory.segmentBaseOffsets(dir)) {
                ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(PartitionDirectory.fileName(base, "log"))));
                for (RecordBatch batch : RecordBatch.wrapAll(file)) {
                    ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes());
                    copy.put(batch.buffer().duplicate()).flip();
                    batches.add(RecordBatch.wrap(copy));
                }
            }
            return batches;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
