package toykafka.broker.security;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The SASL mechanisms one listener serves ({@code sasl.enabled.mechanisms}, or the listener's own {@code
 * listener.name.<listener>.sasl.enabled.mechanisms}), and a fresh server for each exchange: PLAIN against the
 * listener's JAAS users, SCRAM against the broker's credentials. Kafka's {@code SaslChannelBuilder} makes its
 * servers per connection the same way. GSSAPI (Kerberos) and OAUTHBEARER are not served.
 */
public final class SaslMechanisms {

    /** The mechanisms this broker can serve. */
    public static final List<String> SERVED = List.of(PlainSaslServer.PLAIN, ScramMechanism.SCRAM_SHA_256.mechanismName(),
            ScramMechanism.SCRAM_SHA_512.mechanismName());

    private final List<String> enabled;
    private final PlainJaasConfig plainUsers;
    private final ScramCredentials credentials;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param enabled     the mechanisms enabled, in the order the handshake lists them
     * @param plainUsers  PLAIN's users; required when PLAIN is enabled
     * @param credentials the SCRAM credentials
     * @throws IllegalArgumentException for a mechanism not served, none at all, or PLAIN without users
     */
    public SaslMechanisms(List<String> enabled, PlainJaasConfig plainUsers, ScramCredentials credentials) {
        if (enabled.isEmpty()) {
            throw new IllegalArgumentException("no SASL mechanism is enabled: set one or more of " + SERVED);
        }
        List<String> unserved = new ArrayList<>(enabled);
        unserved.removeAll(SERVED);
        if (!unserved.isEmpty()) {
            throw new IllegalArgumentException("the SASL mechanisms " + unserved + " are not served by this broker,"
                    + " which serves " + SERVED);
        }
        if (enabled.contains(PlainSaslServer.PLAIN) && plainUsers == null) {
            throw new IllegalArgumentException("PLAIN is enabled but no users are given: set the listener's"
                    + " plain.sasl.jaas.config to " + PlainJaasConfig.PLAIN_LOGIN_MODULE
                    + " required user_<name>=\"<password>\";");
        }
        this.enabled = List.copyOf(enabled);
        this.plainUsers = plainUsers;
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    /** The mechanisms enabled, as SaslHandshake lists them. */
    public List<String> enabled() {
        return enabled;
    }

    public boolean isEnabled(String mechanism) {
        return enabled.contains(mechanism);
    }

    /** A server for one exchange of an enabled mechanism. */
    public SaslMechanismServer newServer(String mechanism) {
        if (!isEnabled(mechanism)) {
            throw new IllegalArgumentException("Unsupported SASL mechanism " + mechanism);
        }
        if (mechanism.equals(PlainSaslServer.PLAIN)) {
            return new PlainSaslServer(plainUsers);
        }
        return new ScramSaslServer(ScramMechanism.ofName(mechanism).orElseThrow(), credentials::credential, random);
    }
}
