package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.Subtopology;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.TopicInfo;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.StreamsGroupHeartbeatResponse;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.security.AccessControlEntry;
import toykafka.broker.security.AclBinding;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.AclPermissionType;
import toykafka.broker.security.PatternType;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.common.UnknownTopicOrPartitionException;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/**
 * A streams group's internal topics are made only for a principal who may CREATE them all, as Kafka's
 * {@code handleStreamsGroupHeartbeat} asks (CREATE on the cluster, else on each topic): while one is refused none is
 * made and the MISSING_INTERNAL_TOPICS status names the refused, so a Kafka Streams app whose user lacks CREATE
 * waits without tasks on the streams protocol, as on Kafka.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamsInternalTopicsAuthorizationTest {

    @StartedBroker(value = FrontEnd.KAFKA, settings = {
        @Setting(name = "authorizer.class.name", value = KafkaAclsTest.STANDARD_AUTHORIZER)})
    RunningBroker broker;

    private void allow(ResourceType type, String name, AclOperation... operations) {
        List<AclBinding> bindings = new ArrayList<>();
        for (AclOperation operation : operations) {
            bindings.add(new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                    new AccessControlEntry("User:ANONYMOUS", "*", operation, AclPermissionType.ALLOW)));
        }
        broker.broker().access().authorizer().orElseThrow().createAcls(bindings)
                .forEach(result -> assertNull(result.exception()));
    }

    @Test
    void while_one_internal_topic_may_not_be_created_none_is_made_and_the_status_names_it() {
        broker.broker().createTopic("lines", 1, Map.of(), OnDuplicate.FAIL);
        broker.broker().groupConfigs().alter("wc", Map.of("streams.initial.rebalance.delay.ms", "0"), Set.of(),
                false, false);
        allow(ResourceType.GROUP, "wc", AclOperation.READ);
        allow(ResourceType.TOPIC, "lines", AclOperation.DESCRIBE);
        allow(ResourceType.TOPIC, "wc-changelog", AclOperation.DESCRIBE);
        allow(ResourceType.TOPIC, "wc-other-changelog", AclOperation.DESCRIBE, AclOperation.CREATE);
        String member = Uuid.randomUuid().toString();
        StreamsGroupHeartbeatRequestData join = new StreamsGroupHeartbeatRequestData().setGroupId("wc")
                .setMemberId(member).setMemberEpoch(0).setRebalanceTimeoutMs(30_000).setProcessId("process")
                .setActiveTasks(List.of()).setStandbyTasks(List.of()).setWarmupTasks(List.of())
                .setClientTags(List.of())
                .setTopology(new StreamsGroupHeartbeatRequestData.Topology().setEpoch(0).setSubtopologies(List.of(
                        new Subtopology().setSubtopologyId("0").setSourceTopics(List.of("lines"))
                                .setStateChangelogTopics(List.of(new TopicInfo().setName("wc-changelog"),
                                        new TopicInfo().setName("wc-other-changelog"))))));
        try (KafkaWire wire = new KafkaWire(broker)) {
            StreamsGroupHeartbeatResponseData joined = wire.send(join, 1);
            assertEquals(Errors.NONE.code(), joined.errorCode());
            assertEquals(1, joined.status().size());
            assertEquals(StreamsGroupHeartbeatResponse.Status.MISSING_INTERNAL_TOPICS.code(),
                    joined.status().get(0).statusCode());
            assertEquals("Internal topics are missing: wc-changelog, wc-other-changelog; Unauthorized to CREATE on"
                    + " topics wc-changelog.", joined.status().get(0).statusDetail());
            assertEquals(List.of(), joined.activeTasks());
            assertThrows(UnknownTopicOrPartitionException.class, () -> broker.broker().partitionCount("wc-changelog"));
            // Kafka makes none while one is refused, not even the one the principal may create
            assertThrows(UnknownTopicOrPartitionException.class,
                    () -> broker.broker().partitionCount("wc-other-changelog"));

            allow(ResourceType.CLUSTER, "kafka-cluster", AclOperation.CREATE);
            wire.send(new StreamsGroupHeartbeatRequestData().setGroupId("wc").setMemberId(member)
                    .setMemberEpoch(joined.memberEpoch()), 1);
            assertEquals(1, broker.broker().partitionCount("wc-changelog"), "CREATE on the cluster covers them all");
            assertEquals(1, broker.broker().partitionCount("wc-other-changelog"));
        }
    }
}
