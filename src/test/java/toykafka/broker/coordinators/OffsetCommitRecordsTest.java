package toykafka.broker.coordinators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.coordinator.group.generated.OffsetCommitKey;
import org.apache.kafka.coordinator.group.generated.OffsetCommitValue;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.Broker;
import toykafka.broker.group.base.Committer;
import toykafka.broker.group.consumer.ConsumerGroupHeartbeat;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.base.OffsetFetchResponse;
import toykafka.common.Errors;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson09.FileLog;
import toykafka.lesson08.KafkaReadsOurSegmentsTest;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Commits stored as Apache Kafka stores them in {@code __consumer_offsets}: Kafka's generated classes and its
 * {@code kafka-dump-log --offsets-decoder} read our records, ours read Kafka's, and a commit too large for one batch
 * is written in several and replayed whole.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OffsetCommitRecordsTest {

    private static final TopicPartition ORDERS_3 = new TopicPartition("orders", 3);
    private static final Instant NOON = Instant.parse("2026-11-26T12:00:00Z");

    @StartedBroker
    RunningBroker running;

    @TempDir
    java.nio.file.Path work;

    @Test
    void kafkas_generated_classes_read_our_key_and_value() {
        ByteBuffer key = ByteBuffer.wrap(OffsetCommitRecords.key("kitchen", ORDERS_3));
        assertEquals(1, key.getShort(), "the record type of an offset commit");
        OffsetCommitKey kafkaKey = new OffsetCommitKey(new ByteBufferAccessor(key), (short) 0);
        assertEquals(0, key.remaining(), "nothing left over");
        assertEquals(new OffsetCommitKey().setGroup("kitchen").setTopic("orders").setPartition(3), kafkaKey);

        ByteBuffer value = ByteBuffer.wrap(OffsetCommitRecords.value(new OffsetAndMetadata(271, 7, "fryer é"), NOON));
        short version = value.getShort();
        assertEquals(4, version, "the value version Kafka 4.1 writes");
        OffsetCommitValue kafkaValue = new OffsetCommitValue(new ByteBufferAccessor(value), version);
        assertEquals(0, value.remaining(), "nothing left over");
        assertEquals(new OffsetCommitValue().setOffset(271).setLeaderEpoch(7).setMetadata("fryer é")
                .setCommitTimestamp(NOON.toEpochMilli()), kafkaValue);
    }

    @Test
    void who_committed_rides_in_a_tagged_field_kafkas_classes_keep_aside_and_we_read_back() {
        Committer till = new Committer("till-é", "/10.0.0.7");
        byte[] bytes = OffsetCommitRecords.value(new OffsetAndMetadata(271, 7, "fryer"), NOON, till);
        ByteBuffer value = ByteBuffer.wrap(bytes);
        short version = value.getShort();
        OffsetCommitValue kafkaValue = new OffsetCommitValue(new ByteBufferAccessor(value), version);
        assertEquals(0, value.remaining(), "nothing left over");
        assertEquals(271, kafkaValue.offset());
        assertEquals("fryer", kafkaValue.metadata());
        assertEquals(NOON.toEpochMilli(), kafkaValue.commitTimestamp());
        assertEquals(List.of(OffsetCommitRecords.COMMITTER_TAG), kafkaValue.unknownTaggedFields().stream()
                .map(field -> field.tag()).toList(), "a tag Kafka does not know, kept aside");

        byte[] key = OffsetCommitRecords.key("kitchen", ORDERS_3);
        assertEquals(new OffsetCommitRecords.Decoded("kitchen", ORDERS_3, new OffsetAndMetadata(271, 7, "fryer"),
                till), OffsetCommitRecords.decode(key, bytes));
        assertEquals(new OffsetCommitRecords.Decoded("kitchen", ORDERS_3, new OffsetAndMetadata(271, 7, "fryer")),
                OffsetCommitRecords.decode(key, OffsetCommitRecords.value(new OffsetAndMetadata(271, 7, "fryer"),
                        NOON)), "a record with no committer says nobody");
    }

    @Test
    void we_read_the_records_kafka_writes_in_each_value_version() {
        ByteBuffer body = MessageUtil.toByteBufferAccessor(new OffsetCommitKey().setGroup("kitchen").setTopic("orders")
                .setPartition(3), (short) 0).buffer();
        byte[] key = ByteBuffer.allocate(2 + body.remaining()).putShort((short) 1).put(body).array(); // type 1, then the key
        for (short version = 0; version <= 4; version++) {
            OffsetCommitValue value = new OffsetCommitValue().setOffset(42).setLeaderEpoch(3).setMetadata("m-" + version)
                    .setCommitTimestamp(NOON.toEpochMilli());
            byte[] bytes = MessageUtil.toVersionPrefixedBytes(version, value);
            int epoch = version >= 3 ? 3 : -1; // the field is in value versions 3 and later
            assertEquals(new OffsetCommitRecords.Decoded("kitchen", ORDERS_3, new OffsetAndMetadata(42, epoch,
                    "m-" + version)), OffsetCommitRecords.decode(key, bytes), "value version " + version);
        }
        assertEquals(new OffsetCommitRecords.Decoded("kitchen", ORDERS_3, null),
                OffsetCommitRecords.decode(key, null), "a tombstone");
    }

    @Test
    void kafka_dump_log_decodes_our_offsets_topic_as_its_own() throws Exception {
        Broker broker = running.broker();
        broker.createTopic("orders", 4, Map.of(), OnDuplicate.FAIL);
        commit(broker, "kitchen", Map.of(ORDERS_3, new OffsetAndMetadata(5, 0, "fryer")));
        running.close();
        List<String> lines = KafkaReadsOurSegmentsTest.dumpLogSegments(work, KafkaReadsOurSegmentsTest.segmentFiles(
                running.dataDir().resolve(CommittedOffsets.TOPIC + "-0")).stream().filter(f -> f.endsWith(".log"))
                .toList(), "--print-data-log", "--offsets-decoder");
        String record = lines.stream().filter(line -> line.contains("\"group\":\"kitchen\"")).findFirst()
                .orElseThrow(() -> new AssertionError("no record of the group's: " + lines));
        assertTrue(record.contains("key: {\"type\":\"1\",\"data\":{\"group\":\"kitchen\",\"topic\":\"orders\","
                + "\"partition\":3}}"), record);
        assertTrue(record.contains("payload: {\"version\":\"4\",\"data\":{\"offset\":5,\"leaderEpoch\":0,"
                + "\"metadata\":\"fryer\",\"commitTimestamp\":"), record);
    }

    @Test
    void kafka_dump_log_decodes_a_kip_848_groups_records_as_its_own() throws Exception {
        Broker broker = running.broker();
        broker.createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
        ConsumerGroupHeartbeat.Response joined = broker.groupCoordinator().consumerGroupHeartbeat(
                new ConsumerGroupHeartbeat.Request("counters", "till-1", ConsumerGroupHeartbeat.JOIN, null, null,
                        60_000, List.of("orders"), null, Map.of(), "till", "/127.0.0.1"));
        assertEquals(Errors.NONE, joined.error());
        running.close();
        List<String> lines = KafkaReadsOurSegmentsTest.dumpLogSegments(work, KafkaReadsOurSegmentsTest.segmentFiles(
                running.dataDir().resolve(CommittedOffsets.TOPIC + "-0")).stream().filter(f -> f.endsWith(".log"))
                .toList(), "--print-data-log", "--offsets-decoder");
        String all = String.join("\n", lines);
        for (String key : List.of(
                "key: {\"type\":\"5\",\"data\":{\"groupId\":\"counters\",\"memberId\":\"till-1\"}}",
                "key: {\"type\":\"3\",\"data\":{\"groupId\":\"counters\"}}",
                "key: {\"type\":\"7\",\"data\":{\"groupId\":\"counters\",\"memberId\":\"till-1\"}}",
                "key: {\"type\":\"6\",\"data\":{\"groupId\":\"counters\"}}",
                "key: {\"type\":\"8\",\"data\":{\"groupId\":\"counters\",\"memberId\":\"till-1\"}}")) {
            assertTrue(all.contains(key), key + " in:\n" + all);
        }
        assertTrue(all.contains("\"clientId\":\"till\",\"clientHost\":\"/127.0.0.1\",\"subscribedTopicNames\":"
                + "[\"orders\"]"), all);
        assertTrue(all.contains("{\"memberEpoch\":2,\"previousMemberEpoch\":0,\"state\":0,"), all);
        // as Kafka's records of a new group begin: with its first member, at epoch 2, nothing of epoch 1 before
        assertFalse(all.contains("{\"epoch\":1}") || all.contains("{\"assignmentEpoch\":1}"), all);
    }

    @Test
    void a_commit_larger_than_one_batch_is_written_in_several_and_replayed_whole() {
        Broker broker = running.broker();
        int partitions = 300;
        broker.createTopic("orders", partitions, Map.of(), OnDuplicate.FAIL);
        Map<TopicPartition, OffsetAndMetadata> committed = new TreeMap<>();
        for (int p = 0; p < partitions; p++) {
            committed.put(new TopicPartition("orders", p), new OffsetAndMetadata(p, p % 3 - 1,
                    String.valueOf(p % 10).repeat(4000)));
        }
        long before = broker.describeTopic(CommittedOffsets.TOPIC).partitions().get(0).endOffset();
        assertEquals(Errors.NONE, commit(broker, "kitchen", committed),
                "1.2 MB of commits, over the topic's max.message.bytes as one batch");
        assertEquals(before + partitions, broker.describeTopic(CommittedOffsets.TOPIC).partitions().get(0).endOffset(),
                "a record per partition");

        running.restart();
        OffsetFetchResponse fetched = running.broker().groupCoordinator().fetchOffsets("kitchen", null);
        assertEquals(committed, fetched.committed(), "every partition's offset, replayed with its epoch and metadata");
    }

    @Test
    void a_commit_an_earlier_broker_wrote_as_json_is_still_replayed() {
        Broker broker = running.broker();
        broker.createTopic("orders", 4, Map.of(), OnDuplicate.FAIL);
        byte[] key = "{\"group\":\"kitchen\",\"partition\":3,\"topic\":\"orders\"}".getBytes(StandardCharsets.UTF_8);
        byte[] value = "{\"generation\":-1,\"member\":\"\",\"metadata\":\"old\",\"offset\":7}"
                .getBytes(StandardCharsets.UTF_8);
        running.close();
        try (FileLog log = FileLog.open(running.dataDir(), CommittedOffsets.TOPIC, 0, TopicConfig.defaults())) {
            log.appendAll(List.of(new Record(key, value, NOON, List.of())));
        }
        running.restart();
        OffsetFetchResponse fetched = running.broker().groupCoordinator().fetchOffsets("kitchen", null);
        assertEquals(Map.of(ORDERS_3, 7L), fetched.offsets());
        assertEquals(Map.of(ORDERS_3, new OffsetAndMetadata(7, -1, "old")), fetched.committed(), "no epoch in JSON");
    }

    private static Errors commit(Broker broker, String group, Map<TopicPartition, OffsetAndMetadata> committed) {
        return broker.groupCoordinator().commitOffsets(new OffsetCommitRequest(group, -1, "", new TreeMap<>(committed),
                null));
    }
}
