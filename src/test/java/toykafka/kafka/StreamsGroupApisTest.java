package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.StreamsGroupDescribeRequestData;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.Subtopology;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.TopicInfo;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.Topology;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.StreamsGroupHeartbeatResponse;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Kafka Streams' group APIs (KIP-1071), written and read by Kafka's own message classes, which also check our bytes:
 * StreamsGroupHeartbeat from a join with a topology through the internal topics the broker makes to a leave, and
 * StreamsGroupDescribe. One broker; a group a test, each without the initial rebalance delay unless it tests it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamsGroupApisTest {

    @StartedBroker(FrontEnd.KAFKA)
    static RunningBroker broker;

    /** A word count's topology: subtopology 0 reads {@code input} and writes the repartition topic 1 reads. */
    private static Topology wordCount(String app, String input) {
        Subtopology reader = new Subtopology().setSubtopologyId("0").setSourceTopics(List.of(input))
                .setRepartitionSinkTopics(List.of(app + "-repartition"));
        Subtopology counter = new Subtopology().setSubtopologyId("1").setSourceTopics(List.of())
                .setRepartitionSourceTopics(List.of(new TopicInfo().setName(app + "-repartition")))
                .setStateChangelogTopics(List.of(new TopicInfo().setName(app + "-changelog")
                        .setTopicConfigs(List.of(new StreamsGroupHeartbeatRequestData.KeyValue()
                                .setKey("cleanup.policy").setValue("compact")))));
        return new Topology().setEpoch(0).setSubtopologies(List.of(reader, counter));
    }

    private static StreamsGroupHeartbeatRequestData join(String group, String member, Topology topology) {
        return new StreamsGroupHeartbeatRequestData().setGroupId(group).setMemberId(member).setMemberEpoch(0)
                .setRebalanceTimeoutMs(30_000).setTopology(topology).setProcessId("process-" + member)
                .setActiveTasks(List.of()).setStandbyTasks(List.of()).setWarmupTasks(List.of())
                .setClientTags(List.of());
    }

    private static StreamsGroupHeartbeatRequestData beat(String group, String member, int epoch) {
        return new StreamsGroupHeartbeatRequestData().setGroupId(group).setMemberId(member).setMemberEpoch(epoch);
    }

    private static void noDelay(String group) {
        broker.broker().groupConfigs().alter(group, Map.of("streams.initial.rebalance.delay.ms", "0"), Set.of(),
                false, false);
    }

    private static List<Byte> codes(StreamsGroupHeartbeatResponseData response) {
        return response.status().stream().map(StreamsGroupHeartbeatResponseData.Status::statusCode).toList();
    }

    @Test
    void a_member_waits_for_the_internal_topics_the_broker_makes_then_runs_every_task_then_leaves() {
        broker.broker().createTopic("lines", 3, Map.of(), OnDuplicate.FAIL);
        noDelay("wc");
        try (KafkaWire wire = new KafkaWire(broker)) {
            StreamsGroupHeartbeatResponseData joined = wire.send(join("wc", "m-1", wordCount("wc", "lines")), 1);
            assertEquals(Errors.NONE.code(), joined.errorCode(), String.valueOf(joined.errorMessage()));
            assertEquals(2, joined.memberEpoch());
            assertEquals(List.of(StreamsGroupHeartbeatResponse.Status.MISSING_INTERNAL_TOPICS.code()), codes(joined));
            assertEquals("Internal topics are missing: wc-changelog, wc-repartition",
                    joined.status().get(0).statusDetail());
            assertEquals(List.of(), joined.activeTasks(), "no tasks until the topics are there");
            assertFalse(joined.topologyDescriptionRequired());
            assertEquals(10_000, joined.acceptableRecoveryLag(), "streams.acceptable.recovery.lag, from v1");
            assertEquals(3, broker.broker().describeTopic("wc-repartition").partitions().size(),
                    "the repartition topic takes its writer's largest input");
            assertEquals(3, broker.broker().describeTopic("wc-changelog").partitions().size(),
                    "a changelog has a partition per task");

            StreamsGroupHeartbeatResponseData ready = wire.send(beat("wc", "m-1", 2).setActiveTasks(List.of())
                    .setStandbyTasks(List.of()).setWarmupTasks(List.of()), 1);
            assertEquals(3, ready.memberEpoch(), "the topics' arrival moved the group epoch on");
            assertEquals(List.of(), codes(ready));
            assertEquals(2, ready.activeTasks().size());
            assertEquals("0", ready.activeTasks().get(0).subtopologyId());
            assertEquals(List.of(0, 1, 2), ready.activeTasks().get(0).partitions());
            assertEquals(List.of(0, 1, 2), ready.activeTasks().get(1).partitions());

            StreamsGroupHeartbeatResponseData same = wire.send(beat("wc", "m-1", 3), 1);
            assertNull(same.activeTasks(), "nothing changed, so no tasks are sent");

            StreamsGroupDescribeResponseData described = wire.send(new StreamsGroupDescribeRequestData()
                    .setGroupIds(List.of("wc", "nobody")).setIncludeTopologyDescription(true), 1);
            StreamsGroupDescribeResponseData.DescribedGroup wc = described.groups().get(0);
            assertEquals("Stable", wc.groupState());
            assertEquals("sticky", wc.assignorName());
            assertEquals(1, wc.topologyDescriptionStatus(), "NOT_STORED: no descriptions are kept");
            assertEquals(3, wc.topology().subtopologies().get(1).stateChangelogTopics().get(0).partitions());
            assertEquals("process-m-1", wc.members().get(0).processId());
            assertEquals(List.of(0, 1, 2), wc.members().get(0).assignment().activeTasks().get(1).partitions());
            assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), described.groups().get(1).errorCode());
            assertEquals("Group nobody not found.", described.groups().get(1).errorMessage());

            ListGroupsResponseData listed = wire.send(new ListGroupsRequestData()
                    .setTypesFilter(List.of("streams")), 5);
            ListGroupsResponseData.ListedGroup listedWc = listed.groups().stream()
                    .filter(group -> group.groupId().equals("wc")).findFirst().orElseThrow();
            assertEquals("streams", listedWc.groupType());
            assertEquals("streams", listedWc.protocolType());
            assertEquals("Stable", listedWc.groupState());

            DescribeGroupsResponseData classic = wire.send(new DescribeGroupsRequestData().setGroups(List.of("wc")), 6);
            assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), classic.groups().get(0).errorCode());
            assertEquals("Group wc is not a classic group.", classic.groups().get(0).errorMessage());

            StreamsGroupHeartbeatResponseData left = wire.send(beat("wc", "m-1", -1), 1);
            assertEquals(Errors.NONE.code(), left.errorCode());
            assertEquals(-1, left.memberEpoch());
            assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), wire.<StreamsGroupHeartbeatResponseData>send(
                    beat("wc", "m-1", 3), 1).errorCode());
        }
    }

    @Test
    void a_missing_source_topic_and_a_stale_topology_are_statuses_and_a_regex_is_refused() {
        noDelay("orphans");
        try (KafkaWire wire = new KafkaWire(broker)) {
            Topology topology = wordCount("orphans", "no-such-topic");
            StreamsGroupHeartbeatResponseData joined = wire.send(join("orphans", "m-1", topology.setEpoch(2)), 0);
            assertEquals(List.of(StreamsGroupHeartbeatResponse.Status.MISSING_SOURCE_TOPICS.code()), codes(joined));
            assertEquals("Source topics no-such-topic are missing.", joined.status().get(0).statusDetail());
            assertEquals(0, joined.acceptableRecoveryLagLegacy(), "v0's field is left at its default, as Kafka 4.4 does");

            StreamsGroupHeartbeatResponseData stale = wire.send(join("orphans", "m-2",
                    wordCount("orphans", "no-such-topic").setEpoch(1)), 0);
            assertTrue(codes(stale).contains(StreamsGroupHeartbeatResponse.Status.STALE_TOPOLOGY.code()));

            Topology regex = wordCount("regexes", "x");
            regex.subtopologies().get(0).setSourceTopicRegex(List.of("x.*"));
            StreamsGroupHeartbeatResponseData refused = wire.send(join("regexes", "m-1", regex), 0);
            assertEquals(Errors.INVALID_REQUEST.code(), refused.errorCode());
            assertEquals("Regular expressions for source topics are not supported yet.", refused.errorMessage());
        }
    }

    @Test
    void the_first_member_waits_out_the_initial_rebalance_delay() {
        broker.broker().createTopic("slow-lines", 1, Map.of(), OnDuplicate.FAIL);
        broker.broker().groupConfigs().alter("slow", Map.of("streams.initial.rebalance.delay.ms", "60000"), Set.of(),
                false, false);
        try (KafkaWire wire = new KafkaWire(broker)) {
            StreamsGroupHeartbeatResponseData joined = wire.send(join("slow", "m-1", wordCount("slow",
                    "slow-lines")), 1);
            assertTrue(codes(joined).contains(StreamsGroupHeartbeatResponse.Status.ASSIGNMENT_DELAYED.code()),
                    joined.toString());
            assertEquals("Assignment delayed due to the configured initial rebalance delay.",
                    joined.status().get(0).statusDetail());
            assertEquals(1, joined.memberEpoch(), "the member has the targets' epoch, a new group's 1, which a Streams"
                    + " client needs to heartbeat on: Kafka 4.4 answers the same while the group epoch is 2");
            assertNotNull(joined.activeTasks());
            assertTrue(joined.activeTasks().isEmpty(), "no tasks until the delay ends");
            StreamsGroupHeartbeatResponseData again = wire.send(beat("slow", "m-1", 1), 1);
            assertEquals(Errors.NONE.code(), again.errorCode(), again.toString());
            assertTrue(codes(again).contains(StreamsGroupHeartbeatResponse.Status.ASSIGNMENT_DELAYED.code()));
        }
    }
}
