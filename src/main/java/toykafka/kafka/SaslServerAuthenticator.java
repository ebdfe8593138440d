package toykafka.kafka;

import java.util.concurrent.TimeUnit;
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
 * <p>Re-authentication (KIP-368): with {@code connections.max.reauth.ms} set, a successful SaslAuthenticate answers
 * that session lifetime, and a SaslHandshake on the authenticated connection begins the exchange again (at most once
 * a second, else the handshake is an ordinary request, ILLEGAL_SASL_STATE); it must keep the mechanism and end with
 * the same principal, else it fails as a first one does, with Kafka's messages. A connection whose session ended
 * without re-authenticating is closed, unanswered, at its next request, as Kafka's {@code Processor} closes an
 * expired channel. Kafka's {@code SaslServerAuthenticator} and {@code KafkaChannel} together.
 *
 * <p>It works on whole frames, above the bytes: a transport under it (TLS) would hand it the same frames. After
 * SaslHandshake v0 each token comes raw in a frame of its own and is answered so, as old clients send them
 * (kafka-clients and librdkafka send v1 and SaslAuthenticate to a broker that advertises it); a raw token that
 * fails gets no answer, only the close, as in Kafka. Handler threads take a connection's frames one at a time, so
 * the state needs no lock, only visibility.
 */
final class SaslServerAuthenticator {

    enum SaslState {
        HANDSHAKE_OR_VERSIONS_REQUEST, HANDSHAKE_REQUEST, AUTHENTICATE, REAUTH_BAD_MECHANISM, COMPLETE, EXPIRED, FAILED
    }

    /** One SaslAuthenticate's answer: the error and message, the token for the client, the session lifetime. */
    record Step(Errors error, String message, byte[] token, long sessionLifetimeMs) {
    }

    /**
     * The largest frame read before authentication completes: Kafka's {@code sasl.server.max.receive.size} default,
     * so a client that has not proved who it is cannot make the broker hold 100 MiB for it.
     */
    static final int MAX_RECEIVE_SIZE = 524288;

    private static final short API_VERSIONS = 18;
    private static final short SASL_HANDSHAKE = 17;
    private static final short SASL_AUTHENTICATE = 36;

    /** Kafka's {@code KafkaChannel.MIN_REAUTH_INTERVAL_ONE_SECOND_NANOS}. */
    private static final long MIN_REAUTH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SaslMechanisms mechanisms;
    /** {@code connections.max.reauth.ms}: 0 for sessions that never end. */
    private final long maxReauthMs;
    private volatile SaslState state = SaslState.HANDSHAKE_OR_VERSIONS_REQUEST;
    private volatile SaslMechanismServer server;
    private volatile String mechanism;
    /** Set by a SaslHandshake v0: the tokens come raw, each in a size-prefixed frame of its own, not in requests. */
    private volatile boolean rawTokens;
    private volatile KafkaPrincipal principal = KafkaPrincipal.ANONYMOUS;
    /** Set while re-authenticating: who authenticated before, and with which mechanism. */
    private volatile KafkaPrincipal reauthenticating;
    private volatile String previousMechanism;
    /** When the session ends, if it does ({@code sessionExpires}); when the last re-authentication began, or 0. */
    private volatile boolean sessionExpires;
    private volatile long sessionExpiresAtNanos;
    private volatile long lastReauthenticationNanos;

    SaslServerAuthenticator(SaslMechanisms mechanisms, long maxReauthMs) {
        this.mechanisms = mechanisms;
        this.maxReauthMs = maxReauthMs;
    }

    // tag::handshake-gate[]
    /**
     * Whether a request with this key may be answered now; null if it may, else why the connection closes. An
     * ApiVersions admitted moves the state on: it comes once, before the handshake.
     */
    String refusal(short apiKey, String apiName) {
        SaslState now = state;
        if (now == SaslState.COMPLETE) {
            long nanos = System.nanoTime();
            if (apiKey == SASL_HANDSHAKE && mayBeginReauthentication(nanos)) {
                return null;
            }
            if (sessionExpires && nanos - sessionExpiresAtNanos > 0) {
                state = SaslState.EXPIRED;
                return "its session ended (connections.max.reauth.ms=" + maxReauthMs + ") without re-authentication";
            }
            return null;
        }
        if (now == SaslState.REAUTH_BAD_MECHANISM) { // closed unanswered, as Kafka throws without an answer
            state = SaslState.FAILED;
            return "SASL mechanism '" + mechanism + "' requested by client is not supported for re-authentication of"
                    + " mechanism '" + previousMechanism + "'";
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

    /**
     * A SaslHandshake on an authenticated connection begins re-authentication if its session ends and none began in
     * the last second (Kafka's {@code KafkaChannel.maybeBeginServerReauthentication}); the principal stays the
     * connection's until the new exchange completes.
     */
    private boolean mayBeginReauthentication(long nanos) {
        long last = lastReauthenticationNanos;
        if (!sessionExpires || last != 0 && nanos - last < MIN_REAUTH_INTERVAL_NANOS) {
            return false;
        }
        lastReauthenticationNanos = nanos;
        reauthenticating = principal;
        previousMechanism = mechanism;
        state = SaslState.HANDSHAKE_REQUEST;
        return true;
    }

    /** Whether the next frame is a raw SASL token, not a request: after SaslHandshake v0, until the exchange ends. */
    boolean expectsRawToken() {
        return rawTokens && state == SaslState.AUTHENTICATE;
    }

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

    /**
     * SaslHandshake: NONE with a server for the mechanism, or UNSUPPORTED_SASL_MECHANISM and the connection fails.
     * After version 0 the tokens come raw ({@link #expectsRawToken}), as Kafka reads them from clients before KIP-152.
     */
    Errors handshake(String mechanism, short version) {
        rawTokens = version == 0;
        if (!mechanisms.isEnabled(mechanism)) {
            state = SaslState.FAILED;
            return Errors.UNSUPPORTED_SASL_MECHANISM;
        }
        this.mechanism = mechanism;
        if (reauthenticating != null && !mechanism.equals(previousMechanism)) {
            state = SaslState.REAUTH_BAD_MECHANISM; // answered NONE; the SaslAuthenticate after it fails
            return Errors.NONE;
        }
        server = mechanisms.newServer(mechanism);
        state = SaslState.AUTHENTICATE;
        return Errors.NONE;
    }

    /**
     * One SaslAuthenticate's token through the exchange. Its answer's session lifetime (v1+) is {@code
     * connections.max.reauth.ms} once the exchange completes, else 0, as Kafka's
     * {@code calcCompletionTimesAndReturnSessionLifetimeMs} gives it for credentials that do not expire.
     */
    Step authenticate(byte[] token) {
        SaslMechanismServer exchange = server;
        KafkaPrincipal before = reauthenticating;
        try {
            byte[] answer = exchange.evaluateResponse(token);
            if (exchange.isComplete()) {
                KafkaPrincipal authenticated = KafkaPrincipal.user(exchange.authorizationId());
                if (before != null && !before.equals(authenticated)) {
                    throw new SaslAuthenticationException("Cannot change principals during re-authentication from "
                            + before.principalType() + "." + before.name() + ": " + authenticated.principalType()
                            + "." + authenticated.name());
                }
                principal = authenticated;
                server = null;
                reauthenticating = null;
                sessionExpires = maxReauthMs > 0;
                sessionExpiresAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxReauthMs);
                state = SaslState.COMPLETE;
                return new Step(Errors.NONE, "", answer, maxReauthMs);
            }
            return new Step(Errors.NONE, "", answer, 0); // Kafka's default message: empty, not null
        } catch (SaslAuthenticationException e) {
            state = SaslState.FAILED;
            return new Step(Errors.SASL_AUTHENTICATION_FAILED, e.getMessage(), new byte[0], 0);
        } catch (SaslException | RuntimeException e) {
            // never the details: they could tell a client which users exist
            state = SaslState.FAILED;
            return new Step(Errors.SASL_AUTHENTICATION_FAILED, "Authentication failed during "
                    + (before == null ? "authentication" : "re-authentication") + " due to invalid credentials with"
                    + " SASL mechanism " + exchange.mechanism(), new byte[0], 0);
        }
    }
}
// end::sasl-authenticator[]
