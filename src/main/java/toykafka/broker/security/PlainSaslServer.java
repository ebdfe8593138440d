package toykafka.broker.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The server side of SASL/PLAIN (RFC 4616), as Kafka's {@code PlainSaslServer}: one token, {@code
 * [authzid] NUL user NUL password}, checked against the listener's users, in Kafka's words when it fails. The
 * password crosses the wire as it is, so PLAIN belongs on TLS (SASL_SSL) outside a course.
 */
public final class PlainSaslServer implements SaslMechanismServer {

    public static final String PLAIN = "PLAIN";

    private final PlainJaasConfig users;
    private boolean complete;
    private String authorizationId;

    public PlainSaslServer(PlainJaasConfig users) {
        this.users = users;
    }

    @Override
    public String mechanism() {
        return PLAIN;
    }

    @Override
    public byte[] evaluateResponse(byte[] response) throws SaslAuthenticationException {
        List<String> tokens = tokens(new String(response, StandardCharsets.UTF_8));
        String authorizationIdFromClient = tokens.get(0);
        String username = tokens.get(1);
        String password = tokens.get(2);
        if (username.isEmpty()) {
            throw new SaslAuthenticationException("Authentication failed: username not specified");
        }
        if (password.isEmpty()) {
            throw new SaslAuthenticationException("Authentication failed: password not specified");
        }
        if (!users.authenticate(username, password)) {
            throw new SaslAuthenticationException("Authentication failed: Invalid username or password");
        }
        if (!authorizationIdFromClient.isEmpty() && !authorizationIdFromClient.equals(username)) {
            throw new SaslAuthenticationException(
                    "Authentication failed: Client requested an authorization id that is different from username");
        }
        authorizationId = username;
        complete = true;
        return new byte[0];
    }

    /** The message split at its NULs: exactly three parts, as Kafka counts them. */
    private static List<String> tokens(String message) throws SaslAuthenticationException {
        List<String> tokens = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < 4; i++) {
            int end = message.indexOf('\u0000', start);
            if (end == -1) {
                tokens.add(message.substring(start));
                break;
            }
            tokens.add(message.substring(start, end));
            start = end + 1;
        }
        if (tokens.size() != 3) {
            throw new SaslAuthenticationException("Invalid SASL/PLAIN response: expected 3 tokens, got " + tokens.size());
        }
        return tokens;
    }

    @Override
    public boolean isComplete() {
        return complete;
    }

    @Override
    public String authorizationId() {
        if (!complete) {
            throw new IllegalStateException("Authentication exchange has not completed");
        }
        return authorizationId;
    }
}
