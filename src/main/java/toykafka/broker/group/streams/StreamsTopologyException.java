package toykafka.broker.group.streams;

/**
 * A topology no partition counts can satisfy, which the member is told with STREAMS_INVALID_TOPOLOGY (Kafka's
 * {@code StreamsInvalidTopologyException}).
 */
final class StreamsTopologyException extends RuntimeException {
    StreamsTopologyException(String message) {
        super(message, null, false, false);
    }
}
