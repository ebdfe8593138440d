package toykafka.testing;

/** A way in to a broker that a test can ask for. */
public enum FrontEnd {
    /** REST Proxy's API and Kaf's, over HTTP. */
    HTTP,
    /** Kafka's own protocol, for Kafka's clients and tools. */
    KAFKA,
    /** The HTTP front end with the console's routes beside REST Proxy's, as {@code toykafka broker} serves it. */
    CONSOLE
}
