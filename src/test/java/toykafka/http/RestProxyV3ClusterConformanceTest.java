package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.config.BrokerConfig;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/**
 * REST Proxy v3's cluster and broker examples (api/v3/openapi.yaml: ListClustersResponse, GetClusterResponse,
 * ListBrokersResponse, GetBrokerResponse, ListBrokerConfigsResponse, GetBrokerConfigResponse,
 * ListClusterConfigsResponse, the broker and cluster config writes, the cluster_not_found error), run against
 * the broker with only host, port and cluster id changed: status, content type and fields, as facts. Where
 * this one-broker cluster must answer otherwise (no authorizer), the test says so.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RestProxyV3ClusterConformanceTest implements V3Links {

    @StartedBroker(value = FrontEnd.HTTP, settings = @Setting(name = BrokerConfig.RETENTION_MS, value = "86400000"))
    RunningBroker broker;

    @Override
    public RunningBroker broker() {
        return broker;
    }

    private JsonNode ok(RunningBroker.Response reply) {
        assertEquals(200, reply.status(), reply.text());
        assertEquals("application/json", reply.header("Content-Type"));
        return reply.json();
    }

    private void assertCluster(JsonNode data) {
        assertMetadata(data, "KafkaCluster", base(), "crn:///kafka=" + cluster());
        assertEquals(cluster(), data.get("cluster_id").asText());
        assertRelated(data, "controller", base() + "/brokers/1");
        assertRelated(data, "acls", base() + "/acls");
        assertRelated(data, "brokers", base() + "/brokers");
        assertRelated(data, "broker_configs", base() + "/broker-configs");
        assertRelated(data, "consumer_groups", base() + "/consumer-groups");
        assertRelated(data, "topics", base() + "/topics");
        assertRelated(data, "partition_reassignments", base() + "/topics/-/partitions/-/reassignment");
    }

    @Test
    void ListClustersResponse_lists_the_one_cluster_by_the_id_Kafkas_metadata_gives() {
        JsonNode list = ok(broker.get("/v3/clusters"));
        assertList(list, "KafkaClusterList", "/v3/clusters");
        assertEquals(1, list.get("data").size(), "REST Proxy knows only the cluster it points at");
        assertCluster(list.get("data").get(0));
    }

    @Test
    void GetClusterResponse_by_its_id_and_by_the_toykafka_alias() {
        assertCluster(ok(broker.get(base())));
        assertCluster(ok(broker.get("/v3/clusters/toykafka")));
    }

    @Test
    void NotFoundErrorResponse_cluster_not_found_for_another_cluster_id() {
        var missing = broker.get("/v3/clusters/my-cluster/topics");
        assertEquals(404, missing.status());
        assertEquals("application/json", missing.header("Content-Type"));
        assertEquals(404, missing.json().get("error_code").asInt());
        assertTrue(missing.json().get("message").asText().contains("my-cluster"), missing.text());
    }

    private void assertBroker(JsonNode data) {
        assertMetadata(data, "KafkaBroker", base() + "/brokers/1", "crn:///kafka=" + cluster() + "/broker=1");
        assertEquals(cluster(), data.get("cluster_id").asText());
        assertEquals(1, data.get("broker_id").asInt());
        assertEquals("127.0.0.1", data.get("host").asText());
        assertEquals(broker.broker().config().kafkaPort(), data.get("port").asInt(), "the Kafka listener's port");
        assertRelated(data, "configs", base() + "/brokers/1/configs");
        assertRelated(data, "partition_replicas", base() + "/brokers/1/partition-replicas");
    }

    @Test
    void ListBrokersResponse_holds_this_broker() {
        JsonNode list = ok(broker.get(base() + "/brokers"));
        assertList(list, "KafkaBrokerList", base() + "/brokers");
        assertEquals(1, list.get("data").size());
        assertBroker(list.get("data").get(0));
    }

    @Test
    void GetBrokerResponse_by_node_id_and_another_id_is_a_404() {
        assertBroker(ok(broker.get(base() + "/brokers/1")));
        var other = broker.get(base() + "/brokers/2");
        assertEquals(404, other.status());
        assertTrue(other.json().get("message").asText().contains("node 1"), other.text());
    }

    private JsonNode find(JsonNode list, String name) {
        for (JsonNode entry : list.get("data")) {
            if (entry.get("name").asText().equals(name)) {
                return entry;
            }
        }
        throw new AssertionError("no config " + name + " in " + list);
    }

    private void assertBrokerConfig(JsonNode config, String name) {
        assertMetadata(config, "KafkaBrokerConfig", base() + "/brokers/1/configs/" + name,
                "crn:///kafka=" + cluster() + "/broker=1/config=" + name);
        assertEquals(cluster(), config.get("cluster_id").asText());
        assertEquals(1, config.get("broker_id").asInt());
        assertEquals(name, config.get("name").asText());
        assertFalse(config.get("is_sensitive").asBoolean());
        assertEquals(!BrokerConfig.DYNAMIC.contains(name), config.get("is_read_only").asBoolean(),
                "read-only unless Kafka changes it at runtime too");
    }

    @Test
    void ListBrokerConfigsResponse_a_setting_given_at_start_is_static_with_kafkas_default_as_its_synonym() {
        JsonNode list = ok(broker.get(base() + "/brokers/1/configs"));
        assertList(list, "KafkaBrokerConfigList", base() + "/brokers/1/configs");
        JsonNode retention = find(list, "log.retention.ms");
        assertBrokerConfig(retention, "log.retention.ms");
        assertEquals("86400000", retention.get("value").asText());
        assertFalse(retention.get("is_default").asBoolean());
        assertEquals("STATIC_BROKER_CONFIG", retention.get("source").asText());
        assertEquals(List.of("86400000 STATIC_BROKER_CONFIG", "604800000 DEFAULT_CONFIG"), synonyms(retention));

        JsonNode partitions = find(list, "num.partitions");
        assertTrue(partitions.get("is_default").asBoolean());
        assertEquals("DEFAULT_CONFIG", partitions.get("source").asText());
        assertEquals(List.of("1 DEFAULT_CONFIG"), synonyms(partitions));
        assertTrue(partitions.get("is_read_only").asBoolean(), "num.partitions is static in Kafka too");
        list.get("data").forEach(config -> assertFalse(config.get("name").asText().startsWith("http."),
                "only settings under Kafka's own names are Kafka's configs: " + config.get("name")));
    }

    private static List<String> synonyms(JsonNode config) {
        List<String> synonyms = new ArrayList<>();
        for (JsonNode synonym : config.get("synonyms")) {
            assertEquals(config.get("name").asText(), synonym.get("name").asText());
            synonyms.add(synonym.get("value").asText() + " " + synonym.get("source").asText());
        }
        return synonyms;
    }

    @Test
    void ListBrokerConfigsResponse_for_every_broker_at_brokers_dash_configs() {
        JsonNode list = ok(broker.get(base() + "/brokers/-/configs"));
        assertList(list, "KafkaBrokerConfigList", base() + "/brokers/-/configs");
        assertBrokerConfig(find(list, "log.retention.ms"), "log.retention.ms");
    }

    @Test
    void GetBrokerConfigResponse_one_setting_and_an_unknown_name_is_a_404() {
        JsonNode config = ok(broker.get(base() + "/brokers/1/configs/log.retention.ms"));
        assertBrokerConfig(config, "log.retention.ms");
        assertEquals("86400000", config.get("value").asText());
        var unknown = broker.get(base() + "/brokers/1/configs/no.such.setting");
        assertEquals(404, unknown.status());
        assertTrue(unknown.json().get("message").asText().contains("log.retention.ms"), "names the configs there are");
    }

    @Test
    void UpdateBrokerConfigRequest_sets_this_brokers_own_level_above_the_start_and_DELETE_takes_it_back() {
        assertEquals(204, broker.send("PUT", base() + "/brokers/1/configs/log.retention.ms", "{\"value\":\"3600000\"}")
                .status());
        JsonNode retention = ok(broker.get(base() + "/brokers/1/configs/log.retention.ms"));
        assertEquals("3600000", retention.get("value").asText());
        assertEquals("DYNAMIC_BROKER_CONFIG", retention.get("source").asText());
        assertEquals(List.of("3600000 DYNAMIC_BROKER_CONFIG", "86400000 STATIC_BROKER_CONFIG", "604800000 DEFAULT_CONFIG"),
                synonyms(retention));

        assertEquals(204, broker.send("DELETE", base() + "/brokers/1/configs/log.retention.ms", null).status());
        assertEquals("86400000", ok(broker.get(base() + "/brokers/1/configs/log.retention.ms")).get("value").asText(),
                "the value read at start again");
    }

    @Test
    void UpdateClusterConfigRequest_and_ListClusterConfigsResponse_the_cluster_wide_default() {
        assertEquals(0, ok(broker.get(base() + "/broker-configs")).get("data").size(), "none set yet");
        assertEquals(404, broker.get(base() + "/broker-configs/max.connections.per.ip").status());
        assertEquals(204, broker.send("PUT", base() + "/broker-configs/max.connections.per.ip", "{\"value\":\"50\"}")
                .status());

        JsonNode list = ok(broker.get(base() + "/broker-configs"));
        assertList(list, "KafkaClusterConfigList", base() + "/broker-configs");
        JsonNode config = ok(broker.get(base() + "/broker-configs/max.connections.per.ip"));
        assertEquals(list.get("data").get(0), config);
        assertMetadata(config, "KafkaClusterConfig", base() + "/broker-configs/max.connections.per.ip",
                "crn:///kafka=" + cluster() + "/broker-config=max.connections.per.ip");
        assertEquals("BROKER", config.get("config_type").asText());
        assertEquals("50", config.get("value").asText());
        assertEquals("DYNAMIC_DEFAULT_BROKER_CONFIG", config.get("source").asText());
        assertEquals("DYNAMIC_DEFAULT_BROKER_CONFIG", ok(broker.get(base() + "/brokers/1/configs/max.connections.per.ip"))
                .get("source").asText(), "the broker takes the default where its own level sets nothing");

        assertEquals(204, broker.send("DELETE", base() + "/broker-configs/max.connections.per.ip", null).status());
        assertEquals(0, ok(broker.get(base() + "/broker-configs")).get("data").size());
    }

    @Test
    void AlterBrokerConfigBatchRequest_changes_all_or_nothing_and_a_static_setting_is_refused_in_kafkas_words() {
        String batch = "{\"data\":[{\"name\":\"max.connections\",\"value\":\"500\"},"
                + "{\"name\":\"num.partitions\",\"value\":\"3\"}]}";
        for (String path : List.of("/brokers/1/configs:alter", "/broker-configs:alter")) {
            RunningBroker.Response refused = broker.post(base() + path, batch);
            assertEquals(400, refused.status(), refused.text());
            assertTrue(refused.json().get("message").asText().startsWith(
                    "Cannot update these configs dynamically: [num.partitions]"), refused.text());
        }
        var unknown = broker.send("PUT", base() + "/broker-configs/compression.type", "{\"value\":\"gzip\"}");
        assertEquals(400, unknown.status());
        assertTrue(unknown.json().get("message").asText().contains("no such setting"), unknown.text());
        assertEquals("1000", find(ok(broker.get(base() + "/brokers/1/configs")), "max.connections").get("value").asText(),
                "nothing of a refused batch is changed");

        assertEquals(204, broker.post(base() + "/brokers/1/configs:alter", "{\"data\":[{\"name\":\"max.connections\","
                + "\"value\":\"500\"},{\"name\":\"log.flush.interval.ms\",\"value\":\"1000\"}],"
                + "\"validate_only\":true}").status());
        assertEquals("1000", find(ok(broker.get(base() + "/brokers/1/configs")), "max.connections").get("value").asText(),
                "validate_only checks and changes nothing");
        assertEquals(204, broker.post(base() + "/brokers/1/configs:alter", "{\"data\":[{\"name\":\"max.connections\","
                + "\"value\":\"500\"}]}").status());
        assertEquals(500, broker.broker().config().maxConnections());
    }

    @Test
    void acls_are_refused_naming_the_missing_authorizer() {
        var acls = broker.get(base() + "/acls");
        assertEquals(400, acls.status());
        assertTrue(acls.json().get("message").asText().contains("authorizer"), acls.text());
    }
}
