package toykafka.broker.coordinators;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;

/** Our coordinator records' values read by Kafka's generated classes, as its coordinator reads them. */
final class KafkaValues {

    private KafkaValues() {
    }

    /** Reads a value of version 0 into Kafka's class, which must take every byte. */
    static <T extends ApiMessage> T readValue(byte[] bytes, T into) {
        ByteBuffer value = ByteBuffer.wrap(bytes);
        assertEquals(0, value.getShort(), "value version 0");
        into.read(new ByteBufferAccessor(value), (short) 0);
        assertEquals(0, value.remaining(), "nothing left over");
        return into;
    }
}
