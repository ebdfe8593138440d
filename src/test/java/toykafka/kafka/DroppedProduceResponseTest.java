package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.BrokerConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;

/**
 * The duplicate idempotence saves you from, shown with kafka-clients' {@link KafkaProducer}: a proxy
 * between the producer and the broker swallows the response to the first Produce request and closes the
 * connection, after the broker has written the batch. The producer cannot tell a lost request from a lost
 * response, so it sends the same batch again on a new connection. With its defaults (idempotent, acks=all)
 * the broker knows the batch by its producer id and sequence and answers with the offsets it got the first
 * time; with {@code enable.idempotence=false} the batch carries nothing to know it by, and is written twice.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DroppedProduceResponseTest {

    private static final String TOPIC = "till-receipts";
    private static final int RECORDS = 10;
    /** A Produce request's and its response's --trace lines: the partition's offset or error is in the second. */
    private static final Pattern PRODUCE_ASKED = Pattern.compile("kafka: -> Produce v\\d+ #\\d+ .*: acks=-1 "
            + TOPIC + "-0 1 batch " + RECORDS + " records");
    private static final Pattern PRODUCE_ANSWERED = Pattern.compile("kafka: <- Produce v\\d+ #\\d+ \\d+ B: " + TOPIC
            + "-0 (.*)");

    @TempDir
    Path dataDir;
    private KafkaProxy proxy;
    private RunningBroker broker;

    @BeforeEach
    void start() throws Exception {
        proxy = KafkaProxy.droppingFirstProduceResponse();
        broker = RunningBroker.overKafka(dataDir, Map.of(BrokerConfig.ADVERTISED_PORT, String.valueOf(proxy.port())), true);
        proxy.target(broker.port());
        broker.broker().createTopic(TOPIC, 1, Map.of(), OnDuplicate.FAIL);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        broker.close();
    }

    @Test
    void the_idempotent_producers_retry_is_answered_with_the_first_offsets_and_written_once() throws Exception {
        List<RecordMetadata> acknowledged = sendOneBatchOf(RECORDS, Map.of());

        assertTheRetryHappened();
        assertEquals(List.of("offset 0 NONE", "offset 0 NONE"), produceAnswers(),
                "the broker answered the retry with the offset the first copy got");
        for (int i = 0; i < RECORDS; i++) {
            assertEquals(i, acknowledged.get(i).offset(), "receipt " + i + " is acknowledged where the first copy is");
        }
        assertEquals(placed(values(0, RECORDS)), readBack(), "each receipt once, at the offset it was acknowledged at");
        assertEquals(RECORDS, endOffset());
        List<StoredBatches.Batch> stored = StoredBatches.of(dataDir, TOPIC, 0);
        assertEquals(1, stored.size(), "one batch on disk: " + stored);
        assertTrue(stored.get(0).producerId() >= 0, "the batch carries the producer id it was known by: " + stored);
    }

    @Test
    void without_idempotence_the_retry_writes_every_record_a_second_time() throws Exception {
        List<RecordMetadata> acknowledged = sendOneBatchOf(RECORDS, Map.of("enable.idempotence", "false"));

        assertTheRetryHappened();
        assertEquals(List.of("offset 0 NONE", "offset " + RECORDS + " NONE"), produceAnswers(),
                "the broker could not tell the retry from a new batch");
        for (int i = 0; i < RECORDS; i++) {
            assertEquals(RECORDS + i, acknowledged.get(i).offset(), "receipt " + i + " is acknowledged at its second copy");
        }
        List<String> twice = new ArrayList<>(values(0, RECORDS));
        twice.addAll(values(0, RECORDS));
        assertEquals(placed(twice), readBack(), "every receipt is in the log twice: a consumer would count each sale twice");
        assertEquals(2L * RECORDS, endOffset());
        List<StoredBatches.Batch> stored = StoredBatches.of(dataDir, TOPIC, 0);
        assertEquals(2, stored.size(), "two copies of the batch on disk: " + stored);
        stored.forEach(batch -> assertEquals(-1, batch.producerId(), "no producer id to know a retry by: " + batch));
    }

    @Test
    void kafka_clients_3_9s_idempotent_producer_is_answered_the_same_way() {
        List<ProbeLine> sent = KafkaClients.only("sent", KafkaClients.V3_9_CHILD_JVM.probe("produce",
                "bootstrap=127.0.0.1:" + proxy.port(), "topic=" + TOPIC, "count=" + RECORDS, "partition=0",
                "config.linger.ms=10000", "config.request.timeout.ms=5000", "config.delivery.timeout.ms=15000"));

        assertTheRetryHappened();
        assertEquals(List.of("offset 0 NONE", "offset 0 NONE"), produceAnswers(),
                "the broker answered 3.9's retry with the offset the first copy got");
        for (int i = 0; i < RECORDS; i++) {
            assertEquals(i, sent.get(i).getLong("offset"), "record " + i + " is acknowledged where the first copy is");
        }
        assertEquals(RECORDS, endOffset(), "the batch is in the log once");
    }

    /**
     * Sends {@code count} records as one batch: linger.ms holds them until flush() sends them together, so
     * the one Produce request whose response is swallowed carries all of them. Returns each record's metadata.
     */
    private List<RecordMetadata> sendOneBatchOf(int count, Map<String, String> settings) throws Exception {
        Properties config = new Properties();
        config.put("bootstrap.servers", "127.0.0.1:" + proxy.port());
        config.put("key.serializer", StringSerializer.class.getName());
        config.put("value.serializer", StringSerializer.class.getName());
        config.put("linger.ms", "10000");
        config.put("request.timeout.ms", "5000");
        config.put("delivery.timeout.ms", "15000"); // at least linger.ms + request.timeout.ms, or the producer refuses it
        config.putAll(settings);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (String value : values(0, count)) {
                sent.add(producer.send(new ProducerRecord<>(TOPIC, 0, null, value)));
            }
            producer.flush();
        }
        List<RecordMetadata> acknowledged = new ArrayList<>();
        for (Future<RecordMetadata> future : sent) {
            acknowledged.add(future.get(0, TimeUnit.SECONDS)); // flush() waited: each send has completed, or this throws
        }
        return acknowledged;
    }

    private void assertTheRetryHappened() {
        assertTrue(proxy.droppedAResponse(), "the proxy swallowed the first Produce response");
        assertEquals(2, proxy.produceRequests(), "the producer sent its batch again after the connection closed");
        assertEquals(2, broker.log().lines().filter(line -> PRODUCE_ASKED.matcher(line).find()).count(),
                "the broker received the same batch twice:\n" + broker.log());
    }

    /** What the broker answered to each Produce request for the partition, from its --trace. */
    private List<String> produceAnswers() {
        List<String> answers = new ArrayList<>();
        for (String line : broker.log().lines().toList()) {
            Matcher answered = PRODUCE_ANSWERED.matcher(line);
            if (answered.find()) {
                answers.add(answered.group(1));
            }
        }
        return answers;
    }

    /** The partition as a consumer reads it, each record as "offset value". */
    private List<String> readBack() {
        return ConsumedPartition.readAll("127.0.0.1:" + proxy.port(), TOPIC, 0).stream()
                .map(read -> read.offset() + " " + read.value()).toList();
    }

    /** The values at offsets 0, 1, 2, ... as {@link #readBack} words them. */
    private static List<String> placed(List<String> values) {
        return IntStream.range(0, values.size()).mapToObj(offset -> offset + " " + values.get(offset)).toList();
    }

    private long endOffset() {
        return broker.broker().describeTopic(TOPIC).partitions().get(0).endOffset();
    }

    private static List<String> values(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "receipt-" + i).toList();
    }
}
