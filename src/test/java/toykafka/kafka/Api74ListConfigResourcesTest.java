package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.ListConfigResourcesRequestData;
import org.apache.kafka.common.message.ListConfigResourcesResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * ListConfigResources: version 0 written and read by Kafka's generated classes, as ListClientMetricsResources
 * (its name before 4.0) did, and version 1 written and read here field by field from Kafka's message spec.
 */
class Api74ListConfigResourcesTest {

    private static final byte TOPIC = 2;
    private static final byte BROKER = 4;
    private static final byte BROKER_LOGGER = 8;
    private static final byte CLIENT_METRICS = 16;
    private static final byte GROUP = 32;

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    /** One resource of a version 1 answer. */
    private record Listed(String name, byte type) {
    }

    @Test
    void version_0_lists_no_client_metrics_subscriptions_since_this_broker_takes_no_telemetry() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            ListConfigResourcesResponseData response = wire.send(new ListConfigResourcesRequestData(), 0);
            assertEquals(Errors.NONE.code(), response.errorCode());
            assertEquals(List.of(), response.configResources());
        }
    }

    @Test
    void version_1_lists_this_broker_and_every_topic_for_no_type_named_and_no_groups_or_subscriptions() {
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        List<Listed> all = new ArrayList<>(List.of(new Listed("1", BROKER)));
        broker.broker().listTopics().forEach(topic -> all.add(new Listed(topic, TOPIC)));
        assertEquals(all, listV1());
        assertEquals(List.of(new Listed("__broker_stats", TOPIC), new Listed("__consumer_offsets", TOPIC),
                new Listed("orders", TOPIC)), listV1(TOPIC), "the broker's own topics too, as Kafka lists its own");
        assertEquals(List.of(), listV1(GROUP, CLIENT_METRICS, BROKER_LOGGER));
    }

    @Test
    void a_type_kafka_lists_none_of_is_unsupported_version() {
        ByteBuffer body = askV1((byte) 0);
        body.getInt(); // throttle time
        assertEquals(Errors.UNSUPPORTED_VERSION.code(), body.getShort());
    }

    private List<Listed> listV1(byte... types) {
        ByteBuffer body = askV1(types);
        body.getInt(); // throttle time
        assertEquals(Errors.NONE.code(), body.getShort());
        List<Listed> listed = new ArrayList<>();
        int count = unsignedVarint(body) - 1;
        for (int i = 0; i < count; i++) {
            byte[] name = new byte[unsignedVarint(body) - 1];
            body.get(name);
            listed.add(new Listed(new String(name, StandardCharsets.UTF_8), body.get()));
            assertEquals(0, unsignedVarint(body), "no tagged fields");
        }
        assertEquals(0, unsignedVarint(body), "no tagged fields");
        assertEquals(0, body.remaining());
        return listed;
    }

    /** A version 1 request (header v2), and the answer's body after its header (v1: correlation id, no tags). */
    private ByteBuffer askV1(byte... types) {
        byte[] client = "toykafka-test".getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = ByteBuffer.allocate(64).putShort((short) 74).putShort((short) 1).putInt(7)
                .putShort((short) client.length).put(client).put((byte) 0); // client id, no tagged fields
        frame.put((byte) (types.length + 1)).put(types).put((byte) 0); // resource_types, no tagged fields
        try (KafkaWire wire = new KafkaWire(broker)) {
            ByteBuffer response = wire.exchange(frame.flip());
            assertEquals(7, response.getInt(), "the correlation id");
            assertEquals(0, unsignedVarint(response), "the response header's tagged fields");
            return response;
        }
    }

    /** An unsigned varint of the flexible versions, read here apart from the broker's own reader it checks. */
    private static int unsignedVarint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            value |= (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }
}
