package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.BrokerTopics.idOf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.FetchParams;
import toykafka.common.OffsetRecord;
import toykafka.common.ProducerBatches;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.harness.WireRecords;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Produce v13, which names each topic by its id (KIP-516), written and read by Kafka's own classes: the batch lands
 * in the topic with that id, the answer names the topic by the same id, and an id no topic has, the zero id or a
 * deleted topic's among them, is UNKNOWN_TOPIC_ID. Kafka 4.4's own producer sends v13 to this broker.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProduceByTopicIdTest {

    @StartedBroker(value = FrontEnd.KAFKA, trace = true)
    RunningBroker broker;

    @BeforeEach
    void createTopic() {
        broker.broker().createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
    }

    private static TopicProduceData topic(Uuid id, int partition, String... values) {
        List<PartitionProduceData> partitions = new ArrayList<>();
        partitions.add(WireRecords.partition(partition, batch(values)));
        return new TopicProduceData().setTopicId(id).setPartitionData(partitions);
    }

    private static ProduceRequestData produce(TopicProduceData... topics) {
        TopicProduceDataCollection data = new TopicProduceDataCollection();
        List.of(topics).forEach(data::add);
        return new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000).setTopicData(data);
    }

    private static ByteBuffer batch(String... values) {
        Record[] records = new Record[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = Record.of(null, values[i], Instant.now());
        }
        return ProducerBatches.plain(records);
    }

    private static PartitionProduceResponse answerFor(ProduceResponseData response, Uuid id, int partition) {
        TopicProduceResponse topic = response.responses().find("", id);
        assertTrue(topic != null, "an answer for topic id " + id);
        return topic.partitionResponses().stream().filter(p -> p.index() == partition).findFirst().orElseThrow();
    }

    private List<String> values(String topic, int partition) {
        TopicPartition where = new TopicPartition(topic, partition);
        List<OffsetRecord> records = broker.broker().partitions()
                .readAndWait(FetchParams.of(where, 0, 1 << 20, Duration.ZERO)).get(where).records(1_000);
        return records.stream().map(r -> new String(r.record().value(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void v13_writes_to_the_topic_with_the_id_and_answers_by_that_id() {
        Uuid orders = idOf(broker, "orders");
        try (KafkaWire wire = new KafkaWire(broker)) {
            PartitionProduceResponse first = answerFor(wire.send(produce(topic(orders, 1, "a", "b", "c")), 13), orders, 1);
            PartitionProduceResponse second = answerFor(wire.send(produce(topic(orders, 1, "d")), 13), orders, 1);
            assertEquals(Errors.NONE.code(), first.errorCode(), first.errorMessage());
            assertEquals(0, first.baseOffset());
            assertEquals(3, second.baseOffset(), "the second batch follows the first's 3 records");
            assertEquals(0, second.logStartOffset());
        }
        assertEquals(List.of("a", "b", "c", "d"), values("orders", 1));
    }

    @Test
    void an_id_no_topic_has_is_unknown_topic_id_for_its_partitions_while_the_others_are_written() {
        Uuid orders = idOf(broker, "orders");
        Uuid nobody = Uuid.randomUuid();
        ProduceRequestData request = produce(topic(orders, 0, "kept"), topic(nobody, 0, "lost"),
                topic(Uuid.ZERO_UUID, 1, "lost too"));
        request.topicData().find("", nobody).partitionData().add(WireRecords.partition(1, batch("lost")));
        try (KafkaWire wire = new KafkaWire(broker)) {
            ProduceResponseData response = wire.send(request, 13);
            assertEquals(Errors.NONE.code(), answerFor(response, orders, 0).errorCode());
            assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), answerFor(response, nobody, 0).errorCode());
            assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), answerFor(response, nobody, 1).errorCode());
            String why = answerFor(response, nobody, 0).errorMessage();
            assertTrue(why.contains(nobody.toString()), why);
            assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), answerFor(response, Uuid.ZERO_UUID, 1).errorCode(),
                    "the zero id names no topic, as in Kafka");
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                    answerFor(wire.send(produce(topic(orders, 7, "x")), 13), orders, 7).errorCode(),
                    "a known id with a partition it does not have");
        }
        assertEquals(List.of("kept"), values("orders", 0));
        assertEquals(List.of(), values("orders", 1));
    }

    @Test
    void a_deleted_topics_id_names_nothing_even_after_its_name_is_used_again() {
        Uuid old = idOf(broker, "orders");
        broker.broker().deleteTopic("orders");
        broker.broker().createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
        try (KafkaWire wire = new KafkaWire(broker)) {
            assertEquals(Errors.UNKNOWN_TOPIC_ID.code(),
                    answerFor(wire.send(produce(topic(old, 0, "stale")), 13), old, 0).errorCode());
        }
        assertEquals(List.of(), values("orders", 0), "nothing reached the topic now under that name");
    }

    @Test
    void kafka_4_4s_producer_sends_v13_and_its_records_land() throws Exception {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings, new StringSerializer(),
                new StringSerializer())) {
            RecordMetadata written = producer.send(new ProducerRecord<>("orders", 1, "table-4", "soup")).get();
            assertEquals(0, written.offset());
            assertEquals("orders", written.topic());
        }
        assertEquals(List.of("soup"), values("orders", 1));
        String trace = broker.log();
        assertTrue(trace.contains("-> Produce v13 "), "Kafka 4.4's producer names topics by id here too\n" + trace);
    }
}
