package toykafka.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.config.ListenerEndpoints;
import toykafka.broker.security.KafkaPrincipal;
import toykafka.broker.security.PlainJaasConfig;
import toykafka.broker.security.PlainSaslServer;
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
 * <p>SCRAM's iterations make that check cost thousands of HMACs, by design, and a client pays it on every request;
 * so a SCRAM user that passed is remembered, for later requests, as an HMAC under a key made at start of the
 * header and of the credential it passed with: a request with the same header against the same credential passes at
 * the cost of one HMAC, and a changed or deleted credential is checked afresh. Neither the password nor anything
 * without that key that could be tried against it is kept.
 *
 * <p>Every refusal is REST Proxy's 401 with a {@code WWW-Authenticate: Basic} challenge, which makes a browser ask
 * for credentials; a wrong password and an unknown user are told apart by nothing but time.
 */
final class BasicAuthentication {

    private static final String SCHEME = "Basic";
    /** SCRAM users remembered at most: a flood of distinct logins costs memory up to here, then the oldest go. */
    private static final int REMEMBERED = 1024;
    private static final String MAC = "HmacSHA256";

    private final String realm;
    private final List<PlainJaasConfig> plainUsers;
    private final ScramCredentials scramCredentials;
    private final SecretKeySpec rememberKey;
    /** HMAC(header, credential) of SCRAM logins that passed, oldest first. */
    private final Map<String, Boolean> remembered = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    private BasicAuthentication(String realm, List<PlainJaasConfig> plainUsers, ScramCredentials scramCredentials) {
        this.realm = realm;
        this.plainUsers = plainUsers;
        this.scramCredentials = scramCredentials;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.rememberKey = new SecretKeySpec(key, MAC);
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
        if (plainPasses(user, credentials.substring(colon + 1)) || scramPasses(user, credentials.substring(colon + 1),
                authorization)) {
            return KafkaPrincipal.user(user);
        }
        throw HttpError.unauthorized(realm, "Unauthorized");
    }

    /** Whether some listener's PLAIN users take this password, by the constant-time check a PLAIN login makes. */
    private boolean plainPasses(String user, String password) {
        return plainUsers.stream().anyMatch(users -> users.authenticate(user, password));
    }

    /**
     * Whether the password is the user's under some SCRAM mechanism: SaltedPassword = Hi(password, salt, i),
     * ClientKey = HMAC(SaltedPassword, "Client Key"), StoredKey = H(ClientKey), compared with the StoredKey kept.
     */
    private boolean scramPasses(String user, String password, String header) {
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            Optional<ScramCredential> kept = scramCredentials.credential(mechanism, user);
            if (kept.isPresent()) {
                String seen = fingerprint(header, kept.get());
                synchronized (remembered) {
                    if (remembered.get(seen) != null) {
                        return true;
                    }
                }
                ScramCredential derived = ScramCredential.fromPassword(mechanism, password, kept.get().salt(),
                        kept.get().iterations());
                if (MessageDigest.isEqual(derived.storedKey(), kept.get().storedKey())) {
                    synchronized (remembered) {
                        remembered.put(seen, Boolean.TRUE);
                    }
                    return true;
                }
            }
        }
        return false;
    }

    /** HMAC under this front end's own key of the header and the credential's StoredKey, salt and iterations. */
    private String fingerprint(String header, ScramCredential credential) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(rememberKey);
            mac.update(header.getBytes(StandardCharsets.UTF_8));
            mac.update(credential.storedKey());
            mac.update(credential.salt());
            mac.update(ByteBuffer.allocate(4).putInt(0, credential.iterations()));
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + MAC, e);
        }
    }
}
