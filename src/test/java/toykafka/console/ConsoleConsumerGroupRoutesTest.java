package toykafka.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.group.consumer.ConsumerGroupHeartbeat;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.common.Errors;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.KafkaConsumerProtocol;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * The console's group route for a group of Kafka 4's protocol (KIP-848), without a browser: the group's epoch, each
 * member's epoch, partitions and target, and, during a rolling upgrade, which members are still classic consumers.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsoleConsumerGroupRoutesTest {

    @StartedBroker(FrontEnd.CONSOLE)
    RunningBroker broker;

    @BeforeEach
    void start() {
        broker.broker().createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
    }

    @Test
    void a_group_of_kafka_4s_protocol_shows_its_type_its_epoch_and_each_members_epoch_partitions_and_target() {
        GroupCoordinator coordinator = broker.broker().groupCoordinator();
        ConsumerGroupHeartbeat.Response anna = coordinator.consumerGroupHeartbeat(joining("anna"));
        coordinator.consumerGroupHeartbeat(joining("ben")); // ben's half is still anna's: his target, not yet his

        JsonNode listed = broker.get("/console/api/groups").json().get("groups").get(0);
        assertEquals(List.of("line-cooks", "consumer", "Reconciling", "3"), List.of(listed.get("group_id").asText(),
                listed.get("type").asText(), listed.get("state").asText(), listed.get("generation").asText()));
        JsonNode group = broker.get("/console/api/groups/line-cooks").json();
        assertEquals("uniform", group.get("assignor").asText(), group.toString());
        JsonNode first = group.get("members").get(0);
        assertEquals(List.of("anna", String.valueOf(anna.memberEpoch()), "2", "1"), List.of(
                first.get("member_id").asText(), first.get("member_epoch").asText(),
                String.valueOf(first.get("partitions").size()), String.valueOf(first.get("target").size())),
                "anna still owns both partitions, on her way to one: " + group);
        JsonNode second = group.get("members").get(1);
        assertEquals(List.of(0, 1), List.of(second.get("partitions").size(), second.get("target").size()),
                "ben owns nothing yet, and is to own one: " + group);
    }

    private static ConsumerGroupHeartbeat.Request joining(String member) {
        return new ConsumerGroupHeartbeat.Request("line-cooks", member, ConsumerGroupHeartbeat.JOIN, null, null, 30_000,
                List.of("orders"), null, Map.of(), member, "/127.0.0.1");
    }

    @Test
    void a_classic_consumer_in_a_consumer_group_shows_as_not_upgraded_as_kafkas_tool_says_it() throws Exception {
        GroupCoordinator coordinator = broker.broker().groupCoordinator();
        coordinator.consumerGroupHeartbeat(joining("anna"));
        JoinGroupRequest.Protocol range = new JoinGroupRequest.Protocol("range",
                KafkaConsumerProtocol.subscription(List.of("orders")));
        JoinGroupResponse till = coordinator.joinGroup(new JoinGroupRequest("line-cooks", "till", "till", "/127.0.0.1",
                30_000, 30_000, "consumer", List.of(range), false)).get(5, TimeUnit.SECONDS);
        assertEquals(Errors.NONE, till.error(), "a classic consumer joins the busy consumer group");

        JsonNode group = broker.get("/console/api/groups/line-cooks").json();
        assertEquals("consumer", group.get("type").asText(), group.toString());
        JsonNode members = group.get("members");
        assertEquals(List.of("anna true", "till false"), List.of(
                members.get(0).get("member_id").asText() + " " + members.get(0).get("upgraded").asText(),
                members.get(1).get("member_id").asText() + " " + members.get(1).get("upgraded").asText()),
                "anna speaks the consumer protocol (upgraded), till is still classic: " + group);
    }

    @Test
    void a_classic_group_leaves_upgraded_out_as_kafkas_tool_does() throws Exception {
        JoinGroupResponse till = broker.broker().groupCoordinator().joinGroup(new JoinGroupRequest("kitchen", "", "till",
                "/127.0.0.1", 30_000, 30_000, "consumer", List.of(new JoinGroupRequest.Protocol("range",
                KafkaConsumerProtocol.subscription(List.of("orders")))), false)).get(5, TimeUnit.SECONDS);
        assertEquals(Errors.NONE, till.error());
        JsonNode group = broker.get("/console/api/groups/kitchen").json();
        assertEquals("classic", group.get("type").asText(), group.toString());
        assertTrue(group.get("members").get(0).get("upgraded").isNull(), "no such column for a classic group: " + group);
    }
}
