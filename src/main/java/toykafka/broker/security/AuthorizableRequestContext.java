package toykafka.broker.security;

import java.util.Objects;

/**
 * What the authorizer knows of a request (Kafka's {@code AuthorizableRequestContext}): who sent it, and the
 * address of the host it came from, as an ACL's host is written ({@code 127.0.0.1}).
 */
public record AuthorizableRequestContext(KafkaPrincipal principal, String clientAddress) {

    public AuthorizableRequestContext {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(clientAddress, "clientAddress");
    }
}
