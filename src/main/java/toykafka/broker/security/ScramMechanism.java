package toykafka.broker.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two SCRAM mechanisms Kafka serves (RFC 5802 with the hashes of RFC 7677), under Kafka's names and the type
 * numbers its AlterUserScramCredentials and DescribeUserScramCredentials carry, with the functions SCRAM is built
 * from: a hash, an HMAC and Hi, the salted, iterated HMAC that turns a password into a key. Kafka's
 * {@code ScramMechanism} and {@code ScramFormatter}.
 */
public enum ScramMechanism {
    SCRAM_SHA_256((byte) 1, "SCRAM-SHA-256", "SHA-256", "HmacSHA256"),
    SCRAM_SHA_512((byte) 2, "SCRAM-SHA-512", "SHA-512", "HmacSHA512");

    /** The fewest iterations Kafka takes for either mechanism ({@code ScramMechanism.minIterations}). */
    public static final int MIN_ITERATIONS = 4096;
    /** The most iterations Kafka's controller takes in a credential ({@code ScramControlManager.MAX_ITERATIONS}). */
    public static final int MAX_ITERATIONS = 16384;

    private final byte type;
    private final String mechanismName;
    private final String hashAlgorithm;
    private final String macAlgorithm;

    ScramMechanism(byte type, String mechanismName, String hashAlgorithm, String macAlgorithm) {
        this.type = type;
        this.mechanismName = mechanismName;
        this.hashAlgorithm = hashAlgorithm;
        this.macAlgorithm = macAlgorithm;
    }

    /** The number the protocol sends for this mechanism. */
    public byte type() {
        return type;
    }

    /** The name a client's {@code sasl.mechanism} and the broker's {@code sasl.enabled.mechanisms} use. */
    public String mechanismName() {
        return mechanismName;
    }

    public static Optional<ScramMechanism> ofType(byte type) {
        return Arrays.stream(values()).filter(m -> m.type == type).findFirst();
    }

    public static Optional<ScramMechanism> ofName(String name) {
        return Arrays.stream(values()).filter(m -> m.mechanismName.equals(name)).findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(ScramMechanism::mechanismName).toList();
    }

    byte[] hash(byte[] bytes) {
        try {
            return MessageDigest.getInstance(hashAlgorithm).digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + hashAlgorithm, e);
        }
    }

    byte[] hmac(byte[] key, byte[] bytes) {
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(key, macAlgorithm));
            return mac.doFinal(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + macAlgorithm, e);
        }
    }

    /** RFC 5802's Hi(password, salt, i): U1 = HMAC(password, salt + INT(1)), Ui = HMAC(password, Ui-1), all XORed. */
    public byte[] saltedPassword(String password, byte[] salt, int iterations) {
        byte[] first = new byte[salt.length + 4];
        System.arraycopy(salt, 0, first, 0, salt.length);
        first[first.length - 1] = 1;
        try {
            // one Mac keyed once, as Kafka's ScramFormatter.hi: a Mac made per iteration costs several times the hash
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), macAlgorithm));
            byte[] previous = mac.doFinal(first);
            byte[] result = previous.clone();
            for (int i = 2; i <= iterations; i++) {
                previous = mac.doFinal(previous);
                xorInto(result, previous);
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + macAlgorithm, e);
        }
    }

    static byte[] xor(byte[] first, byte[] second) {
        if (first.length != second.length) {
            throw new IllegalArgumentException("cannot XOR " + first.length + " bytes with " + second.length);
        }
        byte[] result = first.clone();
        xorInto(result, second);
        return result;
    }

    private static void xorInto(byte[] target, byte[] other) {
        for (int i = 0; i < target.length; i++) {
            target[i] ^= other[i];
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
