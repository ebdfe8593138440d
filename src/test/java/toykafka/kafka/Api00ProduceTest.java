package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.broker.FetchParams;
import toykafka.common.Compression;
import toykafka.common.OffsetRecord;
import toykafka.common.ProducerBatches;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;
import toykafka.harness.WireRecords;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Produce over Kafka's protocol in every version served, with batches as producers send them (the course's
 * RecordBatch, whose bytes the oracle tests prove Kafka's) and requests and responses that Kafka's generated
 * classes write and read: the records land in the log, and each partition gets the answer Kafka would give it.
 */
class Api00ProduceTest {

    private static final long CREATED = 1_700_000_000_000L;

    @StartedBroker(value = FrontEnd.KAFKA, trace = true)
    RunningBroker broker;

    @BeforeEach
    void start() {
        broker.broker().createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {3, 4, 5, 6, 7, 8})
    void every_version_writes_the_batch_and_answers_its_base_offset(int version) {
        try (KafkaWire wire = new KafkaWire(broker)) {
            PartitionProduceResponse first = only(wire.send(produce(-1, "orders", 0, batch("a", "b", "c")), version));
            PartitionProduceResponse second = only(wire.send(produce(1, "orders", 0, batch("d", "e")), version));

            assertEquals(Errors.NONE.code(), first.errorCode(), first.errorMessage());
            assertEquals(0, first.baseOffset());
            assertEquals(3, second.baseOffset(), "the second batch follows the first's 3 records");
            assertEquals(-1, second.logAppendTimeMs(), "a CreateTime topic keeps the producer's times");
            assertEquals(version >= 5 ? 0 : -1, second.logStartOffset(), "log_start_offset is in v5 and later");
            assertTrue(second.recordErrors().isEmpty());
            assertNull(second.errorMessage());
        }
        assertEquals(List.of("a", "b", "c", "d", "e"), values(read("orders", 0)));
        assertEquals(CREATED, read("orders", 0).get(0).record().timestamp().toEpochMilli());
    }

    @Test
    void the_answer_carries_the_log_start_offset_after_records_were_deleted() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            wire.send(produce(1, "orders", 1, batch("a", "b", "c")), 8);
            broker.broker().deleteRecords("orders", 1, 2);
            PartitionProduceResponse answer = only(wire.send(produce(1, "orders", 1, batch("d")), 8));
            assertEquals(3, answer.baseOffset());
            assertEquals(2, answer.logStartOffset());
        }
    }

    @Test
    void a_log_append_time_topic_stamps_the_brokers_time_and_answers_it() {
        broker.broker().createTopic("stamped", 1, Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime"),
                OnDuplicate.FAIL);
        long before = System.currentTimeMillis();
        PartitionProduceResponse answer;
        try (KafkaWire wire = new KafkaWire(broker)) {
            answer = only(wire.send(produce(-1, "stamped", 0, batch("a", "b")), 8));
        }
        assertEquals(Errors.NONE.code(), answer.errorCode());
        assertTrue(answer.logAppendTimeMs() >= before, "stamped " + answer.logAppendTimeMs() + ", sent after " + before);
        for (OffsetRecord record : read("stamped", 0)) {
            assertEquals(answer.logAppendTimeMs(), record.record().timestamp().toEpochMilli());
        }
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {0, 1, 2})
    void versions_0_to_2_are_refused_for_each_partition_in_their_own_body_and_write_nothing(int version) {
        ProduceRequestData request = produce(1, "orders", 0, batch("a"));
        request.topicData().find("orders", Uuid.ZERO_UUID).partitionData().add(WireRecords.partition(1, batch("b")));
        try (KafkaWire wire = new KafkaWire(broker)) {
            ByteBuffer answer = wire.exchange(belowVersion3(request, version));

            assertEquals(7, answer.getInt(), "the correlation id");
            assertEquals(1, answer.getInt(), "one topic");
            answer.position(answer.position() + 2 + answer.getShort(answer.position())); // its name
            assertEquals(2, answer.getInt(), "both partitions answered");
            for (int partition = 0; partition < 2; partition++) {
                answer.getInt(); // its index
                assertEquals(Errors.UNSUPPORTED_VERSION.code(), answer.getShort());
                assertEquals(-1, answer.getLong(), "no base offset");
                if (version == 2) {
                    answer.getLong(); // log append time
                }
            }
            assertEquals(version == 0 ? 0 : 4, answer.remaining(), "the throttle time from v1 on, and nothing more");
        }
        assertEquals(0, endOffset("orders", 0));
        assertEquals(0, endOffset("orders", 1));
    }

    /**
     * A Produce request at version 0, 1 or 2, which Kafka 4's classes no longer write: version 3's bytes without
     * the transactional id that version 3 added, the one field that tells them apart.
     */
    private static ByteBuffer belowVersion3(ProduceRequestData request, int version) {
        RequestHeader header = new RequestHeader(ApiKeys.PRODUCE, (short) 3, "old", 7);
        ByteBuffer v3 = RequestUtils.serialize(header.data(), header.headerVersion(), request.setTransactionalId(null),
                (short) 3);
        int headerSize = 2 + 2 + 4 + 2 + "old".length();
        ByteBuffer old = ByteBuffer.allocate(v3.remaining() - 2);
        old.put(v3.duplicate().limit(headerSize)).putShort(2, (short) version);
        old.put(v3.position(headerSize + 2));
        return old.flip();
    }

    @Test
    void an_unknown_topic_or_partition_is_refused_alone_while_the_others_are_written() {
        ProduceRequestData request = produce(-1, "orders", 0, batch("kept"));
        request.topicData().find("orders", Uuid.ZERO_UUID).partitionData().add(WireRecords.partition(7, batch("no such partition")));
        request.topicData().add(topic("nowhere", 0, batch("no such topic")));
        try (KafkaWire wire = new KafkaWire(broker)) {
            ProduceResponseData response = wire.send(request, 8);
            assertEquals(Errors.NONE.code(), partition(response, "orders", 0).errorCode());
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), partition(response, "orders", 7).errorCode());
            PartitionProduceResponse nowhere = partition(response, "nowhere", 0);
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), nowhere.errorCode());
            assertTrue(nowhere.errorMessage().contains("nowhere"), nowhere.errorMessage());
        }
        assertEquals(List.of("kept"), values(read("orders", 0)));
        assertTrue(broker.broker().describeTopic("orders").partitions().size() == 2, "no partition was created");
    }

    @Test
    void a_negative_partition_index_is_unknown_and_the_connection_stays_open() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                    only(wire.send(produce(1, "orders", -1, batch("a")), 8)).errorCode());
            assertEquals(Errors.NONE.code(), only(wire.send(produce(1, "orders", 0, batch("b")), 8)).errorCode());
        }
    }

    @Test
    void a_batch_with_a_flipped_byte_fails_its_crc_and_only_its_partition_is_refused() {
        ByteBuffer damaged = batch("a", "b");
        ByteBuffer bytes = damaged.duplicate();
        int last = bytes.limit() - 1;
        bytes.put(last, (byte) (bytes.get(last) ^ 0x01));
        ProduceRequestData request = produce(1, "orders", 0, damaged);
        request.topicData().find("orders", Uuid.ZERO_UUID).partitionData().add(WireRecords.partition(1, batch("fine")));
        try (KafkaWire wire = new KafkaWire(broker)) {
            ProduceResponseData response = wire.send(request, 8);
            PartitionProduceResponse refused = partition(response, "orders", 0);
            assertEquals(Errors.CORRUPT_MESSAGE.code(), refused.errorCode());
            assertTrue(refused.errorMessage().contains("CRC"), refused.errorMessage());
            assertEquals(Errors.NONE.code(), partition(response, "orders", 1).errorCode());
        }
        assertEquals(0, endOffset("orders", 0));
        assertEquals(List.of("fine"), values(read("orders", 1)));
    }

    @Test
    void a_batch_over_max_message_bytes_is_refused_with_message_too_large() {
        broker.broker().createTopic("small", 1, Map.of(TopicConfig.MAX_MESSAGE_BYTES, "200"), OnDuplicate.FAIL);
        try (KafkaWire wire = new KafkaWire(broker)) {
            PartitionProduceResponse answer = only(wire.send(produce(1, "small", 0, batch("x".repeat(500))), 8));
            assertEquals(Errors.MESSAGE_TOO_LARGE.code(), answer.errorCode());
            assertTrue(answer.errorMessage().contains("max.message.bytes"), answer.errorMessage());
        }
        assertEquals(0, endOffset("small", 0));
    }

    @Test
    void acks_other_than_0_1_or_minus_1_refuse_every_partition_and_write_nothing() {
        ProduceRequestData request = produce(2, "orders", 0, batch("a"));
        request.topicData().find("orders", Uuid.ZERO_UUID).partitionData().add(WireRecords.partition(1, batch("b")));
        try (KafkaWire wire = new KafkaWire(broker)) {
            ProduceResponseData response = wire.send(request, 7);
            for (PartitionProduceResponse partition : response.responses().find("orders", Uuid.ZERO_UUID).partitionResponses()) {
                assertEquals(Errors.INVALID_REQUIRED_ACKS.code(), partition.errorCode());
            }
        }
        assertEquals(0, endOffset("orders", 0));
        assertEquals(0, endOffset("orders", 1));
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"GZIP", "SNAPPY", "LZ4", "ZSTD"})
    void each_codec_is_written_as_sent_and_reads_back(Compression codec) {
        ByteBuffer compressed = batch(codec, "soup", "bread", "soup");
        try (KafkaWire wire = new KafkaWire(broker)) {
            PartitionProduceResponse answer = only(wire.send(produce(-1, "orders", 0, compressed), 7));
            assertEquals(Errors.NONE.code(), answer.errorCode(), answer.errorMessage());
        }
        assertEquals(List.of("soup", "bread", "soup"), values(read("orders", 0)));
        assertTrue(broker.log().contains("orders-0 1 batch 3 records") && broker.log().contains(codec.configName()),
                broker.log());
    }

    @Test
    void zstd_before_version_7_is_refused_as_kafka_refuses_it() {
        ByteBuffer zstd = batch(Compression.ZSTD, "a");
        try (KafkaWire wire = new KafkaWire(broker)) {
            assertEquals(Errors.UNSUPPORTED_COMPRESSION_TYPE.code(),
                    only(wire.send(produce(1, "orders", 0, zstd), 6)).errorCode());
        }
        assertEquals(0, endOffset("orders", 0));
    }

    @Test
    void acks_0_gets_no_response_the_next_request_is_answered_and_the_records_are_written() throws IOException {
        try (KafkaWire wire = new KafkaWire(broker)) {
            wire.sendOnly(produce(0, "orders", 0, batch("fire", "and", "forget")), 8);
            wire.sendOnly(new ApiVersionsRequestData(), 2);
            ByteBuffer frame = wire.readFrame();
            ResponseHeader header = ResponseHeader.parse(frame, ApiKeys.API_VERSIONS.responseHeaderVersion((short) 2));
            assertEquals(2, header.correlationId(), "the next frame answers the ApiVersions request, the second sent");
            ApiVersionsResponseData versions = new ApiVersionsResponseData();
            versions.read(new ByteBufferAccessor(frame), (short) 2);
            assertEquals(Errors.NONE.code(), versions.errorCode());
        }
        assertEquals(List.of("fire", "and", "forget"), values(read("orders", 0)));
        assertTrue(broker.log().contains("(no response: acks=0)"), broker.log());
    }

    @Test
    void acks_0_to_an_unknown_topic_closes_the_connection_as_kafka_does() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            wire.sendOnly(produce(0, "nowhere", 0, batch("lost")), 8);
            assertTrue(wire.closedByBroker());
        }
        assertTrue(broker.log().contains("acks=0") && broker.log().contains("UNKNOWN_TOPIC_OR_PARTITION"), broker.log());
    }

    @Test
    void a_transactional_batch_outside_any_transaction_is_refused_with_invalid_txn_state() {
        ByteBuffer transactional = ProducerBatches.transactional(4242L, (short) 0, 0,
                Record.of(null, "a", Record.NO_TIMESTAMP));
        ProduceRequestData request = produce(-1, "orders", 0, transactional).setTransactionalId("tills");
        try (KafkaWire wire = new KafkaWire(broker)) {
            PartitionProduceResponse answer = only(wire.send(request, 8));
            assertEquals(Errors.INVALID_TXN_STATE.code(), answer.errorCode());
            assertTrue(answer.errorMessage().contains("4242") && answer.errorMessage().contains("InitProducerId"),
                    answer.errorMessage());
        }
        assertEquals(0, endOffset("orders", 0));
    }

    @Test
    void a_null_or_empty_records_field_is_an_invalid_record() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            PartitionProduceResponse none = only(wire.send(produce(1, "orders", 0, null), 8));
            PartitionProduceResponse empty = only(wire.send(produce(1, "orders", 0, ByteBuffer.allocate(0)), 8));
            assertEquals(Errors.INVALID_RECORD.code(), none.errorCode());
            assertTrue(none.errorMessage().contains("null"), none.errorMessage());
            assertEquals(Errors.INVALID_RECORD.code(), empty.errorCode());
            assertTrue(empty.errorMessage().contains("empty"), empty.errorMessage());
        }
    }

    @Test
    void two_batches_for_one_partition_are_an_invalid_record_as_from_version_3() {
        ByteBuffer first = batch("a");
        ByteBuffer second = batch("b");
        ByteBuffer both = ByteBuffer.allocate(first.remaining() + second.remaining()).put(first).put(second).flip();
        try (KafkaWire wire = new KafkaWire(broker)) {
            PartitionProduceResponse answer = only(wire.send(produce(1, "orders", 0, both), 8));
            assertEquals(Errors.INVALID_RECORD.code(), answer.errorCode());
            assertTrue(answer.errorMessage().contains("2 record batches"), answer.errorMessage());
        }
        assertEquals(0, endOffset("orders", 0));
    }

    @Test
    void an_old_message_format_in_a_version_3_request_is_an_invalid_record() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            PartitionProduceResponse answer = only(wire.send(produce(1, "orders", 0,
                    magicOneMessage(CREATED, "k", "v1 message")), 3));
            assertEquals(Errors.INVALID_RECORD.code(), answer.errorCode());
        }
        assertEquals(0, endOffset("orders", 0));
    }

    @Test
    void a_partition_named_twice_in_one_request_is_refused_both_times_and_nothing_is_written() {
        ProduceRequestData request = produce(1, "orders", 0, batch("a"));
        request.topicData().find("orders", Uuid.ZERO_UUID).partitionData().add(WireRecords.partition(0, batch("b")));
        try (KafkaWire wire = new KafkaWire(broker)) {
            List<PartitionProduceResponse> answers = wire.<ProduceResponseData>send(request, 8).responses()
                    .find("orders", Uuid.ZERO_UUID).partitionResponses();
            assertEquals(2, answers.size());
            for (PartitionProduceResponse answer : answers) {
                assertEquals(Errors.INVALID_REQUEST.code(), answer.errorCode());
            }
        }
        assertEquals(0, endOffset("orders", 0));
    }

    @Test
    void version_8_names_the_record_a_batch_was_refused_for() {
        broker.broker().createTopic("menus", 1, Map.of(TopicConfig.CLEANUP_POLICY, "compact"), OnDuplicate.FAIL);
        List<Record> records = new ArrayList<>();
        records.add(record(CREATED, bytes("soup"), bytes("3.50")));
        records.add(record(CREATED, null, bytes("no key")));
        records.add(record(CREATED, bytes("bread"), bytes("2.00")));
        try (KafkaWire wire = new KafkaWire(broker)) {
            PartitionProduceResponse answer = only(wire.send(produce(1, "menus", 0, batch(records)), 8));
            assertEquals(Errors.INVALID_RECORD.code(), answer.errorCode());
            assertEquals(1, answer.recordErrors().size());
            assertEquals(1, answer.recordErrors().get(0).batchIndex());
            assertTrue(answer.errorMessage().contains("key"), answer.errorMessage());
        }
        assertEquals(0, endOffset("menus", 0));
    }

    @Test
    void version_8_names_every_record_a_batch_was_refused_for_as_kafka_does() {
        // Apache Kafka 4.1.1 answers this batch INVALID_RECORD with ten record_errors, 5, 15 ... 95, and log start offset 0
        broker.broker().createTopic("menus", 1, Map.of(TopicConfig.CLEANUP_POLICY, "compact"), OnDuplicate.FAIL);
        List<Record> records = new ArrayList<>();
        List<Integer> keyless = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            if (i % 10 == 5) {
                keyless.add(i);
            }
            records.add(record(CREATED, i % 10 == 5 ? null : bytes("dish-" + i), bytes("price " + i)));
        }
        try (KafkaWire wire = new KafkaWire(broker)) {
            PartitionProduceResponse answer = only(wire.send(produce(1, "menus", 0, batch(records)), 8));
            assertEquals(Errors.INVALID_RECORD.code(), answer.errorCode());
            assertEquals(keyless, answer.recordErrors().stream().map(e -> e.batchIndex()).toList());
            answer.recordErrors().forEach(e -> assertTrue(e.batchIndexErrorMessage().contains("requires a key"),
                    e.batchIndexErrorMessage()));
            assertTrue(answer.errorMessage().startsWith("10 records of a batch of 100 were refused"), answer.errorMessage());
            assertEquals(-1, answer.baseOffset());
            assertEquals(0, answer.logStartOffset(), "the log start offset, as Kafka answers a batch refused for its records");
        }
        assertEquals(0, endOffset("menus", 0), "nothing of the batch is written");
    }

    @Test
    void a_batch_refused_for_keys_and_timestamps_names_each_record_once_and_is_invalid_timestamp() {
        broker.broker().createTopic("menus", 1, Map.of(TopicConfig.CLEANUP_POLICY, "compact"), OnDuplicate.FAIL);
        long inTenYears = System.currentTimeMillis() + 10L * 365 * 24 * 3_600_000;
        List<Record> records = new ArrayList<>();
        records.add(record(CREATED, bytes("soup"), bytes("3.50")));
        records.add(record(inTenYears, bytes("bread"), bytes("2.00")));
        records.add(record(inTenYears, null, bytes("no key, and ten years ahead")));
        records.add(record(CREATED, null, bytes("no key")));
        try (KafkaWire wire = new KafkaWire(broker)) {
            PartitionProduceResponse answer = only(wire.send(produce(1, "menus", 0, batch(records)), 8));
            assertEquals(Errors.INVALID_TIMESTAMP.code(), answer.errorCode(), "as Kafka, when a timestamp is among them");
            assertEquals(List.of(1, 2, 3), answer.recordErrors().stream().map(e -> e.batchIndex()).toList());
            assertTrue(answer.recordErrors().get(0).batchIndexErrorMessage().contains("message.timestamp.after.max.ms"));
            assertTrue(answer.recordErrors().get(1).batchIndexErrorMessage().contains("requires a key"),
                    "a record is named for the first rule it breaks, its key, as in Kafka");
        }
        assertEquals(0, endOffset("menus", 0));
    }

    @Test
    void a_record_with_no_key_and_no_value_or_an_empty_one_is_stored_as_kafka_stores_it() {
        List<Record> records = new ArrayList<>();
        records.add(record(CREATED, (byte[]) null, (byte[]) null));
        records.add(record(CREATED, (byte[]) null, new byte[0]));
        try (KafkaWire wire = new KafkaWire(broker)) {
            PartitionProduceResponse answer = only(wire.send(produce(1, "orders", 0, batch(records)), 8));
            assertEquals(Errors.NONE.code(), answer.errorCode(), answer.errorMessage());
        }
        List<OffsetRecord> stored = read("orders", 0);
        assertEquals(2, stored.size());
        assertNull(stored.get(0).record().value(), "no value stays no value");
        assertEquals(0, stored.get(1).record().value().length, "an empty value stays empty");
    }

    /** librdkafka and hand-written producers may send -1, Kafka's "no timestamp": Kafka stores it as it is. */
    @Test
    void a_record_without_a_timestamp_is_stored_without_one_even_where_a_topic_bounds_timestamps() {
        broker.broker().createTopic("untimed", 1, Map.of(TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS, "3600000"),
                OnDuplicate.FAIL);
        List<Record> records = new ArrayList<>();
        records.add(record(Record.NO_TIMESTAMP.toEpochMilli(), bytes("soup"), bytes("3.50")));
        try (KafkaWire wire = new KafkaWire(broker)) {
            PartitionProduceResponse answer = only(wire.send(produce(1, "untimed", 0, batch(records)), 8));
            assertEquals(Errors.NONE.code(), answer.errorCode(), answer.errorMessage());
        }
        assertEquals(toykafka.common.Record.NO_TIMESTAMP, read("untimed", 0).get(0).record().timestamp());
    }

    @Test
    void a_timestamp_more_than_an_hour_ahead_is_refused_with_invalid_timestamp_naming_its_record() {
        long inTenYears = System.currentTimeMillis() + 10L * 365 * 24 * 3_600_000;
        List<Record> records = new ArrayList<>();
        records.add(record(CREATED, bytes("soup"), bytes("3.50")));
        records.add(record(inTenYears, bytes("bread"), bytes("2.00")));
        try (KafkaWire wire = new KafkaWire(broker)) {
            PartitionProduceResponse answer = only(wire.send(produce(1, "orders", 0, batch(records)), 8));
            assertEquals(Errors.INVALID_TIMESTAMP.code(), answer.errorCode());
            assertEquals(1, answer.recordErrors().size());
            assertEquals(1, answer.recordErrors().get(0).batchIndex(), "the record ten years ahead");
            assertTrue(answer.errorMessage().contains("message.timestamp.after.max.ms"), answer.errorMessage());
            PartitionProduceResponse latest = only(wire.send(produce(1, "orders", 0, batchAt(Long.MAX_VALUE)), 8));
            assertEquals(Errors.INVALID_TIMESTAMP.code(), latest.errorCode(), "the largest timestamp a record holds");
        }
        assertEquals(0, endOffset("orders", 0), "nothing of either batch is written");
    }

    @Test
    void trace_says_what_was_asked_and_answered() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            wire.send(produce(-1, "orders", 1, batch("a", "b", "c")), 8);
        }
        String log = broker.log();
        assertTrue(log.contains("Produce v8") && log.contains("acks=-1 orders-1 1 batch 3 records"), log);
        assertTrue(log.contains("orders-1 offset 0 NONE"), log);
    }

    // ---- requests, batches and reading back ----

    private static ProduceRequestData produce(int acks, String topic, int partition, ByteBuffer records) {
        TopicProduceDataCollection topics = new TopicProduceDataCollection();
        topics.add(topic(topic, partition, records));
        return new ProduceRequestData().setAcks((short) acks).setTimeoutMs(30_000).setTopicData(topics);
    }

    private static TopicProduceData topic(String topic, int partition, ByteBuffer records) {
        List<PartitionProduceData> partitions = new ArrayList<>();
        partitions.add(WireRecords.partition(partition, records));
        return new TopicProduceData().setName(topic).setPartitionData(partitions);
    }

    private static ByteBuffer batch(String... values) {
        return batch(Compression.NONE, values);
    }

    /** One batch as a producer sends it, each record keyed by its place. */
    private static ByteBuffer batch(Compression codec, String... values) {
        Record[] records = new Record[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = record(CREATED + i, bytes("k" + i), bytes(values[i]));
        }
        return ProducerBatches.plain(codec, records);
    }

    private static ByteBuffer batch(List<Record> records) {
        return ProducerBatches.plain(records.toArray(Record[]::new));
    }

    private static ByteBuffer batchAt(long timestamp) {
        return ProducerBatches.plain(record(timestamp, bytes("k"), bytes("v")));
    }

    private static Record record(long timestamp, byte[] key, byte[] value) {
        return new Record(key, value, Instant.ofEpochMilli(timestamp), List.of());
    }

    /**
     * One message in the format before batches (magic 1), as clients before Kafka 0.11 sent it: offset, size,
     * then a CRC-32 of magic, attributes, timestamp, key and value.
     */
    private static ByteBuffer magicOneMessage(long timestamp, String key, String value) {
        byte[] keyBytes = bytes(key);
        byte[] valueBytes = bytes(value);
        ByteBuffer body = ByteBuffer.allocate(1 + 1 + 8 + 4 + keyBytes.length + 4 + valueBytes.length);
        body.put((byte) 1).put((byte) 0).putLong(timestamp).putInt(keyBytes.length).put(keyBytes)
                .putInt(valueBytes.length).put(valueBytes).flip();
        CRC32 crc = new CRC32();
        crc.update(body.duplicate());
        ByteBuffer message = ByteBuffer.allocate(8 + 4 + 4 + body.remaining());
        return message.putLong(0).putInt(4 + body.remaining()).putInt((int) crc.getValue()).put(body).flip();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static PartitionProduceResponse only(ProduceResponseData response) {
        assertEquals(1, response.responses().size());
        List<PartitionProduceResponse> partitions = response.responses().iterator().next().partitionResponses();
        assertEquals(1, partitions.size());
        return partitions.get(0);
    }

    private static PartitionProduceResponse partition(ProduceResponseData response, String topic, int index) {
        return response.responses().find(topic, Uuid.ZERO_UUID).partitionResponses().stream().filter(p -> p.index() == index)
                .findFirst().orElseThrow(() -> new AssertionError("no answer for " + topic + "-" + index));
    }

    private List<OffsetRecord> read(String topic, int partition) {
        TopicPartition where = new TopicPartition(topic, partition);
        return broker.broker().partitions().readAndWait(FetchParams.of(where, 0, 1 << 20, Duration.ZERO))
                .get(where).records(1_000);
    }

    private static List<String> values(List<OffsetRecord> records) {
        return records.stream().map(r -> new String(r.record().value(), StandardCharsets.UTF_8)).toList();
    }

    private long endOffset(String topic, int partition) {
        return broker.broker().describeTopic(topic).partitions().get(partition).endOffset();
    }
}
