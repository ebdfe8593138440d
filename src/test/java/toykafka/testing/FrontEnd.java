package toykafka.testing;

/** A way in to a broker that a test can ask for. */
public enum FrontEnd {
    /** REST Proxy's API, Kaf's and the console, over HTTP. */
    HTTP,
    /** Kafka's own protocol, for Kafka's clients and tools. */
    KAFKA
}
