package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.message.StreamsGroupDescribeRequestData;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.Subtopology;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.Topology;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;
import org.apache.kafka.common.message.StreamsGroupTopologyDescriptionUpdateRequestData;
import org.apache.kafka.common.message.StreamsGroupTopologyDescriptionUpdateRequestData.TopologyDescription;
import org.apache.kafka.common.message.StreamsGroupTopologyDescriptionUpdateRequestData.TopologyDescriptionGlobalStore;
import org.apache.kafka.common.message.StreamsGroupTopologyDescriptionUpdateRequestData.TopologyDescriptionNode;
import org.apache.kafka.common.message.StreamsGroupTopologyDescriptionUpdateRequestData.TopologyDescriptionSubtopology;
import org.apache.kafka.common.message.StreamsGroupTopologyDescriptionUpdateResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.StreamsGroupTopologyDescriptionUpdateResponse;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * StreamsGroupTopologyDescriptionUpdate (key 93) framed by Kafka's own request class and read by its response class:
 * answered as Kafka 4.4 answers it with no {@code group.streams.topology.description.plugin.class} (its default), for
 * a member of the group and a stranger alike; the heartbeat never asks for a description, and describe has none.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class Api93StreamsGroupTopologyDescriptionUpdateTest {

    @StartedBroker(FrontEnd.KAFKA)
    static RunningBroker broker;

    /** A word count's description as Kafka Streams pushes it: source, processor with a store, sink; a global store. */
    private static StreamsGroupTopologyDescriptionUpdateRequestData push(String group, String member) {
        TopologyDescriptionNode source = new TopologyDescriptionNode().setName("KSTREAM-SOURCE-0000000000")
                .setNodeType((byte) 1).setSourceTopics(List.of("lines")).setStores(List.of())
                .setSuccessors(List.of("KSTREAM-AGGREGATE-0000000001"));
        TopologyDescriptionNode count = new TopologyDescriptionNode().setName("KSTREAM-AGGREGATE-0000000001")
                .setNodeType((byte) 2).setSourceTopics(List.of()).setStores(List.of("counts"))
                .setSuccessors(List.of("KSTREAM-SINK-0000000002"));
        TopologyDescriptionNode sink = new TopologyDescriptionNode().setName("KSTREAM-SINK-0000000002")
                .setNodeType((byte) 3).setSourceTopics(List.of()).setSinkTopic("counts-out").setStores(List.of())
                .setSuccessors(List.of());
        TopologyDescriptionGlobalStore prices = new TopologyDescriptionGlobalStore()
                .setSource(new TopologyDescriptionNode().setName("KSTREAM-SOURCE-0000000003").setNodeType((byte) 1)
                        .setSourceTopics(List.of("prices")).setStores(List.of())
                        .setSuccessors(List.of("KTABLE-SOURCE-0000000004")))
                .setProcessor(new TopologyDescriptionNode().setName("KTABLE-SOURCE-0000000004").setNodeType((byte) 2)
                        .setSourceTopics(List.of()).setStores(List.of("prices-store")).setSuccessors(List.of()));
        return new StreamsGroupTopologyDescriptionUpdateRequestData().setGroupId(group).setMemberId(member)
                .setTopologyEpoch(0).setTopologyDescription(new TopologyDescription()
                        .setSubtopologies(List.of(new TopologyDescriptionSubtopology().setSubtopologyId("0")
                                .setNodes(List.of(source, count, sink))))
                        .setGlobalStores(List.of(prices)));
    }

    private static StreamsGroupTopologyDescriptionUpdateResponse answer(KafkaWire wire,
                                                                        StreamsGroupTopologyDescriptionUpdateRequestData request) {
        StreamsGroupTopologyDescriptionUpdateResponseData data = wire.send(request, 0);
        return new StreamsGroupTopologyDescriptionUpdateResponse(data);
    }

    @Test
    void a_push_is_answered_unsupported_version_with_kafkas_message_for_a_member_and_a_stranger_alike() {
        broker.broker().createTopic("lines", 1, Map.of(), OnDuplicate.FAIL);
        broker.broker().groupConfigs().alter("counter", Map.of("streams.initial.rebalance.delay.ms", "0"), Set.of(),
                false, false);
        try (KafkaWire wire = new KafkaWire(broker)) {
            StreamsGroupHeartbeatResponseData joined = wire.send(new StreamsGroupHeartbeatRequestData()
                    .setGroupId("counter").setMemberId("m-1").setMemberEpoch(0).setRebalanceTimeoutMs(30_000)
                    .setTopology(new Topology().setEpoch(0).setSubtopologies(List.of(new Subtopology()
                            .setSubtopologyId("0").setSourceTopics(List.of("lines")))))
                    .setProcessId("process-m-1").setActiveTasks(List.of()).setStandbyTasks(List.of())
                    .setWarmupTasks(List.of()).setClientTags(List.of()), 1);
            assertEquals(Errors.NONE.code(), joined.errorCode(), String.valueOf(joined.errorMessage()));
            assertFalse(joined.topologyDescriptionRequired(), "no description is asked for: none would be kept");

            for (String member : List.of("m-1", "stranger", "")) {
                StreamsGroupTopologyDescriptionUpdateResponse answer = answer(wire, push("counter", member));
                assertEquals(Map.of(Errors.UNSUPPORTED_VERSION, 1), answer.errorCounts(), member);
                assertEquals("The broker has no streams group topology description plugin configured.",
                        answer.data().errorMessage(), "Kafka 4.4's words, whoever asks: it looks for the plugin first");
                assertEquals(0, answer.throttleTimeMs());
            }

            StreamsGroupDescribeResponseData described = wire.send(new StreamsGroupDescribeRequestData()
                    .setGroupIds(List.of("counter")).setIncludeTopologyDescription(true), 1);
            StreamsGroupDescribeResponseData.DescribedGroup counter = described.groups().get(0);
            assertEquals(1, counter.topologyDescriptionStatus(), "NOT_STORED, as Kafka answers without the plugin");
            assertEquals(null, counter.topologyDescription());
        }
    }
}
