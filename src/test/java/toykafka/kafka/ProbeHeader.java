package toykafka.kafka;

import org.apache.kafka.common.header.Header;

/**
 * A record header built through Kafka's public {@link Header} interface, which kafka-clients 3.9 and 4.4
 * share, so the probe and its tests need no class from Kafka's internal packages.
 */
record ProbeHeader(String key, byte[] value) implements Header {
}
