package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * REST Proxy v3's topic, partition, replica, reassignment and topic-config examples (api/v3/openapi.yaml), run
 * against the broker with only host, port and cluster id changed: each request body as documented, each reply's
 * status, content type and fields as facts. This cluster is one broker, node 1, so an example that asks for 3
 * replicas or places them on brokers 2 and 3 is refused naming what is valid, and the test then sends it with
 * that one change. {@code compression.type} in the examples is swapped for another topic config.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RestProxyV3AdminConformanceTest implements V3Links {

    @StartedBroker(FrontEnd.HTTP)
    RunningBroker broker;

    @Override
    public RunningBroker broker() {
        return broker;
    }

    String topics;

    @BeforeEach
    void start() {
        topics = base() + "/topics";
    }

    private JsonNode reply(RunningBroker.Response reply, int status) {
        assertEquals(status, reply.status(), reply.text());
        assertEquals("application/json", reply.header("Content-Type"));
        return reply.json();
    }

    private JsonNode refused(RunningBroker.Response reply, int status, int errorCode, String... named) {
        JsonNode body = reply(reply, status);
        assertEquals(errorCode, body.get("error_code").asInt(), reply.text());
        for (String part : named) {
            assertTrue(body.get("message").asText().contains(part), "the refusal names " + part + ": " + reply.text());
        }
        return body;
    }

    private void create(String topic, int partitions, String configs) {
        reply(broker.post(topics, "{\"topic_name\":\"" + topic + "\",\"partitions_count\":" + partitions
                + ",\"configs\":[" + configs + "]}"), 201);
    }

    /** TopicData as GetTopicResponse and CreateTopicResponse give it. */
    private void assertTopic(JsonNode topic, String name, boolean internal, int partitions) {
        String self = topics + "/" + name;
        assertMetadata(topic, "KafkaTopic", self, "crn:///kafka=" + cluster() + "/topic=" + name);
        assertEquals(cluster(), topic.get("cluster_id").asText());
        assertEquals(name, topic.get("topic_name").asText());
        assertEquals(internal, topic.get("is_internal").asBoolean());
        assertEquals(1, topic.get("replication_factor").asInt());
        assertEquals(partitions, topic.get("partitions_count").asInt());
        assertRelated(topic, "partitions", self + "/partitions");
        assertRelated(topic, "configs", self + "/configs");
        assertRelated(topic, "partition_reassignments", self + "/partitions/-/reassignment");
        assertEquals(0, topic.get("authorized_operations").size());
    }

    // ---- topics ----

    @Test
    void ListTopicsResponse_in_name_order_the_brokers_own_marked_internal() {
        create("topic-1", 1, "");
        JsonNode list = reply(broker.get(topics), 200);
        assertList(list, "KafkaTopicList", topics);
        List<String> names = new ArrayList<>();
        list.get("data").forEach(topic -> names.add(topic.get("topic_name").asText()));
        assertEquals(List.of("__broker_stats", "__consumer_offsets", "topic-1"), names);
        assertTopic(list.get("data").get(1), "__consumer_offsets", true, 1);
        assertTopic(list.get("data").get(2), "topic-1", false, 1);
    }

    @Test
    void GetTopicResponse_and_an_unknown_topic_is_40403() {
        create("topic-1", 1, "");
        assertTopic(reply(broker.get(topics + "/topic-1"), 200), "topic-1", false, 1);
        refused(broker.get(topics + "/topic-2"), 404, 40403, "topic-2");
    }

    @Test
    void CreateTopicRequest_uniform_replication_asks_for_3_replicas_which_one_broker_refuses_naming_1() {
        String documented = "{\"topic_name\":\"topic-X\",\"partitions_count\":64,\"replication_factor\":3,"
                + "\"configs\":[{\"name\":\"cleanup.policy\",\"value\":\"compact\"},"
                + "{\"name\":\"compression.type\",\"value\":\"gzip\"}]}";
        JsonNode body = refused(broker.post(topics, documented), 400, 40002, "replication factor 3", "ask for 1");
        assertEquals("INVALID_REPLICATION_FACTOR", body.get("error").asText());
        refused(broker.get(topics + "/topic-X"), 404, 40403);
    }

    @Test
    void CreateTopicResponse_for_uniform_replication_with_one_replica_is_201_with_its_location() {
        var created = broker.post(topics, "{\"topic_name\":\"topic-X\",\"partitions_count\":64,\"replication_factor\":1,"
                + "\"configs\":[{\"name\":\"cleanup.policy\",\"value\":\"compact\"}]}");
        assertTopic(reply(created, 201), "topic-X", false, 64);
        assertEquals(url(topics + "/topic-X"), created.header("Location"));
        assertEquals("compact", reply(broker.get(topics + "/topic-X/configs/cleanup.policy"), 200).get("value").asText());
        assertTopic(reply(broker.post(topics, "{\"topic_name\":\"topic-Y\",\"replication_factor\":-1}"), 201),
                "topic-Y", false, 1);
    }

    @Test
    void CreateTopicRequest_explicit_replicas_assignments_on_brokers_2_and_3_is_refused_naming_broker_1() {
        String documented = "{\"topic_name\":\"topic-X\",\"replicas_assignments\":[{\"0\":[1,2]},{\"1\":[2,3]},"
                + "{\"2\":[3,1]}],\"configs\":[{\"name\":\"cleanup.policy\",\"value\":\"compact\"}]}";
        JsonNode body = refused(broker.post(topics, documented), 400, 40002, "[1,2]", "node 1");
        assertEquals("INVALID_REPLICA_ASSIGNMENT", body.get("error").asText());
        refused(broker.get(topics + "/topic-X"), 404, 40403);
    }

    @Test
    void CreateTopicRequest_explicit_replicas_assignments_on_broker_1_make_one_partition_per_entry_in_each_form() {
        List<String> forms = List.of("[{\"0\":[1]},{\"1\":[1]},{\"2\":[1]}]", // the documented example's form
                "{\"0\":[1],\"1\":[1],\"2\":[1]}", // REST Proxy's request object
                "[{\"partition_id\":0,\"broker_ids\":[1]},{\"partition_id\":1,\"broker_ids\":[1]},"
                        + "{\"partition_id\":2,\"broker_ids\":[1]}]"); // the schema's
        for (int i = 0; i < forms.size(); i++) {
            String name = "topic-" + i;
            JsonNode created = reply(broker.post(topics, "{\"topic_name\":\"" + name + "\",\"replicas_assignments\":"
                    + forms.get(i) + ",\"configs\":[{\"name\":\"cleanup.policy\",\"value\":\"compact\"}]}"), 201);
            assertTopic(created, name, false, 3);
        }
    }

    @Test
    void replicas_assignments_with_a_partitions_count_is_refused_as_Kafka_refuses_both() {
        refused(broker.post(topics, "{\"topic_name\":\"topic-X\",\"partitions_count\":3,"
                + "\"replicas_assignments\":{\"0\":[1],\"1\":[1],\"2\":[1]}}"), 400, 40002, "partitions_count");
        refused(broker.post(topics, "{\"topic_name\":\"topic-X\",\"replicas_assignments\":{\"0\":[1],\"2\":[1]}}"),
                400, 40002, "numbered 0 to 1");
    }

    @Test
    void CreateTopicRequest_dry_run_create_topic_with_3_replicas_is_refused_as_the_create_would_be() {
        String documented = "{\"topic_name\":\"topic-X\",\"partitions_count\":64,\"replication_factor\":3,"
                + "\"validate_only\":true}";
        refused(broker.post(topics, documented), 400, 40002, "replication factor 3");
    }

    @Test
    void CreateTopicResponse_for_a_dry_run_with_one_replica_is_200_and_makes_nothing() {
        JsonNode would = reply(broker.post(topics, "{\"topic_name\":\"topic-X\",\"partitions_count\":64,"
                + "\"replication_factor\":1,\"validate_only\":true}"), 200);
        assertTopic(would, "topic-X", false, 64);
        refused(broker.get(topics + "/topic-X"), 404, 40403);
        assertFalse(broker.dataFiles().keySet().stream().anyMatch(file -> file.startsWith("topic-X")),
                "no partition directory: " + broker.dataFiles().keySet());
        create("topic-1", 1, "");
        refused(broker.post(topics, "{\"topic_name\":\"topic-1\",\"validate_only\":true}"), 400, 40002, "topic-1");
    }

    @Test
    void BadRequestErrorResponse_create_topic_already_exists_is_40002() {
        create("my-topic", 1, "");
        JsonNode body = refused(broker.post(topics, "{\"topic_name\":\"my-topic\"}"), 400, 40002, "my-topic");
        assertEquals("TOPIC_ALREADY_EXISTS", body.get("error").asText());
    }

    @Test
    void UpdatePartitionCountRequest_raises_the_count_and_answers_GetTopicResponse() {
        create("topic-1", 1, "");
        assertTopic(reply(broker.send("PATCH", topics + "/topic-1", "{\"partitions_count\":10}"), 200), "topic-1", false, 10);
        assertEquals(10, reply(broker.get(topics + "/topic-1/partitions"), 200).get("data").size());
        refused(broker.send("PATCH", topics + "/topic-1", "{\"partitions_count\":5}"), 400, 40002);
        // this broker's older form, kept as an extension
        assertTopic(reply(broker.post(topics + "/topic-1/partitions", "{\"partitions_count\":12}"), 200),
                "topic-1", false, 12);
    }

    @Test
    void delete_topic_is_204_then_the_topic_is_40403() {
        create("topic-1", 1, "");
        var deleted = broker.send("DELETE", topics + "/topic-1", null);
        assertEquals(204, deleted.status());
        assertEquals("", deleted.text());
        refused(broker.send("DELETE", topics + "/topic-1", null), 404, 40403);
    }

    // ---- partitions, replicas, reassignments ----

    private void assertPartition(JsonNode partition, String topic, int id) {
        String self = topics + "/" + topic + "/partitions/" + id;
        assertMetadata(partition, "KafkaPartition", self, "crn:///kafka=" + cluster() + "/topic=" + topic + "/partition=" + id);
        assertEquals(cluster(), partition.get("cluster_id").asText());
        assertEquals(topic, partition.get("topic_name").asText());
        assertEquals(id, partition.get("partition_id").asInt());
        assertRelated(partition, "leader", self + "/replicas/1");
        assertRelated(partition, "replicas", self + "/replicas");
        assertRelated(partition, "reassignment", self + "/reassignment");
    }

    @Test
    void ListPartitionsResponse_with_each_partitions_offsets_as_an_extension() {
        create("topic-1", 3, "");
        reply(broker.post(topics + "/topic-1/records", "{\"partition_id\":2,\"value\":\"one\"}"), 200);
        JsonNode list = reply(broker.get(topics + "/topic-1/partitions"), 200);
        assertList(list, "KafkaPartitionList", topics + "/topic-1/partitions");
        for (int p = 0; p < 3; p++) {
            assertPartition(list.get("data").get(p), "topic-1", p);
        }
        assertEquals(0, list.get("data").get(2).get("log_start_offset").asLong());
        assertEquals(1, list.get("data").get(2).get("log_end_offset").asLong());
    }

    @Test
    void GetPartitionResponse_and_a_partition_the_topic_lacks_is_40403() {
        create("topic-1", 2, "");
        assertPartition(reply(broker.get(topics + "/topic-1/partitions/1"), 200), "topic-1", 1);
        refused(broker.get(topics + "/topic-1/partitions/2"), 404, 40403, "0..1");
    }

    private void assertReplica(JsonNode replica, String topic, int partition) {
        String self = topics + "/" + topic + "/partitions/" + partition + "/replicas/1";
        assertMetadata(replica, "KafkaReplica", self,
                "crn:///kafka=" + cluster() + "/topic=" + topic + "/partition=" + partition + "/replica=1");
        assertEquals(cluster(), replica.get("cluster_id").asText());
        assertEquals(topic, replica.get("topic_name").asText());
        assertEquals(partition, replica.get("partition_id").asInt());
        assertEquals(1, replica.get("broker_id").asInt());
        assertTrue(replica.get("is_leader").asBoolean());
        assertTrue(replica.get("is_in_sync").asBoolean());
        assertRelated(replica, "broker", base() + "/brokers/1");
    }

    @Test
    void ListReplicasResponse_and_GetReplicaResponse_the_one_replica_on_broker_1() {
        create("topic-1", 2, "");
        JsonNode list = reply(broker.get(topics + "/topic-1/partitions/1/replicas"), 200);
        assertList(list, "KafkaReplicaList", topics + "/topic-1/partitions/1/replicas");
        assertEquals(1, list.get("data").size());
        assertReplica(list.get("data").get(0), "topic-1", 1);
        assertReplica(reply(broker.get(topics + "/topic-1/partitions/1/replicas/1"), 200), "topic-1", 1);
        assertEquals(404, broker.get(topics + "/topic-1/partitions/1/replicas/2").status());
    }

    @Test
    void SearchReplicasByBrokerResponse_every_partition_is_on_broker_1() {
        create("topic-1", 2, "");
        JsonNode list = reply(broker.get(base() + "/brokers/1/partition-replicas"), 200);
        assertList(list, "KafkaReplicaList", base() + "/brokers/1/partition-replicas");
        assertEquals(4, list.get("data").size(), "__broker_stats-0, __consumer_offsets-0, topic-1-0, topic-1-1");
        assertReplica(list.get("data").get(3), "topic-1", 1);
    }

    @Test
    void ListAllReassignmentsResponse_SearchReassignmentsByTopicResponse_empty_and_GetReassignmentResponse_404() {
        create("topic-1", 1, "");
        JsonNode all = reply(broker.get(topics + "/-/partitions/-/reassignment"), 200);
        assertList(all, "KafkaReassignmentList", topics + "/-/partitions/-/reassignment");
        assertEquals(0, all.get("data").size(), "one broker: no replica has anywhere to move");
        JsonNode ofTopic = reply(broker.get(topics + "/topic-1/partitions/-/reassignment"), 200);
        assertList(ofTopic, "KafkaReassignmentList", topics + "/topic-1/partitions/-/reassignment");
        assertEquals(0, ofTopic.get("data").size());
        assertEquals(404, broker.get(topics + "/topic-1/partitions/0/reassignment").status());
        refused(broker.get(topics + "/topic-2/partitions/-/reassignment"), 404, 40403);
    }

    // ---- topic configs ----

    private JsonNode config(JsonNode list, String name) {
        for (JsonNode entry : list.get("data")) {
            if (entry.get("name").asText().equals(name)) {
                return entry;
            }
        }
        throw new AssertionError("no config " + name + " in " + list);
    }

    private void assertTopicConfig(JsonNode config, String topic, String name, String value, String source,
                                   List<String> synonyms) {
        assertMetadata(config, "KafkaTopicConfig", topics + "/" + topic + "/configs/" + name,
                "crn:///kafka=" + cluster() + "/topic=" + topic + "/config=" + name);
        assertEquals(cluster(), config.get("cluster_id").asText());
        assertEquals(topic, config.get("topic_name").asText());
        assertEquals(name, config.get("name").asText());
        assertEquals(value, config.get("value").asText());
        assertEquals(source.equals("DEFAULT_CONFIG"), config.get("is_default").asBoolean());
        assertFalse(config.get("is_read_only").asBoolean());
        assertFalse(config.get("is_sensitive").asBoolean());
        assertEquals(source, config.get("source").asText());
        List<String> given = new ArrayList<>();
        config.get("synonyms").forEach(synonym -> given.add(synonym.get("name").asText() + "="
                + synonym.get("value").asText() + " " + synonym.get("source").asText()));
        assertEquals(synonyms, given);
    }

    @Test
    void ListTopicConfigsResponse_a_topics_own_value_is_DYNAMIC_TOPIC_CONFIG_over_the_default() {
        create("topic-1", 1, "{\"name\":\"cleanup.policy\",\"value\":\"compact\"}");
        JsonNode list = reply(broker.get(topics + "/topic-1/configs"), 200);
        assertList(list, "KafkaTopicConfigList", topics + "/topic-1/configs");
        assertTopicConfig(config(list, "cleanup.policy"), "topic-1", "cleanup.policy", "compact", "DYNAMIC_TOPIC_CONFIG",
                List.of("cleanup.policy=compact DYNAMIC_TOPIC_CONFIG", "cleanup.policy=delete DEFAULT_CONFIG"));
        assertTopicConfig(config(list, "segment.bytes"), "topic-1", "segment.bytes", "1073741824", "DEFAULT_CONFIG",
                List.of("segment.bytes=1073741824 DEFAULT_CONFIG"));
    }

    @Test
    void a_value_the_topic_inherits_from_the_brokers_log_retention_ms_is_STATIC_BROKER_CONFIG() {
        broker.restartWith(Map.of(toykafka.broker.config.BrokerConfig.RETENTION_MS, "3000"));
        create("topic-1", 1, "{\"name\":\"segment.bytes\",\"value\":\"1048576\"}");
        assertTopicConfig(reply(broker.get(topics + "/topic-1/configs/retention.ms"), 200), "topic-1", "retention.ms",
                "3000", "STATIC_BROKER_CONFIG",
                List.of("log.retention.ms=3000 STATIC_BROKER_CONFIG", "retention.ms=604800000 DEFAULT_CONFIG"));
    }

    @Test
    void ListTopicConfigsResponse_for_every_topic_at_topics_dash_configs() {
        create("topic-1", 1, "{\"name\":\"cleanup.policy\",\"value\":\"compact\"}");
        JsonNode list = reply(broker.get(topics + "/-/configs"), 200);
        assertList(list, "KafkaTopicConfigList", topics + "/-/configs");
        List<String> topicNames = new ArrayList<>();
        list.get("data").forEach(entry -> {
            if (entry.get("name").asText().equals("cleanup.policy")) {
                topicNames.add(entry.get("topic_name").asText() + "=" + entry.get("value").asText());
            }
        });
        assertEquals(List.of("__broker_stats=delete", "__consumer_offsets=compact", "topic-1=compact"), topicNames);
    }

    @Test
    void GetTopicConfigResponse_one_config_and_an_unknown_name_is_a_404() {
        create("topic-1", 1, "{\"name\":\"cleanup.policy\",\"value\":\"compact\"}");
        assertTopicConfig(reply(broker.get(topics + "/topic-1/configs/cleanup.policy"), 200), "topic-1", "cleanup.policy",
                "compact", "DYNAMIC_TOPIC_CONFIG",
                List.of("cleanup.policy=compact DYNAMIC_TOPIC_CONFIG", "cleanup.policy=delete DEFAULT_CONFIG"));
        var unknown = reply(broker.get(topics + "/topic-1/configs/no.such.config"), 404);
        assertTrue(unknown.get("message").asText().contains("cleanup.policy"), "names the configs there are");
    }

    @Test
    void UpdateTopicConfigRequest_sets_one_value_and_a_bad_one_is_40002() {
        create("topic-1", 1, "");
        var updated = broker.send("PUT", topics + "/topic-1/configs/cleanup.policy", "{\"value\":\"compact\"}");
        assertEquals(204, updated.status(), updated.text());
        assertEquals("compact", reply(broker.get(topics + "/topic-1/configs/cleanup.policy"), 200).get("value").asText());
        JsonNode bad = refused(broker.send("PUT", topics + "/topic-1/configs/cleanup.policy", "{\"value\":\"tidy\"}"),
                400, 40002, "tidy");
        assertEquals("INVALID_CONFIG", bad.get("error").asText());
        refused(broker.send("PUT", topics + "/topic-1/configs/no.such.config", "{\"value\":\"1\"}"), 400, 40002,
                "no.such.config");
    }

    @Test
    void reset_topic_config_DELETE_goes_back_to_the_default() {
        create("topic-1", 1, "{\"name\":\"cleanup.policy\",\"value\":\"compact\"}");
        assertEquals(204, broker.send("DELETE", topics + "/topic-1/configs/cleanup.policy", null).status());
        assertTopicConfig(reply(broker.get(topics + "/topic-1/configs/cleanup.policy"), 200), "topic-1", "cleanup.policy",
                "delete", "DEFAULT_CONFIG", List.of("cleanup.policy=delete DEFAULT_CONFIG"));
    }

    @Test
    void AlterTopicConfigBatchRequest_batch_alter_topic_configs_deletes_one_and_sets_another() {
        create("topic-1", 1, "{\"name\":\"cleanup.policy\",\"value\":\"compact\"}");
        var altered = broker.post(topics + "/topic-1/configs:alter", "{\"data\":[{\"name\":\"cleanup.policy\","
                + "\"operation\":\"DELETE\"},{\"name\":\"retention.ms\",\"value\":\"60000\"}]}");
        assertEquals(204, altered.status(), altered.text());
        JsonNode list = reply(broker.get(topics + "/topic-1/configs"), 200);
        assertEquals("delete", config(list, "cleanup.policy").get("value").asText());
        assertEquals("60000", config(list, "retention.ms").get("value").asText());
        assertEquals("DYNAMIC_TOPIC_CONFIG", config(list, "retention.ms").get("source").asText());
    }

    @Test
    void AlterTopicConfigBatchRequest_validate_only_batch_alter_topic_configs_checks_and_changes_nothing() {
        create("topic-1", 1, "{\"name\":\"cleanup.policy\",\"value\":\"compact\"}");
        var dryRun = broker.post(topics + "/topic-1/configs:alter", "{\"data\":[{\"name\":\"cleanup.policy\","
                + "\"operation\":\"DELETE\"},{\"name\":\"retention.ms\",\"value\":\"60000\"}],\"validate_only\":true}");
        assertEquals(204, dryRun.status(), dryRun.text());
        JsonNode list = reply(broker.get(topics + "/topic-1/configs"), 200);
        assertEquals("compact", config(list, "cleanup.policy").get("value").asText());
        assertEquals("DEFAULT_CONFIG", config(list, "retention.ms").get("source").asText());
        refused(broker.post(topics + "/topic-1/configs:alter", "{\"data\":[{\"name\":\"retention.ms\",\"value\":\"soon\"}],"
                + "\"validate_only\":true}"), 400, 40002, "soon");
        refused(broker.post(topics + "/topic-1/configs:alter", "{\"data\":[{\"name\":\"retention.ms\",\"value\":\"1\","
                + "\"operation\":\"APPEND\"}]}"), 400, 400, "SET", "DELETE");
    }

    @Test
    void whole_config_PUT_and_PATCH_stay_as_this_brokers_extensions() {
        create("topic-1", 1, "");
        assertEquals(204, broker.send("PATCH", topics + "/topic-1/configs",
                "{\"data\":[{\"name\":\"retention.ms\",\"value\":\"60000\"}]}").status());
        assertEquals(204, broker.send("PUT", topics + "/topic-1/configs",
                "{\"data\":[{\"name\":\"segment.bytes\",\"value\":\"2097152\"}]}").status());
        JsonNode list = reply(broker.get(topics + "/topic-1/configs"), 200);
        assertEquals("604800000", config(list, "retention.ms").get("value").asText(), "PUT resets what it does not name");
        assertEquals("2097152", config(list, "segment.bytes").get("value").asText());
        assertNull(broker.get(topics + "/topic-1/configs").header("Location"));
    }
}
