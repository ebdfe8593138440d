package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.testing.RunningBroker.TOPICS;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.classic.SyncGroupRequest;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;
import toykafka.testing.FrontEnd;
import toykafka.testing.KafkaConsumerProtocol;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * REST Proxy v3's consumer groups, one test per example of its OpenAPI reference (ListConsumerGroupsResponse,
 * GetConsumerGroupResponse, ListConsumersResponse, GetConsumerResponse, ListConsumerAssignmentsResponse,
 * GetConsumerAssignmentResponse, ListConsumerLagsResponse, GetConsumerLagResponse,
 * GetConsumerGroupLagSummaryResponse): status, content type and fields, over real HTTP, with the paths naming the
 * broker's real cluster id.
 *
 * <p>Three groups, made three ways: {@code kitchen} by a REST v2 consumer instance ({@code POST /consumers/kitchen}),
 * {@code auditors} by a member speaking Kafka's group protocol to the coordinator with the bytes a kafka-clients
 * consumer writes, from Kafka's generated {@code ConsumerProtocol*} message classes (the Kafka port does not
 * serve the group APIs yet; lesson 14 wires them to this same coordinator), and {@code reporting} by a commit from outside any generation (a "simple" group).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RestProxyV3ConsumerGroupConformanceTest implements V3Links {

    private static final String JSON = "application/json";

    @StartedBroker(FrontEnd.HTTP)
    RunningBroker broker;

    @Override
    public RunningBroker broker() {
        return broker;
    }

    String groups;
    String cookId;
    String auditorId;

    @BeforeEach
    void start() throws Exception {
        groups = base() + "/consumer-groups";
        assertEquals(201, broker.post(TOPICS, "{\"topic_name\":\"orders\",\"partitions_count\":3}").status());
        produce(0, 5);
        produce(1, 2);

        String cook = restInstance("kitchen", "cook");
        assertEquals(200, broker.post(cook + "/offsets",
                // REST Proxy v2 commits the offset after the last record processed: 1 and 2
                "{\"offsets\":[{\"topic\":\"orders\",\"partition\":0,\"offset\":0},"
                        + "{\"topic\":\"orders\",\"partition\":1,\"offset\":1}]}").status());
        cookId = broker.get(groups + "/kitchen/consumers").json().get("data").get(0).get("consumer_id").asText();

        auditorId = kafkaMember("auditors", "consumer-auditors-1",
                List.of(new TopicPartition("orders", 1), new TopicPartition("orders", 2)));

        GroupCoordinator coordinator = broker.broker().groupCoordinator();
        assertEquals(Errors.NONE, coordinator.commitOffsets(OffsetCommitRequest.standalone("reporting",
                Map.of(new TopicPartition("orders", 0), 3L))));
    }

    // ---- ListConsumerGroupsResponse, GetConsumerGroupResponse ----

    @Test
    void list_consumer_groups_example_lists_every_group_whoever_made_it() {
        var listed = broker.get(groups);
        assertOk(listed);
        JsonNode list = listed.json();
        assertEquals("KafkaConsumerGroupList", list.get("kind").asText());
        assertEquals(url(groups), list.get("metadata").get("self").asText());
        assertTrue(list.get("metadata").get("next").isNull(), "one page");
        List<String> ids = new ArrayList<>();
        list.get("data").forEach(group -> ids.add(group.get("consumer_group_id").asText()));
        assertEquals(List.of("auditors", "kitchen", "reporting"), ids, "REST, Kafka and simple groups alike");
        list.get("data").forEach(group -> assertEquals("KafkaConsumerGroup", group.get("kind").asText()));
    }

    @Test
    void get_consumer_group_example_gives_state_assignor_and_links() {
        var got = broker.get(groups + "/kitchen");
        assertOk(got);
        JsonNode group = got.json();
        assertEquals("KafkaConsumerGroup", group.get("kind").asText());
        assertEquals(url(groups + "/kitchen"), group.get("metadata").get("self").asText());
        assertEquals("crn:///kafka=" + cluster() + "/consumer-group=kitchen", group.get("metadata").get("resource_name").asText());
        assertEquals(cluster(), group.get("cluster_id").asText());
        assertEquals("kitchen", group.get("consumer_group_id").asText());
        assertFalse(group.get("is_simple").asBoolean());
        assertEquals("range", group.get("partition_assignor").asText(), "the protocol the group chose");
        assertEquals("STABLE", group.get("state").asText());
        assertEquals(url("/v3/clusters/" + cluster() + "/brokers/" + broker.broker().nodeId()),
                group.get("coordinator").get("related").asText());
        assertEquals(url(groups + "/kitchen/consumers"), group.get("consumers").get("related").asText());
        assertEquals(url(groups + "/kitchen/lag-summary"), group.get("lag_summary").get("related").asText());
        assertEquals(1, group.get("generation").asInt(), "the extension: one join, one generation");
    }

    @Test
    void get_consumer_group_example_for_a_group_made_over_kafkas_protocol() {
        JsonNode group = broker.get(groups + "/auditors").json();
        assertEquals("STABLE", group.get("state").asText());
        assertEquals("range", group.get("partition_assignor").asText());
        assertFalse(group.get("is_simple").asBoolean());
    }

    @Test
    void get_consumer_group_example_for_a_simple_group_that_only_commits() {
        JsonNode group = broker.get(groups + "/reporting").json();
        assertTrue(group.get("is_simple").asBoolean(), "no protocol type: Kafka's simple consumer group");
        assertEquals("EMPTY", group.get("state").asText());
        assertEquals("", group.get("partition_assignor").asText(), "no protocol chosen, as Kafka answers");
    }

    @Test
    void get_consumer_group_example_states_follow_kafkas_names_through_a_rebalance() throws Exception {
        GroupCoordinator coordinator = broker.broker().groupCoordinator();
        CompletableFuture<JoinGroupResponse> second = coordinator.joinGroup(join("auditors", "consumer-auditors-2"));
        assertEquals("PREPARING_REBALANCE", broker.get(groups + "/auditors").json().get("state").asText(),
                "a new member joined; the first has not joined again");
        JoinGroupResponse first = coordinator.joinGroup(new JoinGroupRequest("auditors", auditorId, "consumer-auditors-1",
                "/127.0.0.1", 30_000, 30_000, "consumer", List.of(rangeProtocol()), false)).get(10, TimeUnit.SECONDS);
        assertEquals(Errors.NONE, first.error());
        assertEquals(Errors.NONE, second.get(10, TimeUnit.SECONDS).error());
        assertEquals("COMPLETING_REBALANCE", broker.get(groups + "/auditors").json().get("state").asText(),
                "everyone joined; the leader has not sent the assignment");
        coordinator.leaveGroup("auditors", List.of(auditorId, second.get().memberId()));
        assertEquals("EMPTY", broker.get(groups + "/auditors").json().get("state").asText(),
                "no members, its committed offsets keep it");
    }

    @Test
    void get_consumer_group_of_an_unknown_group_is_404_and_creates_nothing() {
        var missing = broker.get(groups + "/nobody");
        assertEquals(404, missing.status(), missing.text());
        assertEquals(JSON, missing.header("Content-Type"));
        assertEquals(404, missing.json().get("error_code").asInt());
        assertTrue(missing.json().get("message").asText().contains("'nobody'"), missing.text());
        assertEquals(3, broker.get(groups).json().get("data").size(), "looking made no group");
        assertEquals(404, broker.get(groups + "/nobody/consumers").status());
        assertEquals(404, broker.get(groups + "/nobody/lags").status());
        assertEquals(404, broker.get(groups + "/nobody/lag-summary").status());
    }

    // ---- ListConsumersResponse, GetConsumerResponse ----

    @Test
    void list_consumers_example_names_each_member_with_its_client_id() {
        var listed = broker.get(groups + "/kitchen/consumers");
        assertOk(listed);
        JsonNode list = listed.json();
        assertEquals("KafkaConsumerList", list.get("kind").asText());
        assertEquals(url(groups + "/kitchen/consumers"), list.get("metadata").get("self").asText());
        assertEquals(1, list.get("data").size());
        JsonNode cook = list.get("data").get(0);
        assertEquals("KafkaConsumer", cook.get("kind").asText());
        assertEquals("cook", cook.get("client_id").asText(), "a REST instance joins with its name as client id");
        assertTrue(cook.get("consumer_id").asText().startsWith("cook-"), "the coordinator's member id");
        assertTrue(cook.get("instance_id").isNull(), "no static membership");

        JsonNode auditors = broker.get(groups + "/auditors/consumers").json().get("data");
        assertEquals(auditorId, auditors.get(0).get("consumer_id").asText());
        assertEquals("consumer-auditors-1", auditors.get(0).get("client_id").asText());
        assertEquals(0, broker.get(groups + "/reporting/consumers").json().get("data").size(), "a simple group has none");
    }

    @Test
    void get_consumer_example_links_its_assignments() {
        String self = groups + "/kitchen/consumers/" + cookId;
        var got = broker.get(self);
        assertOk(got);
        JsonNode consumer = got.json();
        assertEquals("KafkaConsumer", consumer.get("kind").asText());
        assertEquals(url(self), consumer.get("metadata").get("self").asText());
        assertEquals("crn:///kafka=" + cluster() + "/consumer-group=kitchen/consumer=" + cookId,
                consumer.get("metadata").get("resource_name").asText());
        assertEquals(cluster(), consumer.get("cluster_id").asText());
        assertEquals("kitchen", consumer.get("consumer_group_id").asText());
        assertEquals(cookId, consumer.get("consumer_id").asText());
        assertEquals("cook", consumer.get("client_id").asText());
        assertEquals(url(self + "/assignments"), consumer.get("assignments").get("related").asText());

        var unknown = broker.get(groups + "/kitchen/consumers/nobody");
        assertEquals(404, unknown.status(), unknown.text());
        assertTrue(unknown.json().get("message").asText().contains(cookId), "names the consumers there are");
    }

    // ---- ListConsumerAssignmentsResponse, GetConsumerAssignmentResponse ----

    @Test
    void list_consumer_assignments_example_gives_each_partition_in_order_with_links() {
        String path = groups + "/kitchen/consumers/" + cookId + "/assignments";
        var listed = broker.get(path);
        assertOk(listed);
        JsonNode list = listed.json();
        assertEquals("KafkaConsumerAssignmentList", list.get("kind").asText());
        assertEquals(url(path), list.get("metadata").get("self").asText());
        List<Integer> partitions = new ArrayList<>();
        list.get("data").forEach(assignment -> partitions.add(assignment.get("partition_id").asInt()));
        assertEquals(List.of(0, 1, 2), partitions, "the lone cook owns every partition");

        JsonNode auditor = broker.get(groups + "/auditors/consumers/" + auditorId + "/assignments").json().get("data");
        assertEquals(2, auditor.size(), "kafka-clients' assignment bytes, read");
        assertEquals(1, auditor.get(0).get("partition_id").asInt());
        assertEquals(2, auditor.get(1).get("partition_id").asInt());
    }

    @Test
    void get_consumer_assignment_example_links_the_partition_and_its_lag() {
        String self = groups + "/kitchen/consumers/" + cookId + "/assignments/orders/partitions/1";
        var got = broker.get(self);
        assertOk(got);
        JsonNode assignment = got.json();
        assertEquals("KafkaConsumerAssignment", assignment.get("kind").asText());
        assertEquals(url(self), assignment.get("metadata").get("self").asText());
        assertEquals("crn:///kafka=" + cluster() + "/consumer-group=kitchen/consumer=" + cookId
                + "/assignment=orders/partition=1", assignment.get("metadata").get("resource_name").asText());
        assertEquals(cluster(), assignment.get("cluster_id").asText());
        assertEquals("kitchen", assignment.get("consumer_group_id").asText());
        assertEquals(cookId, assignment.get("consumer_id").asText());
        assertEquals("orders", assignment.get("topic_name").asText());
        assertEquals(1, assignment.get("partition_id").asInt());
        assertEquals(url("/v3/clusters/" + cluster() + "/topics/orders/partitions/1"),
                assignment.get("partition").get("related").asText());
        assertEquals(url(groups + "/kitchen/lags/orders/partitions/1"), assignment.get("lag").get("related").asText());

        assertEquals(404, broker.get(groups + "/auditors/consumers/" + auditorId + "/assignments/orders/partitions/0")
                .status(), "orders-0 is not the auditor's");
    }

    // ---- ListConsumerLagsResponse, GetConsumerLagResponse ----

    @Test
    void list_consumer_lags_example_gives_each_committed_partition_largest_lag_first() {
        var listed = broker.get(groups + "/kitchen/lags");
        assertOk(listed);
        JsonNode list = listed.json();
        assertEquals("KafkaConsumerLagList", list.get("kind").asText());
        assertEquals(url(groups + "/kitchen/lags"), list.get("metadata").get("self").asText());
        JsonNode lags = list.get("data");
        assertEquals(2, lags.size(), "orders-2 has no commit, so no lag");
        JsonNode first = lags.get(0);
        assertEquals("KafkaConsumerLag", first.get("kind").asText());
        assertEquals(0, first.get("partition_id").asInt());
        assertEquals(1, first.get("current_offset").asLong(), "the committed offset");
        assertEquals(5, first.get("log_end_offset").asLong(), "the high watermark");
        assertEquals(4, first.get("lag").asLong());
        assertEquals(cookId, first.get("consumer_id").asText());
        assertEquals("cook", first.get("client_id").asText());
        assertTrue(first.get("instance_id").isNull());
        assertEquals(1, lags.get(1).get("partition_id").asInt());
        assertEquals(0, lags.get(1).get("lag").asLong(), "committed at its end");

        JsonNode simple = broker.get(groups + "/reporting/lags").json().get("data").get(0);
        assertEquals(2, simple.get("lag").asLong());
        assertEquals("", simple.get("consumer_id").asText(), "nobody owns it: REST Proxy's empty id");
        assertEquals("", simple.get("client_id").asText());
    }

    @Test
    void list_consumer_lags_of_a_group_with_no_commits_is_404() throws Exception {
        kafkaMember("idlers", "consumer-idlers-1", List.of(new TopicPartition("orders", 0)));
        assertEquals(200, broker.get(groups + "/idlers").status());
        var lags = broker.get(groups + "/idlers/lags");
        assertEquals(404, lags.status(), lags.text());
        assertTrue(lags.json().get("message").asText().contains("committed no offsets"), lags.text());
        assertEquals(404, broker.get(groups + "/idlers/lag-summary").status());
    }

    @Test
    void get_consumer_lag_example_gives_one_partitions_lag() {
        String self = groups + "/auditors/lags/orders/partitions/1";
        var got = broker.get(self);
        assertOk(got);
        JsonNode lag = got.json();
        assertEquals("KafkaConsumerLag", lag.get("kind").asText());
        assertEquals(url(self), lag.get("metadata").get("self").asText());
        assertEquals("crn:///kafka=" + cluster() + "/consumer-group=auditors/lag=orders/partition=1",
                lag.get("metadata").get("resource_name").asText());
        assertEquals(cluster(), lag.get("cluster_id").asText());
        assertEquals("auditors", lag.get("consumer_group_id").asText());
        assertEquals("orders", lag.get("topic_name").asText());
        assertEquals(1, lag.get("partition_id").asInt());
        assertEquals(auditorId, lag.get("consumer_id").asText());
        assertEquals("consumer-auditors-1", lag.get("client_id").asText());
        assertEquals(1, lag.get("current_offset").asLong());
        assertEquals(2, lag.get("log_end_offset").asLong());
        assertEquals(1, lag.get("lag").asLong());

        assertEquals(404, broker.get(groups + "/kitchen/lags/orders/partitions/2").status(), "no commit there");
        assertEquals(404, broker.get(groups + "/kitchen/lags/orders/partitions/x").status());
    }

    // ---- GetConsumerGroupLagSummaryResponse ----

    @Test
    void get_consumer_group_lag_summary_example_gives_the_largest_and_total_lag() {
        String self = groups + "/kitchen/lag-summary";
        var got = broker.get(self);
        assertOk(got);
        JsonNode summary = got.json();
        assertEquals("KafkaConsumerGroupLagSummary", summary.get("kind").asText());
        assertEquals(url(self), summary.get("metadata").get("self").asText());
        assertEquals("crn:///kafka=" + cluster() + "/consumer-group=kitchen/lag-summary",
                summary.get("metadata").get("resource_name").asText());
        assertEquals(cluster(), summary.get("cluster_id").asText());
        assertEquals("kitchen", summary.get("consumer_group_id").asText());
        assertEquals(cookId, summary.get("max_lag_consumer_id").asText());
        assertTrue(summary.get("max_lag_instance_id").isNull());
        assertEquals("cook", summary.get("max_lag_client_id").asText());
        assertEquals("orders", summary.get("max_lag_topic_name").asText());
        assertEquals(0, summary.get("max_lag_partition_id").asInt());
        assertEquals(4, summary.get("max_lag").asLong());
        assertEquals(4, summary.get("total_lag").asLong(), "4 on orders-0, 0 on orders-1");
        assertEquals(url(groups + "/kitchen/consumers/" + cookId), summary.get("max_lag_consumer").get("related").asText());
        assertEquals(url("/v3/clusters/" + cluster() + "/topics/orders/partitions/0"),
                summary.get("max_lag_partition").get("related").asText());

        JsonNode auditors = broker.get(groups + "/auditors/lag-summary").json();
        assertEquals(1, auditors.get("max_lag").asLong());
        assertEquals(1, auditors.get("total_lag").asLong(), "orders-1 lags 1, orders-2 is empty");
    }

    // ---- the groups' makers ----

    private void produce(int partition, int count) {
        for (int i = 0; i < count; i++) {
            var produced = broker.post(TOPICS + "/orders/records",
                    "{\"partition_id\":" + partition + ",\"value\":{\"type\":\"JSON\",\"data\":\"order " + i + "\"}}");
            assertEquals(200, produced.status(), produced.text());
        }
    }

    /** A REST v2 consumer instance subscribed to orders; returns its base path. */
    private String restInstance(String group, String name) {
        var created = broker.post("/consumers/" + group, "{\"name\":\"" + name + "\",\"format\":\"binary\"}");
        assertEquals(200, created.status(), created.text());
        String base = "/consumers/" + group + "/instances/" + created.json().get("instance_id").asText();
        assertEquals(204, broker.post(base + "/subscription", "{\"topics\":[\"orders\"]}").status());
        return base;
    }

    /**
     * A lone member joining with Kafka's JoinGroup and leading with SyncGroup, its subscription and assignment in
     * kafka-clients' own bytes, then committing orders-1 at 1 and orders-2 at 0; returns its member id.
     */
    private String kafkaMember(String group, String clientId, List<TopicPartition> partitions) throws Exception {
        GroupCoordinator coordinator = broker.broker().groupCoordinator();
        JoinGroupResponse joined = coordinator.joinGroup(join(group, clientId)).get(10, TimeUnit.SECONDS);
        assertEquals(Errors.NONE, joined.error());
        byte[] assignment = KafkaConsumerProtocol.assignment(partitions.stream()
                .map(partition -> new org.apache.kafka.common.TopicPartition(partition.topic(), partition.partition()))
                .toList());
        var synced = coordinator.syncGroup(new SyncGroupRequest(group, joined.generationId(), joined.memberId(),
                "consumer", "range", Map.of(joined.memberId(), assignment))).get(10, TimeUnit.SECONDS);
        assertEquals(Errors.NONE, synced.error());
        if (group.equals("auditors")) {
            TreeMap<TopicPartition, Long> offsets = new TreeMap<>(Map.of(new TopicPartition("orders", 1), 1L,
                    new TopicPartition("orders", 2), 0L));
            assertEquals(Errors.NONE, coordinator.commitOffsets(new OffsetCommitRequest(group, joined.generationId(),
                    joined.memberId(), offsets)));
        }
        return joined.memberId();
    }

    private static JoinGroupRequest join(String group, String clientId) {
        return new JoinGroupRequest(group, "", clientId, "/127.0.0.1", 30_000, 30_000, "consumer",
                List.of(rangeProtocol()), false);
    }

    private static JoinGroupRequest.Protocol rangeProtocol() {
        return new JoinGroupRequest.Protocol("range", KafkaConsumerProtocol.subscription(List.of("orders")));
    }

    // ---- checks ----

    private void assertOk(RunningBroker.Response response) {
        assertEquals(200, response.status(), response.text());
        assertEquals(JSON, response.header("Content-Type"), "v3 answers application/json");
    }
}
