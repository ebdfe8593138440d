package toykafka.broker.security;

import java.util.Base64;

/**
 * What the broker keeps of one user's SCRAM password, as Kafka keeps it: the salt, the iterations, the StoredKey
 * (the hash of the ClientKey, against which a client's proof is checked) and the ServerKey (with which the broker
 * proves it knows the credential). Neither the password nor the salted password can be had back from these.
 */
public record ScramCredential(byte[] salt, byte[] storedKey, byte[] serverKey, int iterations) {

    /**
     * The credential from a salted password, as Kafka's controller makes it from an AlterUserScramCredentials
     * upsertion (the client salts the password; the broker never sees it): ClientKey = HMAC(SaltedPassword,
     * "Client Key"), StoredKey = H(ClientKey), ServerKey = HMAC(SaltedPassword, "Server Key").
     */
    public static ScramCredential fromSaltedPassword(ScramMechanism mechanism, byte[] salt, byte[] saltedPassword,
                                                     int iterations) {
        byte[] clientKey = mechanism.hmac(saltedPassword, ScramMechanism.utf8("Client Key"));
        return new ScramCredential(salt.clone(), mechanism.hash(clientKey),
                mechanism.hmac(saltedPassword, ScramMechanism.utf8("Server Key")), iterations);
    }

    /** The credential of a password, salted here: for tests and for a broker's own tools. */
    public static ScramCredential fromPassword(ScramMechanism mechanism, String password, byte[] salt, int iterations) {
        return fromSaltedPassword(mechanism, salt, mechanism.saltedPassword(password, salt, iterations), iterations);
    }

    /** Kafka's text form of a credential ({@code ScramCredentialUtils.credentialToString}), base64 throughout. */
    String toText() {
        Base64.Encoder base64 = Base64.getEncoder();
        return "salt=" + base64.encodeToString(salt) + ",stored_key=" + base64.encodeToString(storedKey)
                + ",server_key=" + base64.encodeToString(serverKey) + ",iterations=" + iterations;
    }

    /** A credential read back from {@link #toText()}'s form. */
    static ScramCredential fromText(String text) {
        java.util.Map<String, String> fields = new java.util.HashMap<>();
        for (String field : text.split(",")) {
            int equals = field.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("a SCRAM credential is salt=…,stored_key=…,server_key=…,iterations=…");
            }
            fields.put(field.substring(0, equals), field.substring(equals + 1));
        }
        Base64.Decoder base64 = Base64.getDecoder();
        try {
            return new ScramCredential(base64.decode(fields.get("salt")), base64.decode(fields.get("stored_key")),
                    base64.decode(fields.get("server_key")), Integer.parseInt(fields.get("iterations")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("a SCRAM credential is salt=…,stored_key=…,server_key=…,iterations=…",
                    e);
        }
    }

    /** Never the keys: a credential printed by mistake gives nothing away. */
    @Override
    public String toString() {
        return "ScramCredential[iterations=" + iterations + "]";
    }
}
