package toykafka.kafka;

import java.util.List;

/**
 * How a handler thread hands its outcome back to the thread that owns the sockets: a response to send, none
 * (acks=0), or the connection to close. A handler never touches a socket itself. Kafka's {@code RequestChannel}
 * carries the same three kinds of response from its request handlers to its processors.
 */
interface RequestChannel {

    /** Sends a response frame, its size and header first. */
    void sendResponse(Connection connection, List<ProtocolWriter.Part> frame);

    /** The request wants no response: the connection reads on. */
    void sendNoOpResponse(Connection connection);

    /**
     * The client went over a quota: once its answer is out, its connection reads nothing more for {@code
     * throttleTimeMs} from now (Kafka's {@code startThrottling}); called before the answer is sent.
     */
    void throttle(Connection connection, int throttleTimeMs);

    /** Closes the connection, with a line in the log saying why. */
    void closeConnection(Connection connection, String why);

    /** Closes a connection that sent what its SASL authentication does not allow, logged at most now and then. */
    void refuseUnauthenticated(Connection connection, String why);
}
