package toykafka.broker.security;

import javax.security.sasl.SaslException;

/**
 * The server side of one SASL exchange on one connection: each token from the client is evaluated into a token
 * for it, until the exchange is complete and names who authenticated. The JDK's {@code javax.security.sasl.SaslServer}
 * has this shape; the JDK has no PLAIN or SCRAM server, so Kafka writes its own, and so does this broker.
 */
public interface SaslMechanismServer {

    /** The mechanism's name, as a client asks for it in SaslHandshake. */
    String mechanism();

    /**
     * Evaluates the client's next token.
     *
     * @return the token to send back (empty when there is none)
     * @throws SaslAuthenticationException for a failure the client is told of in these words
     * @throws SaslException               for any other failure, answered without its details
     */
    byte[] evaluateResponse(byte[] response) throws SaslException;

    boolean isComplete();

    /** Who authenticated: the user the principal is named after; only once complete. */
    String authorizationId();
}
