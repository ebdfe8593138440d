package toykafka.kafka;

import javax.security.sasl.SaslException;
import toykafka.broker.security.KafkaPrincipal;
import toykafka.broker.security.SaslAuthenticationException;
import toykafka.broker.security.SaslMechanismServer;
import toykafka.broker.security.SaslMechanisms;
import toykafka.common.Errors;

// tag::sasl-authenticator[]
/**
 * One connection's SASL authentication on a SASL listener, a step between accepting it and serving it, as Kafka's
 * {@code SaslServerAuthenticator}: until it completes, only ApiVersions (once, first), SaslHandshake and then
 * SaslAuthenticate are answered, and any other request closes the connection unanswered, as Kafka closes it. The
 * handshake picks an enabled mechanism (else UNSUPPORTED_SASL_MECHANISM with the enabled list, and the connection
 * closes); each SaslAuthenticate carries one token of the exchange; a failure is answered with
 * SASL_AUTHENTICATION_FAILED and Kafka's message, and the connection closes once the answer is out. Success gives
 * the connection its principal, {@code User:<authorization id>}.
 *
 * <p>It works on whole requests, above the bytes: a transport under it (TLS) would hand it the same frames. Not
 * served: SaslHandshake v0's raw tokens without SaslAuthenticate (kafka-clients and librdkafka send v1 and
 * SaslAuthenticate to a broker that advertises it), re-authentication ({@code connections.max.reauth.ms}: the
 * session lifetime answered is 0, none), and the delay Kafka puts before closing a failed connection. Handler
 * threads take a connection's requests one at a time, so the state needs no lock, only visibility.
 */
final class SaslServerAuthenticator {

    enum SaslState { HANDSHAKE_OR_VERSIONS_REQUEST, HANDSHAKE_REQUEST, AUTHENTICATE, COMPLETE, FAILED }

    /** One SaslAuthenticate's answer: the error and message, and the token for the client. */
    record Step(Errors error, String message, byte[] token) {
    }

    /**
     * The largest frame read before authentication completes: Kafka's {@code sasl.server.max.receive.size} default,
     * so a client that has not proved who it is cannot make the broker hold 100 MiB for it.
     */
    static final int MAX_RECEIVE_SIZE = 524288;

    private static final short API_VERSIONS = 18;
    private static final short SASL_HANDSHAKE = 17;
    private static final short SASL_AUTHENTICATE = 36;

    private final SaslMechanisms mechanisms;
    private volatile SaslState state = SaslState.HANDSHAKE_OR_VERSIONS_REQUEST;
    private volatile SaslMechanismServer server;
    private volatile KafkaPrincipal principal = KafkaPrincipal.ANONYMOUS;

    SaslServerAuthenticator(SaslMechanisms mechanisms) {
        this.mechanisms = mechanisms;
    }

    // tag::handshake-gate[]
    /**
     * Whether a request with this key may be answered now; null if it may, else why the connection closes. An
     * ApiVersions admitted moves the state on: it comes once, before the handshake.
     */
    String refusal(short apiKey, String apiName) {
        SaslState now = state;
        if (now == SaslState.COMPLETE) {
            return null;
        }
        if (now == SaslState.HANDSHAKE_OR_VERSIONS_REQUEST && apiKey == API_VERSIONS) {
            state = SaslState.HANDSHAKE_REQUEST;
            return null;
        }
        if ((now == SaslState.HANDSHAKE_OR_VERSIONS_REQUEST || now == SaslState.HANDSHAKE_REQUEST)
                && apiKey == SASL_HANDSHAKE || now == SaslState.AUTHENTICATE && apiKey == SASL_AUTHENTICATE) {
            return null;
        }
        state = SaslState.FAILED;
        return "Unexpected Kafka request of type " + apiName + " during SASL "
                + (now == SaslState.AUTHENTICATE ? "authentication." : "handshake.");
    }
    // end::handshake-gate[]

    /** Whether the exchange is over and the connection serves every API. */
    boolean complete() {
        return state == SaslState.COMPLETE;
    }

    /** Whether authentication failed: the connection closes once its last answer is out. */
    boolean failed() {
        return state == SaslState.FAILED;
    }

    /** Who authenticated: {@code User:ANONYMOUS} until it completes. */
    KafkaPrincipal principal() {
        return principal;
    }

    /** The enabled mechanisms, as SaslHandshake answers them. */
    java.util.List<String> enabledMechanisms() {
        return mechanisms.enabled();
    }

    /** SaslHandshake: NONE with a server for the mechanism, or UNSUPPORTED_SASL_MECHANISM and the connection fails. */
    Errors handshake(String mechanism) {
        if (!mechanisms.isEnabled(mechanism)) {
            state = SaslState.FAILED;
            return Errors.UNSUPPORTED_SASL_MECHANISM;
        }
        server = mechanisms.newServer(mechanism);
        state = SaslState.AUTHENTICATE;
        return Errors.NONE;
    }

    /** One SaslAuthenticate's token through the exchange. */
    Step authenticate(byte[] token) {
        SaslMechanismServer exchange = server;
        try {
            byte[] answer = exchange.evaluateResponse(token);
            if (exchange.isComplete()) {
                principal = KafkaPrincipal.user(exchange.authorizationId());
                server = null;
                state = SaslState.COMPLETE;
            }
            return new Step(Errors.NONE, "", answer); // Kafka's default message: empty, not null
        } catch (SaslAuthenticationException e) {
            state = SaslState.FAILED;
            return new Step(Errors.SASL_AUTHENTICATION_FAILED, e.getMessage(), new byte[0]);
        } catch (SaslException | RuntimeException e) {
            // never the details: they could tell a client which users exist
            state = SaslState.FAILED;
            return new Step(Errors.SASL_AUTHENTICATION_FAILED, "Authentication failed during authentication due to"
                    + " invalid credentials with SASL mechanism " + exchange.mechanism(), new byte[0]);
        }
    }
}
// end::sasl-authenticator[]
