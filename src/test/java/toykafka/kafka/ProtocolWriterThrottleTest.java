package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** A throttle time decided after the body is written still reaches the bytes sent, however the body was cut. */
class ProtocolWriterThrottleTest {

    @Test
    void the_throttle_time_written_first_is_rewritten_after_the_body_has_grown_past_its_first_buffer() {
        ProtocolWriter out = new ProtocolWriter(false).throttleTimeMs(0);
        for (int i = 0; i < 1_000; i++) {
            out.int64(i);
        }
        assertTrue(out.rewriteThrottleTimeMs(750));
        ByteBuffer sent = ByteBuffer.allocate((int) out.size());
        out.finish().forEach(part -> sent.put(((ProtocolWriter.BytesPart) part).bytes().duplicate()));
        assertEquals(750, sent.flip().getInt());
        assertEquals(999, sent.getLong(sent.limit() - 8));
    }

    @Test
    void a_body_with_no_throttle_time_is_left_as_it_is() {
        ProtocolWriter out = new ProtocolWriter(false).int32(5);
        assertFalse(out.rewriteThrottleTimeMs(750));
    }
}
