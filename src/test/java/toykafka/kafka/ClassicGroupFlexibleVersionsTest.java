package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * What the classic group APIs' flexible versions add, sent and read by Kafka's own message classes: JoinGroup
 * v7's protocol type. GroupApisTest takes a member through every version of the dance.
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
    @ValueSource(ints = {6, 7, 8})
    void a_refused_join_names_no_protocol_type_and_an_empty_protocol_name_as_kafka_leaves_them(int version) {
        try (KafkaWire wire = new KafkaWire(broker)) {
            JoinGroupResponseData first = wire.send(join("refused-v" + version, ""), version);
            assertEquals(Errors.MEMBER_ID_REQUIRED.code(), first.errorCode());
            assertNull(first.protocolType());
            assertEquals("", first.protocolName());
            assertEquals(-1, first.generationId());
        }
    }
}
