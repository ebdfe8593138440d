package toykafka.broker.security;

import javax.security.sasl.SaslException;

/**
 * A SASL failure whose message the client is told, as Kafka's {@code SaslAuthenticationException}: PLAIN's
 * "Invalid username or password", an authorization id other than the user. Any other {@link SaslException}
 * (a wrong SCRAM proof, an unknown user) is answered with one message that names only the mechanism, so a client
 * cannot learn which users exist.
 */
public final class SaslAuthenticationException extends SaslException {

    public SaslAuthenticationException(String message) {
        super(message);
    }
}
