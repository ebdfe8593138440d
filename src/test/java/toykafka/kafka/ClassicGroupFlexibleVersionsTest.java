package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * What the classic group APIs' flexible versions add, sent and read by Kafka's own message classes: JoinGroup
 * v7's protocol type, SyncGroup v5's protocol type and name checked against the group's, and DeleteGroups v3's
 * error message. GroupApisTest takes a member through every version of the dance.
 */
class ClassicGroupFlexibleVersionsTest {

    @StartedBroker(FrontEnd.KAFKA)
    static RunningBroker broker;

    private static JoinGroupRequestData join(String group, String memberId) {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol().setName("range").setMetadata(new byte[] {1}));
        return new JoinGroupRequestData().setGroupId(group).setMemberId(memberId).setSessionTimeoutMs(10_000)
                .setRebalanceTimeoutMs(10_000).setProtocolType("consumer").setProtocols(protocols)
                .setReason("rebalance needed");
    }

    @ParameterizedTest(name = "JoinGroup v{0}")
    @ValueSource(ints = {6, 7, 8, 9})
    void a_refused_join_names_no_protocol_type_and_an_empty_protocol_name_as_kafka_leaves_them(int version) {
        try (KafkaWire wire = new KafkaWire(broker)) {
            JoinGroupResponseData first = wire.send(join("refused-v" + version, ""), version);
            assertEquals(Errors.MEMBER_ID_REQUIRED.code(), first.errorCode());
            assertNull(first.protocolType());
            assertEquals("", first.protocolName());
            assertEquals(-1, first.generationId());
            assertFalse(first.skipAssignment());
        }
    }

    @Test
    void sync_group_v5_refuses_a_protocol_type_or_name_that_is_not_the_groups_and_names_the_groups_two() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            String memberId = wire.<JoinGroupResponseData>send(join("checked", ""), 8).memberId();
            JoinGroupResponseData joined = wire.send(join("checked", memberId), 8);
            assertEquals(Errors.NONE.code(), joined.errorCode());

            for (SyncGroupRequestData wrong : List.of(sync(joined).setProtocolType("connect"),
                    sync(joined).setProtocolName("roundrobin"))) {
                SyncGroupResponseData refused = wire.send(wrong, 5);
                assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL.code(), refused.errorCode(), wrong.toString());
            }
            SyncGroupResponseData synced = wire.send(sync(joined).setProtocolType("consumer").setProtocolName("range"), 5);
            assertEquals(Errors.NONE.code(), synced.errorCode());
            assertEquals("consumer", synced.protocolType());
            assertEquals("range", synced.protocolName());

            LeaveGroupResponseData left = wire.send(new LeaveGroupRequestData().setGroupId("checked").setMembers(List.of(
                    new LeaveGroupRequestData.MemberIdentity().setMemberId(memberId).setReason("shutting down"),
                    new LeaveGroupRequestData.MemberIdentity().setMemberId("stranger").setReason(null))), 5);
            assertEquals(List.of(Errors.NONE.code(), Errors.UNKNOWN_MEMBER_ID.code()), left.members().stream()
                    .map(LeaveGroupResponseData.MemberResponse::errorCode).toList());
        }
    }

    private static SyncGroupRequestData sync(JoinGroupResponseData joined) {
        SyncGroupRequestData request = new SyncGroupRequestData().setGroupId("checked")
                .setGenerationId(joined.generationId()).setMemberId(joined.memberId());
        request.assignments().add(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(joined.memberId())
                .setAssignment(new byte[] {2}));
        return request;
    }

    @ParameterizedTest(name = "DeleteGroups v{0}")
    @ValueSource(ints = {2, 3})
    void delete_groups_answers_each_group_with_no_error_message(int version) {
        String group = "deletable-v" + version;
        try (KafkaWire wire = new KafkaWire(broker)) {
            String memberId = wire.<JoinGroupResponseData>send(join(group, ""), 8).memberId();
            wire.<JoinGroupResponseData>send(join(group, memberId), 8);
            DeleteGroupsRequestData request = new DeleteGroupsRequestData().setGroupsNames(List.of(group, "never-was"));
            DeleteGroupsResponseData busy = wire.send(request, version);
            assertEquals(Errors.NON_EMPTY_GROUP.code(), busy.results().find(group).errorCode());
            assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), busy.results().find("never-was").errorCode());
            assertNull(busy.results().find("never-was").errorMessage(), "Kafka's coordinator sets no message");

            wire.<LeaveGroupResponseData>send(new LeaveGroupRequestData().setGroupId(group).setMembers(List.of(
                    new LeaveGroupRequestData.MemberIdentity().setMemberId(memberId))), 5);
            DeleteGroupsResponseData gone = wire.send(request, version);
            assertEquals(Errors.NONE.code(), gone.results().find(group).errorCode());
        }
    }
}
