package toykafka.broker.security;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.sasl.SaslException;

// tag::scram-server[]
/**
 * The server side of one SCRAM exchange (RFC 5802; SHA-256 and SHA-512 as RFC 7677 and Kafka name them), a small
 * state machine of two steps. The client's first message names the user and brings a nonce; the broker answers
 * with the nonce lengthened by its own, the user's salt and iterations. The client's final message repeats the
 * whole nonce and carries its proof: ClientKey XOR HMAC(StoredKey, AuthMessage), which only someone who knows the
 * password can make. The broker XORs the signature back out, hashes what is left and compares it with the
 * StoredKey it keeps; then it sends its own signature, HMAC(ServerKey, AuthMessage), so the client knows it talked
 * to a broker that holds its credential. The password never crosses the wire, and the broker never holds it.
 *
 * <p>As Kafka's {@code ScramSaslServer}: the gs2 header must be {@code n} (no channel binding) and the channel
 * binding is not checked further; an authorization id other than the user is refused in words the client hears;
 * an unknown user, a wrong nonce or a wrong proof are each a plain {@link SaslException}, which the client hears
 * only as "invalid credentials"; extensions are ignored, delegation tokens ({@code tokenauth}) are not served.
 */
public final class ScramSaslServer implements SaslMechanismServer {

    private static final String VALUE = "[\\x01-\\x7F&&[^,]]+";
    private static final String PRINTABLE = "[\\x21-\\x7E&&[^,]]+";
    private static final String SASLNAME = "(?:[\\x01-\\x7F&&[^=,]]|=2C|=3D)+";
    private static final String BASE64_CHAR = "[a-zA-Z0-9/+]";
    private static final String BASE64 = "(?:" + BASE64_CHAR + "{4})*(?:" + BASE64_CHAR + "{3}=|" + BASE64_CHAR
            + "{2}==)?";
    private static final String EXTENSIONS = "(,[A-Za-z]+=" + VALUE + ")*";
    private static final Pattern CLIENT_FIRST = Pattern.compile("n,(a=(?<authzid>" + SASLNAME + "))?,"
            + "(?<bare>(m=" + VALUE + ",)?n=(?<saslname>" + SASLNAME + "),r=(?<nonce>" + PRINTABLE + ")" + EXTENSIONS
            + ")");
    private static final Pattern CLIENT_FINAL = Pattern.compile("(?<withoutproof>c=" + BASE64 + ",r=(?<nonce>"
            + PRINTABLE + ")" + EXTENSIONS + "),p=(?<proof>" + BASE64 + ")");

    enum State { RECEIVE_CLIENT_FIRST_MESSAGE, RECEIVE_CLIENT_FINAL_MESSAGE, COMPLETE, FAILED }

    private final ScramMechanism mechanism;
    private final BiFunction<ScramMechanism, String, Optional<ScramCredential>> credentials;
    private final Supplier<String> serverNonces;
    private State state = State.RECEIVE_CLIENT_FIRST_MESSAGE;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private ScramCredential credential;
    private String authorizationId;

    /** @param credentials the credential of a user under a mechanism, if it has one */
    public ScramSaslServer(ScramMechanism mechanism, BiFunction<ScramMechanism, String, Optional<ScramCredential>> credentials,
                           SecureRandom random) {
        this(mechanism, credentials, () -> new BigInteger(130, random).toString(Character.MAX_RADIX)); // as Kafka's
    }

    /** With the server's nonces from {@code serverNonces}: an RFC's test vector fixes its nonce. */
    ScramSaslServer(ScramMechanism mechanism, BiFunction<ScramMechanism, String, Optional<ScramCredential>> credentials,
                    Supplier<String> serverNonces) {
        this.mechanism = mechanism;
        this.credentials = credentials;
        this.serverNonces = serverNonces;
    }

    @Override
    public String mechanism() {
        return mechanism.mechanismName();
    }

    @Override
    public byte[] evaluateResponse(byte[] response) throws SaslException {
        try {
            return switch (state) {
                case RECEIVE_CLIENT_FIRST_MESSAGE -> clientFirst(new String(response, StandardCharsets.UTF_8));
                case RECEIVE_CLIENT_FINAL_MESSAGE -> clientFinal(new String(response, StandardCharsets.UTF_8));
                default -> throw new SaslException("Unexpected challenge in Sasl server state " + state);
            };
        } catch (SaslException e) {
            credential = null;
            state = State.FAILED;
            throw e;
        }
    }

    private byte[] clientFirst(String message) throws SaslException {
        Matcher first = CLIENT_FIRST.matcher(message);
        if (!first.matches()) {
            throw new SaslException("Invalid SCRAM client first message format");
        }
        String username;
        try {
            username = username(first.group("saslname"));
        } catch (IllegalArgumentException e) {
            throw new SaslException("Authentication failed: Credentials could not be obtained");
        }
        credential = credentials.apply(mechanism, username).orElse(null);
        if (credential == null) {
            throw new SaslException("Authentication failed: Invalid user credentials");
        }
        String authzid = first.group("authzid");
        if (authzid != null && !authzid.isEmpty() && !authzid.equals(username)) {
            throw new SaslAuthenticationException(
                    "Authentication failed: Client requested an authorization id that is different from username");
        }
        if (credential.iterations() < ScramMechanism.MIN_ITERATIONS) {
            throw new SaslException("Iterations " + credential.iterations() + " is less than the minimum "
                    + ScramMechanism.MIN_ITERATIONS + " for " + mechanism.mechanismName());
        }
        authorizationId = username;
        clientFirstBare = first.group("bare");
        nonce = first.group("nonce") + serverNonces.get();
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credential.salt()) + ",i="
                + credential.iterations();
        state = State.RECEIVE_CLIENT_FINAL_MESSAGE;
        return serverFirst.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] clientFinal(String message) throws SaslException {
        Matcher last = CLIENT_FINAL.matcher(message);
        if (!last.matches()) {
            throw new SaslException("Invalid SCRAM client final message format");
        }
        if (!last.group("nonce").equals(nonce)) {
            throw new SaslException("Invalid client nonce in the final client message.");
        }
        // tag::proof-check[]
        byte[] authMessage = ScramMechanism.utf8(clientFirstBare + "," + serverFirst + "," + last.group("withoutproof"));
        byte[] clientSignature = mechanism.hmac(credential.storedKey(), authMessage);
        byte[] proof = Base64.getDecoder().decode(last.group("proof"));
        if (proof.length != clientSignature.length
                || !MessageDigest.isEqual(mechanism.hash(ScramMechanism.xor(clientSignature, proof)), credential.storedKey())) {
            throw new SaslException("Invalid client credentials");
        }
        byte[] serverSignature = mechanism.hmac(credential.serverKey(), authMessage);
        credential = null;
        state = State.COMPLETE;
        return ("v=" + Base64.getEncoder().encodeToString(serverSignature)).getBytes(StandardCharsets.UTF_8);
        // end::proof-check[]
    }

    /** A SCRAM name back to the user's: "=2C" is a comma, "=3D" an equals sign, and no other "=" may appear. */
    static String username(String saslName) {
        String commas = saslName.replace("=2C", ",");
        if (commas.replace("=3D", "").indexOf('=') >= 0) {
            throw new IllegalArgumentException("Invalid username: " + saslName);
        }
        return commas.replace("=3D", "=");
    }

    @Override
    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    @Override
    public String authorizationId() {
        if (!isComplete()) {
            throw new IllegalStateException("Authentication exchange has not completed");
        }
        return authorizationId;
    }
}
// end::scram-server[]
