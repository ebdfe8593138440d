package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.FinalizedFeatureKey;
import org.apache.kafka.common.message.ApiVersionsResponseData.SupportedFeatureKey;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/** The handshake, checked by Kafka's own ApiVersions classes in the versions they know, 0 to 4 (v5 in {@link Kafka44VersionsTest}). */
class ApiVersionsTest {

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void every_version_lists_the_apis_served_with_their_ranges(int version) {
        ApiVersionsRequestData request = new ApiVersionsRequestData();
        if (version >= 3) {
            request.setClientSoftwareName("toykafka-test").setClientSoftwareVersion("1.0");
        }
        try (KafkaWire wire = new KafkaWire(broker)) {
            ApiVersionsResponseData response = wire.send(request, version);
            assertEquals(Errors.NONE.code(), response.errorCode());
            ApiVersion self = response.apiKeys().find((short) 18);
            assertNotNull(self, "ApiVersions lists itself");
            assertEquals(0, self.minVersion());
            assertEquals(5, self.maxVersion());
        }
    }

    @Test
    void the_admin_writes_are_advertised_with_the_versions_their_classes_serve() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            ApiVersionsResponseData response = wire.send(new ApiVersionsRequestData(), 0);
            // key, min, max: DeleteRecords, AlterConfigs, CreatePartitions, IncrementalAlterConfigs
            for (int[] range : new int[][] {{21, 0, 2}, {33, 0, 2}, {37, 0, 3}, {44, 0, 1}}) {
                ApiVersion advertised = response.apiKeys().find((short) range[0]);
                assertNotNull(advertised, "api key " + range[0]);
                assertEquals(range[1], advertised.minVersion(), "api key " + range[0]);
                assertEquals(range[2], advertised.maxVersion(), "api key " + range[0]);
            }
        }
    }

    @Test
    void the_group_apis_are_advertised_from_the_versions_librdkafka_probes_for_with_kip_848s_beside_them() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            ApiVersionsResponseData response = wire.send(new ApiVersionsRequestData(), 3);
            // key, min, max: OffsetCommit, OffsetFetch, FindCoordinator, JoinGroup, Heartbeat, LeaveGroup, SyncGroup,
            // DescribeGroups, ListGroups, DeleteGroups, OffsetDelete, ConsumerGroupHeartbeat, ConsumerGroupDescribe
            for (int[] range : new int[][] {{8, 2, 10}, {9, 1, 10}, {10, 0, 6}, {11, 0, 9}, {12, 0, 4}, {13, 0, 5},
                    {14, 0, 5}, {15, 0, 6}, {16, 0, 5}, {42, 0, 3}, {47, 0, 0}, {68, 0, 1}, {69, 0, 1}}) {
                ApiVersion advertised = response.apiKeys().find((short) range[0]);
                assertNotNull(advertised, "api key " + range[0]);
                assertEquals(range[1], advertised.minVersion(), "api key " + range[0]);
                assertEquals(range[2], advertised.maxVersion(), "api key " + range[0]);
            }
        }
    }

    /**
     * Kafka 4.4 advertises its streams group APIs so (asked of a 4.4 node with {@code kafka-broker-api-versions}):
     * StreamsGroupHeartbeat 0 to 1, StreamsGroupDescribe 0 to 1, StreamsGroupTopologyDescriptionUpdate 0.
     */
    @Test
    void the_streams_group_apis_are_advertised_as_kafka_4_4_advertises_them() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            ApiVersionsResponseData response = wire.send(new ApiVersionsRequestData(), 3);
            for (int[] range : new int[][] {{88, 0, 1}, {89, 0, 1}, {93, 0, 0}}) {
                ApiVersion advertised = response.apiKeys().find((short) range[0]);
                assertNotNull(advertised, "api key " + range[0]);
                assertEquals(range[1], advertised.minVersion(), "api key " + range[0]);
                assertEquals(range[2], advertised.maxVersion(), "api key " + range[0]);
            }
        }
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {3, 4})
    void from_version_3_the_features_this_broker_implements_are_advertised_as_kafka_advertises_its_own(int version) {
        ApiVersionsRequestData request = new ApiVersionsRequestData().setClientSoftwareName("toykafka-test")
                .setClientSoftwareVersion("1.0");
        try (KafkaWire wire = new KafkaWire(broker)) {
            ApiVersionsResponseData response = wire.send(request, version);
            SupportedFeatureKey metadata = response.supportedFeatures().find("metadata.version");
            assertNotNull(metadata, "metadata.version, which every Kafka 4 cluster has finalized");
            assertEquals(7, metadata.minVersion(), "3.3-IV3, the lowest level Kafka 4 runs at");
            assertEquals(7, metadata.maxVersion());
            SupportedFeatureKey groups = response.supportedFeatures().find("group.version");
            if (version == 3) {
                assertNull(groups, "v3 leaves out a feature whose lowest level is 0, as Kafka does (KAFKA-17011)");
            } else {
                assertNotNull(groups, "group.version");
                assertEquals(1, groups.maxVersion(), "level 1 is KIP-848's consumer groups, served here");
            }
            SupportedFeatureKey transactions = response.supportedFeatures().find("transaction.version");
            if (version == 3) {
                assertNull(transactions, "transaction.version's lowest level is 0 too");
            } else {
                assertEquals(2, transactions.maxVersion(), "level 2 is KIP-890's transactions, served here");
            }
            SupportedFeatureKey streams = response.supportedFeatures().find("streams.version");
            if (version == 3) {
                assertNull(streams, "streams.version's lowest level is 0 too");
            } else {
                assertEquals(1, streams.maxVersion(), "level 1 is KIP-1071's streams groups, served here");
            }
            SupportedFeatureKey share = response.supportedFeatures().find("share.version");
            if (version == 3) {
                assertNull(share, "share.version's lowest level is 0 too");
            } else {
                assertEquals(2, share.maxVersion(), "level 1 is KIP-932's share groups, level 2 adds their"
                        + " dead-letter topic: both served here");
            }
            assertEquals(version == 3 ? 1 : 5, response.supportedFeatures().size(), response.supportedFeatures().toString());
            assertEquals(0, response.finalizedFeaturesEpoch());
            assertEquals(5, response.finalizedFeatures().size(), "metadata.version, group.version, share.version,"
                    + " streams.version and transaction.version, as Kafka 4.4 finalizes them");
            assertEquals(2, response.finalizedFeatures().find("share.version").maxVersionLevel(),
                    "a share consumer needs level 1; level 2 lets share groups use a dead-letter topic");
            assertEquals(1, response.finalizedFeatures().find("streams.version").maxVersionLevel(),
                    "Kafka Streams with group.protocol=streams requires level 1");
            assertEquals(1, response.finalizedFeatures().find("group.version").maxVersionLevel());
            assertEquals(2, response.finalizedFeatures().find("transaction.version").maxVersionLevel(),
                    "a Kafka 4 client reads level 2 and speaks transaction version 2");
            FinalizedFeatureKey finalized = response.finalizedFeatures().find("metadata.version");
            assertEquals(7, finalized.minVersionLevel());
            assertEquals(7, finalized.maxVersionLevel());
        }
    }

    @Test
    void a_newer_version_than_served_is_answered_in_version_0_with_unsupported_version_and_the_ranges() {
        // v6 does not exist yet, so Kafka's classes cannot write it: header v2 by hand, with an empty body
        ByteBuffer frame = ByteBuffer.allocate(64);
        frame.putShort((short) 18).putShort((short) 6).putInt(7);
        byte[] client = "future-client".getBytes(StandardCharsets.UTF_8);
        frame.putShort((short) client.length).put(client).put((byte) 0); // client id, then no tagged fields
        frame.put((byte) 1).put((byte) 1).put((byte) 0); // empty compact strings and no tagged fields
        try (KafkaWire wire = new KafkaWire(broker)) {
            ByteBuffer response = wire.exchange(frame.flip());
            assertEquals(7, response.getInt(), "the correlation id, in a version 0 header");
            ApiVersionsResponseData body = new ApiVersionsResponseData();
            body.read(new ByteBufferAccessor(response), (short) 0);
            assertEquals(0, response.remaining(), "a version 0 body and nothing after it");
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), body.errorCode());
            assertEquals(5, body.apiKeys().find((short) 18).maxVersion());
        }
    }

    @Test
    void an_api_key_not_served_closes_the_connection_with_a_line_in_the_log() {
        ByteBuffer frame = ByteBuffer.allocate(12).putShort((short) 9999).putShort((short) 0).putInt(1).putShort((short) -1);
        try (KafkaWire wire = new KafkaWire(broker)) {
            wire.write(sized(frame.flip()));
            assertTrue(wire.closedByBroker());
        }
        assertTrue(broker.log().contains("api key 9999"), broker.log());
    }

    @Test
    void a_frame_larger_than_socket_request_max_bytes_closes_the_connection_unread() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            wire.write(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());
            assertTrue(wire.closedByBroker());
        }
        assertTrue(broker.log().contains("socket.request.max.bytes"), broker.log());
    }

    @Test
    void http_sent_to_the_kafka_port_is_told_where_http_is() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            wire.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(wire.readAll(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.contains("port " + broker.broker().config().httpPort()), answer);
        }
        assertTrue(broker.log().contains("sent HTTP"), broker.log());
    }

    private static byte[] sized(ByteBuffer frame) {
        ByteBuffer sized = ByteBuffer.allocate(4 + frame.remaining()).putInt(frame.remaining()).put(frame);
        return sized.array();
    }
}
