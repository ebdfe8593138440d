package toykafka.kafka;

/**
 * Where clients are told to find this broker: Metadata's answer names a host and port for every broker,
 * and a client connects there for everything after its first request. Kafka's {@code advertised.listeners}.
 */
record Listener(String host, int port) {
}
