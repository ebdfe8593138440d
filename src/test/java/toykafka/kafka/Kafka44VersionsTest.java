package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.Errors;
import toykafka.common.TopicId;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * The versions Kafka 4.4's clients speak that kafka-clients 3.9 does not: ApiVersions v5, ListOffsets v11,
 * OffsetCommit v10, OffsetFetch v10, TxnOffsetCommit v6 and DescribeLogDirs v5. Each frame is written with the
 * front end's own {@link ProtocolWriter} and its answer read with its {@link ProtocolReader}, field by field as the
 * 4.4 message specs lay them out; {@link Kafka44ClientsTest} shows Kafka 4.4's own clients choosing them.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class Kafka44VersionsTest {

    @StartedBroker(FrontEnd.KAFKA)
    static RunningBroker broker;

    /** An id no topic has. */
    private static final TopicId NO_SUCH_TOPIC = new TopicId(0x1234_5678_9abcL, 0x0fed_cba9_8765_4321L);

    @BeforeAll
    static void createTopics() {
        broker.broker().createTopic("menu", 2, Map.of(), OnDuplicate.FAIL);
        broker.broker().createTopic("tables", 1, Map.of(), OnDuplicate.FAIL);
    }

    private static TopicId idOf(String topic) {
        return broker.broker().describeTopic(topic).id();
    }

    // ---- the frames ----

    /**
     * Sends one request in a flexible version (header v2: the client id keeps its int16 length, then tagged fields)
     * and returns a reader of the answer's body, past its header: v0 (the correlation id alone) for ApiVersions,
     * else v1 (with tagged fields).
     */
    private static ProtocolReader call(KafkaWire wire, int key, int version, Consumer<ProtocolWriter> body) {
        ProtocolWriter header = new ProtocolWriter(false).int16((short) key).int16((short) version).int32(44)
                .string("kafka-4.4-test").unsignedVarint(0);
        ProtocolWriter request = new ProtocolWriter(true);
        body.accept(request);
        List<ProtocolWriter.Part> parts = new ArrayList<>(header.finish());
        parts.addAll(request.finish());
        int size = parts.stream().mapToInt(part -> (int) part.size()).sum();
        ByteBuffer frame = ByteBuffer.allocate(size);
        parts.forEach(part -> frame.put(((ProtocolWriter.BytesPart) part).bytes()));
        ByteBuffer response = wire.exchange(frame.flip());
        ProtocolReader in = new ProtocolReader(response, true);
        assertEquals(44, in.int32("correlation id"));
        if (key != 18) {
            in.taggedFields("ResponseHeader");
        }
        return in;
    }

    private static void assertRead(ProtocolReader in) {
        assertEquals(0, in.remaining(), "the whole answer was read");
    }

    // ---- ApiVersions v5 ----

    private static ProtocolReader apiVersions(KafkaWire wire, String clusterId, int nodeId) {
        return call(wire, 18, 5, out -> out.string("toykafka-test").string("1.0").nullableString(clusterId)
                .int32(nodeId).taggedFields());
    }

    @Test
    void api_versions_v5_without_a_cluster_id_answers_the_ranges_and_the_features() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            ProtocolReader in = apiVersions(wire, null, -1);
            assertEquals(Errors.NONE.code(), in.int16("error_code"));
            Map<Integer, int[]> ranges = new HashMap<>();
            in.array("api_keys", api -> {
                int key = api.int16("api_key");
                ranges.put(key, new int[] {api.int16("min_version"), api.int16("max_version")});
                api.taggedFields("ApiVersion");
                return key;
            });
            assertEquals(0, in.int32("throttle_time_ms"));
            assertEquals(3, in.unsignedVarint("tagged fields"), "supported and finalized features, and their epoch");
            // key, min, max of the versions this class is about
            for (int[] range : new int[][] {{18, 0, 5}, {2, 1, 11}, {8, 2, 10}, {9, 1, 10}, {28, 0, 6}, {35, 1, 5}}) {
                assertEquals(range[1], ranges.get(range[0])[0], "lowest version of api key " + range[0]);
                assertEquals(range[2], ranges.get(range[0])[1], "highest version of api key " + range[0]);
            }
        }
    }

    @Test
    void api_versions_v5_for_this_cluster_and_node_is_answered_as_any_other() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            ProtocolReader in = apiVersions(wire, broker.broker().clusterId(), broker.broker().nodeId());
            assertEquals(Errors.NONE.code(), in.int16("error_code"));
            assertTrue(in.array("api_keys", api -> {
                api.int16("api_key");
                api.int16("min_version");
                api.int16("max_version");
                api.taggedFields("ApiVersion");
                return 0;
            }).size() > 30);
        }
    }

    @Test
    void api_versions_v5_for_another_cluster_or_node_is_rebootstrap_required_with_nothing_else() {
        String cluster = broker.broker().clusterId();
        int node = broker.broker().nodeId();
        for (Object[] asked : new Object[][] {{"another-cluster", node}, {cluster, node + 1}, {cluster, -1}}) {
            try (KafkaWire wire = new KafkaWire(broker)) {
                ProtocolReader in = apiVersions(wire, (String) asked[0], (Integer) asked[1]);
                assertEquals(Errors.REBOOTSTRAP_REQUIRED.code(), in.int16("error_code"), asked[0] + " " + asked[1]);
                assertEquals(129, Errors.REBOOTSTRAP_REQUIRED.code());
                assertEquals(0, in.array("api_keys", api -> 0).size(), "no APIs, as Kafka's error response has none");
                assertEquals(0, in.int32("throttle_time_ms"));
                assertEquals(0, in.unsignedVarint("tagged fields"), "no features");
                assertRead(in);
            }
        }
    }

    // ---- ListOffsets v11 ----

    private static long[] listOffset(KafkaWire wire, String topic, long timestamp) {
        ProtocolReader in = call(wire, 2, 11, out -> out.int32(-1).int8((byte) 0)
                .array(List.of(topic), (t, name) -> t.string(name).array(List.of(0), (p, index) -> p.int32(index)
                        .int32(-1).int64(timestamp).taggedFields()).taggedFields())
                .int32(1000).taggedFields());
        assertEquals(0, in.int32("throttle_time_ms"));
        List<long[]> answers = in.array("topics", t -> {
            assertEquals(topic, t.string("name"));
            List<long[]> partitions = t.array("partitions", p -> {
                assertEquals(0, p.int32("partition_index"));
                long[] answer = {p.int16("error_code"), p.int64("timestamp"), p.int64("offset"), p.int32("leader_epoch")};
                p.taggedFields("ListOffsetsPartitionResponse");
                return answer;
            });
            t.taggedFields("ListOffsetsTopicResponse");
            return partitions.get(0);
        });
        in.taggedFields("ListOffsetsResponse");
        assertRead(in);
        return answers.get(0);
    }

    @Test
    void list_offsets_v11_answers_the_ends_and_earliest_pending_upload_as_kafka_does_without_remote_storage() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            long[] latest = listOffset(wire, "tables", -1);
            assertEquals(Errors.NONE.code(), latest[0]);
            assertEquals(0, latest[2], "an empty partition ends at 0");
            long[] earliest = listOffset(wire, "tables", -2);
            assertEquals(Errors.NONE.code(), earliest[0]);
            assertEquals(0, earliest[2]);
            long[] pending = listOffset(wire, "tables", -6);
            assertEquals(Errors.NONE.code(), pending[0]);
            assertEquals(-1, pending[1], "timestamp");
            assertEquals(-1, pending[2], "offset: no upload is pending without remote storage");
            assertEquals(-1, pending[3], "leader epoch");
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), listOffset(wire, "no-such-topic", -6)[0]);
        }
    }

    // ---- OffsetCommit v10 and OffsetFetch v10 ----

    /** One partition's commit: topic id, partition, offset, leader epoch, metadata. */
    private record Commit(TopicId topic, int partition, long offset, int leaderEpoch, String metadata) {
    }

    private static void writeCommits(ProtocolWriter out, List<Commit> commits) {
        Map<TopicId, List<Commit>> byTopic = new LinkedHashMap<>();
        commits.forEach(c -> byTopic.computeIfAbsent(c.topic(), t -> new ArrayList<>()).add(c));
        out.array(List.copyOf(byTopic.entrySet()), (t, topic) -> t.topicId(topic.getKey())
                .array(topic.getValue(), (p, c) -> p.int32(c.partition()).int64(c.offset()).int32(c.leaderEpoch())
                        .nullableString(c.metadata()).taggedFields()).taggedFields());
    }

    /** Each partition's error code, by topic id and partition, as "id-partition". */
    private static Map<String, Short> readErrors(ProtocolReader in) {
        Map<String, Short> errors = new LinkedHashMap<>();
        in.array("topics", t -> {
            TopicId id = t.topicId("topic_id");
            t.array("partitions", p -> {
                errors.put(id + "-" + p.int32("partition_index"), p.int16("error_code"));
                p.taggedFields("partition");
                return 0;
            });
            t.taggedFields("topic");
            return id;
        });
        in.taggedFields("response");
        assertRead(in);
        return errors;
    }

    private static Map<String, Short> commit(KafkaWire wire, String group, List<Commit> commits) {
        ProtocolReader in = call(wire, 8, 10, out -> {
            out.string(group).int32(-1).string("").nullableString(null);
            writeCommits(out, commits);
            out.taggedFields();
        });
        assertEquals(0, in.int32("throttle_time_ms"));
        return readErrors(in);
    }

    /** One partition's committed offset as OffsetFetch v10 answers it. */
    private record Fetched(TopicId topic, int partition, long offset, int leaderEpoch, String metadata, short error) {
    }

    /** OffsetFetch v10 for one group: {@code topics} null asks for every partition it has committed. */
    private static List<Fetched> fetch(KafkaWire wire, String group, Map<TopicId, List<Integer>> topics,
                                       boolean requireStable) {
        ProtocolReader in = call(wire, 9, 10, out -> out.array(List.of(group), (g, id) -> {
            g.string(id).nullableString(null).int32(-1);
            if (topics == null) {
                g.unsignedVarint(0); // a null compact array
            } else {
                g.array(List.copyOf(topics.entrySet()), (t, topic) -> t.topicId(topic.getKey())
                        .array(topic.getValue(), (p, index) -> p.int32(index)).taggedFields());
            }
            g.taggedFields();
        }).bool(requireStable).taggedFields());
        assertEquals(0, in.int32("throttle_time_ms"));
        List<Fetched> fetched = new ArrayList<>();
        in.array("groups", g -> {
            assertEquals(group, g.string("group_id"));
            g.array("topics", t -> {
                TopicId id = t.topicId("topic_id");
                t.array("partitions", p -> {
                    fetched.add(new Fetched(id, p.int32("partition_index"), p.int64("committed_offset"),
                            p.int32("committed_leader_epoch"), p.nullableString("metadata"), p.int16("error_code")));
                    p.taggedFields("partition");
                    return 0;
                });
                t.taggedFields("topic");
                return id;
            });
            assertEquals(Errors.NONE.code(), g.int16("group error_code"));
            g.taggedFields("group");
            return group;
        });
        in.taggedFields("response");
        assertRead(in);
        return fetched;
    }

    @Test
    void offset_commit_v10_by_topic_id_is_fetched_back_by_offset_fetch_v10() {
        TopicId menu = idOf("menu");
        try (KafkaWire wire = new KafkaWire(broker)) {
            Map<String, Short> answered = commit(wire, "kitchen-44", List.of(new Commit(menu, 1, 0, 3, "by id")));
            assertEquals(Map.of(menu + "-1", Errors.NONE.code()), answered);

            List<Fetched> fetched = fetch(wire, "kitchen-44", Map.of(menu, List.of(0, 1)), false);
            assertEquals(List.of(new Fetched(menu, 0, -1, -1, "", Errors.NONE.code()),
                    new Fetched(menu, 1, 0, 3, "by id", Errors.NONE.code())), fetched);
            assertEquals(List.of(new Fetched(menu, 1, 0, 3, "by id", Errors.NONE.code())),
                    fetch(wire, "kitchen-44", null, false), "every partition committed, named by id");
        }
    }

    @Test
    void an_unknown_topic_id_is_unknown_topic_id_for_each_partition_and_nothing_of_it_is_committed() {
        TopicId tables = idOf("tables");
        try (KafkaWire wire = new KafkaWire(broker)) {
            Map<String, Short> answered = commit(wire, "bar-44", List.of(new Commit(NO_SUCH_TOPIC, 0, 5, -1, null),
                    new Commit(NO_SUCH_TOPIC, 1, 5, -1, null), new Commit(tables, 0, 0, -1, "kept")));
            assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), answered.get(NO_SUCH_TOPIC + "-0"));
            assertEquals((short) 100, answered.get(NO_SUCH_TOPIC + "-1"), "code 100");
            assertEquals(Errors.NONE.code(), answered.get(tables + "-0"), "the known topic is committed beside it");

            assertEquals(List.of(new Fetched(tables, 0, 0, -1, "kept", Errors.NONE.code())),
                    fetch(wire, "bar-44", null, false), "only the known topic's offset is stored");
            Map<TopicId, List<Integer>> unknownFirst = new LinkedHashMap<>();
            unknownFirst.put(NO_SUCH_TOPIC, List.of(2));
            unknownFirst.put(tables, List.of(0));
            assertEquals(List.of(new Fetched(tables, 0, 0, -1, "kept", Errors.NONE.code()),
                    new Fetched(NO_SUCH_TOPIC, 2, -1, -1, "", Errors.UNKNOWN_TOPIC_ID.code())),
                    fetch(wire, "bar-44", unknownFirst, false),
                    "an unknown id is answered UNKNOWN_TOPIC_ID, offset -1, after the topics found, as Kafka orders them");

            Map<String, Short> unknownOnly = commit(wire, "empty-44", List.of(new Commit(NO_SUCH_TOPIC, 0, 1, -1, null)));
            assertEquals(Map.of(NO_SUCH_TOPIC + "-0", Errors.UNKNOWN_TOPIC_ID.code()), unknownOnly);
            assertTrue(fetch(wire, "empty-44", null, false).isEmpty(), "nothing stored for the group");
        }
    }

    // ---- TxnOffsetCommit v6 ----

    private static Map<String, Short> txnCommit(KafkaWire wire, String transactionalId, long producerId, short epoch,
                                                String group, List<Commit> commits) {
        ProtocolReader in = call(wire, 28, 6, out -> {
            out.string(transactionalId).string(group).int64(producerId).int16(epoch).int32(-1).string("")
                    .nullableString(null);
            writeCommits(out, commits);
            out.taggedFields();
        });
        assertEquals(0, in.int32("throttle_time_ms"));
        return readErrors(in);
    }

    @Test
    void txn_offset_commit_v6_commits_by_topic_id_under_the_transaction_and_refuses_an_unknown_id() {
        TopicId menu = idOf("menu");
        try (KafkaWire wire = new KafkaWire(broker)) {
            InitProducerIdResponseData till = wire.send(new InitProducerIdRequestData().setTransactionalId("till-44")
                    .setTransactionTimeoutMs(60_000), 5);
            assertEquals(Errors.NONE.code(), till.errorCode());

            Map<String, Short> answered = txnCommit(wire, "till-44", till.producerId(), till.producerEpoch(), "pass-44",
                    List.of(new Commit(menu, 0, 0, -1, "in txn"), new Commit(NO_SUCH_TOPIC, 0, 9, -1, null)));
            assertEquals(Errors.NONE.code(), answered.get(menu + "-0"));
            assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), answered.get(NO_SUCH_TOPIC + "-0"));

            List<Fetched> stable = fetch(wire, "pass-44", Map.of(menu, List.of(0)), true);
            assertEquals(Errors.UNSTABLE_OFFSET_COMMIT.code(), stable.get(0).error(),
                    "the offset waits on its open transaction");
            assertEquals(-1, fetch(wire, "pass-44", Map.of(menu, List.of(0)), false).get(0).offset(),
                    "nothing in force before the transaction commits");

            Map<String, Short> unknownOnly = txnCommit(wire, "till-44", till.producerId(), till.producerEpoch(),
                    "other-44", List.of(new Commit(NO_SUCH_TOPIC, 3, 1, -1, null)));
            assertEquals(Map.of(NO_SUCH_TOPIC + "-3", Errors.UNKNOWN_TOPIC_ID.code()), unknownOnly);
            assertFalse(fetch(wire, "other-44", null, false).stream().anyMatch(f -> f.offset() >= 0),
                    "nothing stored for the group");
        }
    }

    // ---- DescribeLogDirs v5 ----

    @Test
    void describe_log_dirs_v5_answers_is_cordoned_false_after_the_volume_sizes() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            ProtocolReader in = call(wire, 35, 5, out -> out.array(List.of("tables"), (t, name) -> t.string(name)
                    .array(List.of(0), (p, index) -> p.int32(index)).taggedFields()).taggedFields());
            assertEquals(0, in.int32("throttle_time_ms"));
            assertEquals(Errors.NONE.code(), in.int16("error_code"));
            List<Boolean> cordoned = in.array("results", dir -> {
                assertEquals(Errors.NONE.code(), dir.int16("error_code"));
                assertEquals(broker.broker().dataDir(), dir.string("log_dir"));
                List<String> topics = dir.array("topics", t -> {
                    String name = t.string("name");
                    t.array("partitions", p -> {
                        assertEquals(0, p.int32("partition_index"));
                        assertTrue(p.int64("partition_size") >= 0);
                        assertEquals(0, p.int64("offset_lag"));
                        assertFalse(p.bool("is_future_key"));
                        p.taggedFields("partition");
                        return 0;
                    });
                    t.taggedFields("topic");
                    return name;
                });
                assertEquals(List.of("tables"), topics);
                dir.int64("total_bytes");
                dir.int64("usable_bytes");
                boolean isCordoned = dir.bool("is_cordoned");
                dir.taggedFields("DescribeLogDirsResult");
                return isCordoned;
            });
            in.taggedFields("DescribeLogDirsResponse");
            assertRead(in);
            assertEquals(List.of(false), cordoned);
        }
    }
}
