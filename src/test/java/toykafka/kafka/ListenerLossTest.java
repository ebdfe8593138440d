package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * The thread that owns every Kafka socket can die, of an OutOfMemoryError above all, and a broker that still
 * answers HTTP would look healthy. The front end says so instead, and `./toykafka broker` stops on it.
 */
class ListenerLossTest {

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @Test
    void an_error_on_the_selector_thread_is_reported_with_its_reason_and_the_listener_logs_it() throws Exception {
        KafkaFrontEnd front = broker.front();
        front.onSelectorThread(() -> {
            throw new OutOfMemoryError("Java heap space (thrown on purpose)");
        });
        Throwable reason = front.stoppedListening().get(2, TimeUnit.MINUTES);
        assertInstanceOf(OutOfMemoryError.class, reason);
        assertTrue(broker.log().contains("kafka: the listener stopped: java.lang.OutOfMemoryError"), broker.log());
        // the port is still bound but nobody reads it: a client's request would hang, which is why the broker stops
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", front.port()), 5_000);
            socket.setSoTimeout(1_000);
            socket.getOutputStream().write(new byte[] {0, 0, 0, 1, 0});
            assertThrows(IOException.class, () -> socket.getInputStream().read(), "no answer comes");
        }
    }

    @Test
    void closing_the_front_end_is_no_loss() {
        KafkaFrontEnd front = broker.front();
        front.close();
        assertFalse(front.stoppedListening().isDone(), "a listener stopped on purpose is not lost");
    }
}
