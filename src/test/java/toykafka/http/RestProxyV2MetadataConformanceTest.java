package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.testing.RunningBroker.TOPICS;
import static toykafka.http.V2Requests.DOCS_ACCEPT;
import static toykafka.http.V2Requests.V2;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Broker;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * REST Proxy v2's metadata, {@code GET /topics}, {@code /topics/(topic_name)}, {@code .../partitions},
 * {@code .../partitions/(partition_id)}, {@code .../partitions/(partition_id)/offsets} and {@code /brokers}, one
 * test per example of its API reference (request as documented; the reply's status, content type and fields as
 * documented), and the refusals it names: an unknown topic 404 with 40401, an unknown partition 404 with 40402.
 * One broker leads every partition and is its only replica, in sync.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RestProxyV2MetadataConformanceTest {

    @StartedBroker(FrontEnd.HTTP)
    RunningBroker broker;

    int nodeId;

    @BeforeEach
    void start() {
        nodeId = broker.broker().nodeId();
        assertEquals(201, broker.post(TOPICS, "{\"topic_name\":\"test\",\"partitions_count\":3,"
                + "\"configs\":[{\"name\":\"cleanup.policy\",\"value\":\"compact\"}]}").status());
        assertEquals(201, broker.post(TOPICS, "{\"topic_name\":\"topic2\",\"partitions_count\":1}").status());
    }

    // ---- the reference's examples ----

    @Test
    void topics_example_lists_the_topic_names() {
        var reply = V2Requests.get(broker, "/topics", V2);

        assertOk(reply);
        assertTrue(reply.json().isArray(), reply.text());
        List<String> names = new ArrayList<>();
        reply.json().forEach(name -> names.add(name.asText()));
        assertTrue(names.containsAll(List.of("test", "topic2")), reply.text());
        assertFalse(names.contains(Broker.OFFSETS_TOPIC), "internal topics are left out, as Kafka's listTopics leaves them");
    }

    @Test
    void topic_example_gives_name_configs_and_partitions_with_leader_and_replicas() {
        var reply = V2Requests.get(broker, "/topics/test", V2);

        assertOk(reply);
        assertEquals("test", reply.json().get("name").asText());
        assertEquals("compact", reply.json().get("configs").get("cleanup.policy").asText(), reply.text());
        assertEquals(1, reply.json().get("configs").size(), "configs holds the topic's own overrides");
        JsonNode partitions = reply.json().get("partitions");
        assertEquals(3, partitions.size());
        for (int p = 0; p < 3; p++) {
            assertEquals(p, partitions.get(p).get("partition").asInt());
            assertPartition(partitions.get(p));
        }
    }

    @Test
    void partitions_example_lists_each_partition_with_leader_and_replicas() {
        var reply = V2Requests.get(broker, "/topics/test/partitions", DOCS_ACCEPT);

        assertOk(reply);
        assertTrue(reply.json().isArray());
        assertEquals(3, reply.json().size());
        reply.json().forEach(this::assertPartition);
    }

    @Test
    void partition_example_describes_one_partition() {
        var reply = V2Requests.get(broker, "/topics/test/partitions/1", DOCS_ACCEPT);

        assertOk(reply);
        assertEquals(1, reply.json().get("partition").asInt());
        assertPartition(reply.json());
    }

    @Test
    void brokers_example_lists_the_broker_ids() {
        var reply = V2Requests.get(broker, "/brokers", DOCS_ACCEPT);

        assertOk(reply);
        assertEquals(1, reply.json().get("brokers").size());
        assertEquals(nodeId, reply.json().get("brokers").get(0).asInt());
    }

    @Test
    void partition_offsets_give_the_beginning_and_end_offsets() {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, broker.post(TOPICS + "/topic2/records", "{\"value\":\"v" + i + "\"}").status());
        }
        assertEquals(200, broker.post(TOPICS + "/topic2/partitions/0/records:delete", "{\"before_offset\":1}").status());

        var reply = V2Requests.get(broker, "/topics/topic2/partitions/0/offsets", DOCS_ACCEPT);

        assertOk(reply);
        assertEquals(1, reply.json().get("beginning_offset").asLong(), reply.text());
        assertEquals(3, reply.json().get("end_offset").asLong(), reply.text());
    }

    // ---- the refusals the reference names ----

    @Test
    void an_unknown_topic_is_404_with_40401_on_every_metadata_route() {
        for (String path : new String[] {"/topics/nowhere", "/topics/nowhere/partitions", "/topics/nowhere/partitions/0",
                "/topics/nowhere/partitions/0/offsets"}) {
            var reply = V2Requests.get(broker, path, DOCS_ACCEPT);
            assertRefused(reply, 404, 40401, "nowhere");
        }
        assertFalse(broker.broker().listTopics().contains("nowhere"), "a look is not a write: nothing is created");
    }

    @Test
    void an_unknown_partition_is_404_with_40402() {
        for (String partition : new String[] {"3", "-1", "first"}) {
            assertRefused(V2Requests.get(broker, "/topics/test/partitions/" + partition, DOCS_ACCEPT), 404, 40402, partition);
            assertRefused(V2Requests.get(broker, "/topics/test/partitions/" + partition + "/offsets", DOCS_ACCEPT), 404,
                    40402, "0 to 2");
        }
    }

    @Test
    void an_accept_header_that_takes_no_v2_type_is_406() {
        var reply = V2Requests.get(broker, "/topics", "text/html");

        assertEquals(406, reply.status(), reply.text());
        assertEquals("application/json", reply.header("Content-Type"));
        assertTrue(reply.json().get("message").asText().contains(V2), reply.text());
    }

    @Test
    void plain_json_is_answered_when_that_is_all_the_client_accepts() {
        var reply = V2Requests.get(broker, "/brokers", "application/json");

        assertEquals(200, reply.status());
        assertEquals("application/json", reply.header("Content-Type"));
    }

    @Test
    void the_partition_read_of_the_broker_stays_beside_the_v2_routes() {
        assertEquals(200, broker.post(TOPICS + "/topic2/records", "{\"value\":\"still here\"}").status());

        var read = broker.get("/topics/topic2/partitions/0/records?offset=earliest&timeout=0");

        assertEquals(200, read.status(), read.text());
        assertEquals("still here", read.json().get(0).get("value").asText());
    }

    // ---- helpers ----

    private static void assertOk(RunningBroker.Response reply) {
        assertEquals(200, reply.status(), reply.text());
        assertEquals(V2, reply.header("Content-Type"));
    }

    /** Led by this broker, its only replica, which leads and is in sync. */
    private void assertPartition(JsonNode partition) {
        assertEquals(nodeId, partition.get("leader").asInt(), partition.toString());
        JsonNode replicas = partition.get("replicas");
        assertEquals(1, replicas.size(), partition.toString());
        assertEquals(nodeId, replicas.get(0).get("broker").asInt());
        assertTrue(replicas.get(0).get("leader").asBoolean());
        assertTrue(replicas.get(0).get("in_sync").asBoolean());
    }

    private static void assertRefused(RunningBroker.Response reply, int status, int errorCode, String mentioned) {
        assertEquals(status, reply.status(), reply.text());
        assertEquals(V2, reply.header("Content-Type"), reply.text());
        assertEquals(errorCode, reply.json().get("error_code").asInt(), reply.text());
        assertTrue(reply.json().get("message").asText().contains(mentioned), reply.text());
    }
}
