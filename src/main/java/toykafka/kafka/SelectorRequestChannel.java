package toykafka.kafka;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The handlers' side of the {@link RequestChannel}: each outcome a handler thread hands back is queued for the
 * front end's selector thread, which alone touches the sockets, and carried out there.
 */
final class SelectorRequestChannel implements RequestChannel {

    private final KafkaFrontEnd front;

    SelectorRequestChannel(KafkaFrontEnd front) {
        this.front = front;
    }

    @Override
    public void sendResponse(Connection connection, List<ProtocolWriter.Part> frame) {
        front.onSelectorThread(() -> front.respond(connection, frame));
    }

    @Override
    public void sendNoOpResponse(Connection connection) {
        front.onSelectorThread(() -> connection.noResponse(System.nanoTime()));
    }

    @Override
    public void throttle(Connection connection, int throttleTimeMs) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(throttleTimeMs); // from now, not from the queue
        front.onSelectorThread(() -> front.throttle(connection, until));
    }

    @Override
    public void closeConnection(Connection connection, String why) {
        front.onSelectorThread(() -> front.close(connection, why));
    }

    @Override
    public void refuseUnauthenticated(Connection connection, String why) {
        front.onSelectorThread(() -> front.refuseUnauthenticated(connection, why));
    }
}
