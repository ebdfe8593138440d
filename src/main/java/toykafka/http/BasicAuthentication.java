package toykafka.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.config.ListenerEndpoints;
import toykafka.broker.security.KafkaPrincipal;
import toykafka.broker.security.PlainJaasConfig;
import toykafka.broker.security.PlainSaslServer;
import toykafka.broker.security.SaslAuthenticationException;
import toykafka.broker.security.ScramCredential;
import toykafka.broker.security.ScramCredentials;
import toykafka.broker.security.ScramMechanism;

/**
 * Who an HTTP request comes from, as REST Proxy's {@code authentication.method=BASIC} asks (RFC 7617): the header
 * {@code Authorization: Basic base64(user:password)}, checked against the Kafka port's own SASL users, so one user
 * is one principal on both ports. A user passes as a PLAIN user of some listener's JAAS line ({@code
 * listener.name.<listener>.plain.sasl.jaas.config}, {@code user_<name>="..."}) or as a SCRAM user: the password is
 * salted with the credential's salt and iterations, ClientKey and StoredKey derived from it as a SCRAM client
 * would, and the StoredKey compared in constant time with the one kept. The password is used for that and
 * dropped: never kept, logged or echoed.
 *
 * <p>Every refusal is REST Proxy's 401 with a {@code WWW-Authenticate: Basic} challenge, which makes a browser ask
 * for credentials; a wrong password and an unknown user are told apart by nothing but time.
 */
final class BasicAuthentication {

    private static final String SCHEME = "Basic";

    private final String realm;
    private final List<PlainJaasConfig> plainUsers;
    private final ScramCredentials scramCredentials;

    private BasicAuthentication(String realm, List<PlainJaasConfig> plainUsers, ScramCredentials scramCredentials) {
        this.realm = realm;
        this.plainUsers = plainUsers;
        this.scramCredentials = scramCredentials;
    }

    /**
     * The check {@code authentication.method} asks for: empty for NONE, when every request is {@code
     * User:ANONYMOUS}.
     *
     * @throws IllegalArgumentException naming the setting, when a listener's PLAIN JAAS line cannot be read
     */
    static Optional<BasicAuthentication> of(Broker broker) {
        BrokerConfig config = broker.config();
        if (!config.get(BrokerConfig.AUTHENTICATION_METHOD).equals("BASIC")) {
            return Optional.empty();
        }
        String jaasSetting = PlainSaslServer.PLAIN.toLowerCase(Locale.ROOT) + ".sasl.jaas.config";
        List<PlainJaasConfig> plainUsers = new ArrayList<>();
        for (ListenerEndpoints.EndPoint endPoint : ListenerEndpoints.of(config)) {
            String jaas = endPoint.sasl() ? config.listenerSetting(endPoint.name(), jaasSetting, false) : null;
            if (jaas != null) {
                try {
                    plainUsers.add(PlainJaasConfig.parse(jaas));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(ListenerEndpoints.LISTENER_PREFIX
                            + endPoint.name().toLowerCase(Locale.ROOT) + "." + jaasSetting + ": " + e.getMessage(), e);
                }
            }
        }
        return Optional.of(new BasicAuthentication(config.get(BrokerConfig.AUTHENTICATION_REALM), List.copyOf(plainUsers),
                broker.access().scramCredentials()));
    }

    /**
     * The principal of a request's {@code Authorization} header (null: none sent).
     *
     * @throws HttpError 401 with the challenge, when the header is missing, malformed or names no user by its password
     */
    KafkaPrincipal authenticate(String authorization) {
        if (authorization == null) {
            throw HttpError.unauthorized(realm, "Unauthorized");
        }
        String trimmed = authorization.trim();
        int space = trimmed.indexOf(' ');
        if (!(space < 0 ? trimmed : trimmed.substring(0, space)).equalsIgnoreCase(SCHEME)) {
            throw HttpError.unauthorized(realm, "Unauthorized: the HTTP port takes Basic credentials only"
                    + " (Authorization: Basic base64(user:password))");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(space < 0 ? "" : trimmed.substring(space + 1).trim());
        } catch (IllegalArgumentException notBase64) {
            throw HttpError.unauthorized(realm, "Unauthorized: the Basic credentials are not base64");
        }
        String credentials = new String(decoded, StandardCharsets.UTF_8);
        int colon = credentials.indexOf(':');
        if (colon <= 0 || colon == credentials.length() - 1) {
            throw HttpError.unauthorized(realm, "Unauthorized: the Basic credentials must be user:password, neither"
                    + " empty");
        }
        String user = credentials.substring(0, colon);
        if (plainPasses(user, credentials.substring(colon + 1)) || scramPasses(user, credentials.substring(colon + 1))) {
            return KafkaPrincipal.user(user);
        }
        throw HttpError.unauthorized(realm, "Unauthorized");
    }

    /** Whether some listener's PLAIN users take this password, by the same check a SASL/PLAIN login makes. */
    private boolean plainPasses(String user, String password) {
        byte[] token = ("\u0000" + user + "\u0000" + password).getBytes(StandardCharsets.UTF_8);
        for (PlainJaasConfig users : plainUsers) {
            if (users.users().contains(user)) {
                try {
                    new PlainSaslServer(users).evaluateResponse(token);
                    return true;
                } catch (SaslAuthenticationException wrong) {
                    // another listener may know the user with this password
                }
            }
        }
        return false;
    }

    /**
     * Whether the password is the user's under some SCRAM mechanism: SaltedPassword = Hi(password, salt, i),
     * ClientKey = HMAC(SaltedPassword, "Client Key"), StoredKey = H(ClientKey), compared with the StoredKey kept.
     */
    private boolean scramPasses(String user, String password) {
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            Optional<ScramCredential> kept = scramCredentials.credential(mechanism, user);
            if (kept.isPresent()) {
                ScramCredential derived = ScramCredential.fromPassword(mechanism, password, kept.get().salt(),
                        kept.get().iterations());
                if (MessageDigest.isEqual(derived.storedKey(), kept.get().storedKey())) {
                    return true;
                }
            }
        }
        return false;
    }
}
