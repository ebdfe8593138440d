package toykafka.broker.security;

/** The authorizer's verdict on one action (Kafka's {@code AuthorizationResult}). */
public enum AuthorizationResult {
    ALLOWED, DENIED
}
