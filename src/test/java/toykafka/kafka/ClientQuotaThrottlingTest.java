package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import java.util.Set;
import org.junit.jupiter.api.Test;
import toykafka.common.ProducerBatches;
import toykafka.common.Record;
import toykafka.harness.WireRecords;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * A greedy client held to its quota by kafka-clients 4.4 itself, as against Kafka: the broker answers with a
 * throttle time and mutes the connection until it passes, and the client waits it out too (KIP-219), while a client
 * with no quota on the same broker keeps its rate. Rates are measured over each run, never against a deadline,
 * with wide margins for a busy machine. The windows are three of a second (Kafka's default is eleven), so the
 * burst a quota allows before it throttles (its rate over the whole windows) is two seconds' worth, not ten.
 */
class ClientQuotaThrottlingTest {

    private static final int QUOTA = 64 * 1024;
    private static final int RECORD = 1024;
    /** Eight seconds' worth at the quota: six of them past the burst the windows allow. */
    private static final int RECORDS = 8 * QUOTA / RECORD;

    @StartedBroker(value = FrontEnd.KAFKA, settings = {@StartedBroker.Setting(name = "quota.window.num", value = "3")})
    RunningBroker broker;

    /** What one producer did: bytes acknowledged over the time from its first send to its last acknowledgement. */
    private record Run(double bytesPerSecond, double throttleTimeAvg) {
    }

    @Test
    void a_greedy_producer_is_held_near_its_producer_byte_rate_while_one_without_a_quota_keeps_its_rate() throws Exception {
        broker.broker().createTopic("firehose", 1, Map.of(), OnDuplicate.FAIL);
        setQuota("greedy", "producer_byte_rate", QUOTA);

        Run[] free = new Run[1];
        Thread freeThread = new Thread(() -> free[0] = produce("free"));
        freeThread.start();
        Run greedy = produce("greedy");
        freeThread.join(TimeUnit.MINUTES.toMillis(2));

        double greedyRatio = greedy.bytesPerSecond() / QUOTA;
        assertTrue(greedyRatio > 0.3 && greedyRatio < 2.5, "the greedy producer kept " + Math.round(greedyRatio * 100)
                + "% of its producer_byte_rate (" + Math.round(greedy.bytesPerSecond()) + " B/s)");
        assertTrue(greedy.throttleTimeAvg() > 0, "produce-throttle-time-avg was " + greedy.throttleTimeAvg());
        assertTrue(free[0].bytesPerSecond() > 3 * greedy.bytesPerSecond(), "the producer with no quota kept "
                + Math.round(free[0].bytesPerSecond()) + " B/s against the greedy one's " + Math.round(greedy.bytesPerSecond()));
        assertEquals(0.0, free[0].throttleTimeAvg(), "the producer with no quota was never throttled");
    }

    @Test
    void a_greedy_consumer_is_held_near_its_consumer_byte_rate() throws Exception {
        broker.broker().createTopic("archive", 1, Map.of(), OnDuplicate.FAIL);
        produceTo("archive", "loader", RECORDS);
        setQuota("reader", "consumer_byte_rate", QUOTA);
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.CLIENT_ID_CONFIG, "reader", ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            TopicPartition partition = new TopicPartition("archive", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long bytes = 0;
            long records = 0;
            long started = System.nanoTime();
            while (records < RECORDS) { // progress or the poll's own timeout, never a deadline
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofSeconds(30));
                assertTrue(!polled.isEmpty(), "the consumer got nothing for 30 s after " + records + " records");
                for (var record : polled) {
                    bytes += record.serializedValueSize();
                    records++;
                }
            }
            double rate = bytes / ((System.nanoTime() - started) / 1e9);
            double ratio = rate / QUOTA;
            assertTrue(ratio > 0.3 && ratio < 2.5, "the greedy consumer kept " + Math.round(ratio * 100)
                    + "% of its consumer_byte_rate (" + Math.round(rate) + " B/s)");
            assertTrue(metric(consumer.metrics(), "fetch-throttle-time-avg") > 0, "fetch-throttle-time-avg");
        }
    }

    @Test
    void a_throttled_connection_reads_nothing_until_its_throttle_time_passes_while_another_is_served() {
        broker.broker().createTopic("trickle", 1, Map.of(), OnDuplicate.FAIL);
        broker.broker().access().quotas().settings().alter(List.of(new toykafka.broker.quota.ClientQuotaAlteration(
                toykafka.broker.quota.ClientQuotaEntity.of(null, "toykafka-test"), List.of(
                        new toykafka.broker.quota.ClientQuotaAlteration.Op("producer_byte_rate", 100.0)))), false);
        try (KafkaWire greedy = new KafkaWire(broker); KafkaWire other = new KafkaWire(broker)) {
            TopicProduceDataCollection topics = new TopicProduceDataCollection();
            topics.add(new TopicProduceData().setName("trickle").setPartitionData(List.of(WireRecords.partition(0,
                    ProducerBatches.plain(new Record(new byte[0], new byte[500], Instant.now(), List.of()))))));
            ProduceResponseData produced = greedy.send(new ProduceRequestData().setAcks((short) 1).setTimeoutMs(30_000)
                    .setTopicData(topics), 8);
            int throttleTimeMs = produced.throttleTimeMs();
            // some 600 bytes over two seconds' windows at 100 B/s: about 2 * (300 - 100) / 100 seconds
            assertTrue(throttleTimeMs > 1_000, "the answer's throttle_time_ms was " + throttleTimeMs);

            long asked = System.nanoTime();
            greedy.sendOnly(new ApiVersionsRequestData(), 3);
            ApiVersionsResponseData served = other.send(new ApiVersionsRequestData(), 3);
            long otherAnsweredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);
            int size = greedy.readSize();
            long greedyAnsweredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);
            ApiVersionsResponseData late = greedy.receiveRest(new ApiVersionsRequestData(), 3, size);
            assertEquals(0, served.errorCode());
            assertEquals(0, late.errorCode());
            assertTrue(greedyAnsweredMs >= throttleTimeMs / 2, "the throttled connection was answered after "
                    + greedyAnsweredMs + " ms of a " + throttleTimeMs + " ms throttle");
            assertTrue(otherAnsweredMs < greedyAnsweredMs, "the other connection was answered after " + otherAnsweredMs
                    + " ms, the throttled one after " + greedyAnsweredMs + " ms");
        }
    }

    @Test
    void a_share_fetch_over_its_consumer_byte_rate_is_answered_empty_with_a_throttle_time() throws Exception {
        broker.broker().createTopic("pantry", 1, Map.of(), OnDuplicate.FAIL);
        broker.broker().groupConfigs().alter("cooks", Map.of("share.auto.offset.reset", "earliest"), Set.of(), false,
                false);
        produceTo("pantry", "loader", 64);
        broker.broker().access().quotas().settings().alter(List.of(new toykafka.broker.quota.ClientQuotaAlteration(
                toykafka.broker.quota.ClientQuotaEntity.of(null, "toykafka-test"), List.of(
                        new toykafka.broker.quota.ClientQuotaAlteration.Op("consumer_byte_rate", 1024.0)))), false);
        Uuid pantry = BrokerTopics.idOf(broker, "pantry");
        try (KafkaWire wire = new KafkaWire(broker)) {
            wire.send(new ShareGroupHeartbeatRequestData().setGroupId("cooks").setMemberId("m-1").setMemberEpoch(0)
                    .setSubscribedTopicNames(List.of("pantry")), 1);
            ShareFetchResponseData answer = null;
            // 64 KiB in one batch at 1 KiB/s: the first answer holding it is over the quota, as Kafka 4.4 counts it
            for (int epoch = 0; epoch < 20 && (answer == null || answer.throttleTimeMs() == 0); epoch++) {
                ShareFetchRequestData fetch = new ShareFetchRequestData().setGroupId("cooks").setMemberId("m-1")
                        .setShareSessionEpoch(epoch).setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20)
                        .setMaxRecords(500).setBatchSize(500);
                fetch.topics().add(new ShareFetchRequestData.FetchTopic().setTopicId(pantry).setPartitions(
                        new ShareFetchRequestData.FetchPartitionCollection(List.of(
                                new ShareFetchRequestData.FetchPartition().setPartitionIndex(0)).iterator())));
                answer = wire.send(fetch, 2);
            }
            assertTrue(answer.throttleTimeMs() > 0, "twenty share fetches were never throttled");
            assertEquals(0, answer.errorCode());
            assertTrue(answer.responses().isEmpty(), "the throttled answer carries nothing: " + answer);
        }
    }

    @Test
    void a_client_over_its_request_percentage_is_throttled_for_at_most_one_window() {
        broker.broker().access().quotas().settings().alter(List.of(new toykafka.broker.quota.ClientQuotaAlteration(
                toykafka.broker.quota.ClientQuotaEntity.of(null, "toykafka-test"), List.of(
                        new toykafka.broker.quota.ClientQuotaAlteration.Op("request_percentage", 0.001)))), false);
        try (KafkaWire wire = new KafkaWire(broker)) {
            int throttleTimeMs = 0;
            int requests = 0;
            while (throttleTimeMs == 0 && requests < 1_000) { // 10 µs of handler time a second: a few requests
                MetadataResponseData answer = wire.send(new MetadataRequestData(), 12);
                throttleTimeMs = answer.throttleTimeMs();
                requests++;
            }
            assertTrue(throttleTimeMs > 0, requests + " Metadata requests were never throttled");
            assertTrue(throttleTimeMs <= 1_000, "a request_percentage throttle is held to one window of"
                    + " quota.window.size.seconds, as in Kafka; was " + throttleTimeMs + " ms");
        }
    }

    private void setQuota(String clientId, String key, double value) throws Exception {
        try (Admin admin = KafkaAdmins.on(broker)) {
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(new ClientQuotaEntity(Map.of(
                    ClientQuotaEntity.CLIENT_ID, clientId)), List.of(new ClientQuotaAlteration.Op(key, value)))))
                    .all().get();
        }
    }

    /** Sends {@link #RECORDS} records of {@link #RECORD} bytes as fast as the producer takes them. */
    private Run produce(String clientId) {
        try (KafkaProducer<byte[], byte[]> producer = producer(clientId)) {
            long started = System.nanoTime();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                sent.add(producer.send(new ProducerRecord<>("firehose", new byte[RECORD])));
            }
            for (Future<RecordMetadata> each : sent) {
                each.get(2, TimeUnit.MINUTES);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Run((double) RECORDS * RECORD / seconds, metric(producer.metrics(), "produce-throttle-time-avg"));
        } catch (Exception e) {
            throw new AssertionError(clientId + " failed producing: " + e, e);
        }
    }

    private void produceTo(String topic, String clientId, int records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(clientId)) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, new byte[RECORD]));
            }
            producer.flush();
        }
    }

    private KafkaProducer<byte[], byte[]> producer(String clientId) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, clientId, ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    private static double metric(Map<org.apache.kafka.common.MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream().filter(entry -> entry.getKey().name().equals(name)
                        && !entry.getKey().tags().containsKey("node-id"))
                .mapToDouble(entry -> ((Number) entry.getValue().metricValue()).doubleValue()).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }
}
