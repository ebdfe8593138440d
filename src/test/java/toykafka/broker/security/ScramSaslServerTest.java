package toykafka.broker.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramSaslClient;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * SCRAM's server side against RFC 7677's worked exchange for SHA-256, byte for byte, and against kafka-clients'
 * own SCRAM client and formatter for both mechanisms: Kafka's client accepts our server's signature only if our
 * keys and messages are Kafka's.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ScramSaslServerTest {

    /** RFC 7677, section 3: user "user", password "pencil", salt and nonces as given there. */
    private static final byte[] RFC_SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    private static final String RFC_SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";

    @Test
    void rfc_7677s_exchange_gives_its_server_first_message_and_its_server_signature() throws SaslException {
        toykafka.broker.security.ScramCredential pencil = toykafka.broker.security.ScramCredential.fromPassword(
                ScramMechanism.SCRAM_SHA_256, "pencil", RFC_SALT, 4096);
        ScramSaslServer server = new ScramSaslServer(ScramMechanism.SCRAM_SHA_256,
                (mechanism, user) -> user.equals("user") ? Optional.of(pencil) : Optional.empty(), () -> RFC_SERVER_NONCE);

        String serverFirst = text(server.evaluateResponse(bytes("n,,n=user,r=rOprNGfwEbeRWgbNEkqO")));
        assertEquals("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", serverFirst);
        String serverFinal = text(server.evaluateResponse(bytes("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")));
        assertEquals("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", serverFinal);
        assertTrue(server.isComplete());
        assertEquals("user", server.authorizationId());
    }

    @Test
    void a_proof_one_bit_off_is_refused_without_saying_why() throws SaslException {
        toykafka.broker.security.ScramCredential pencil = toykafka.broker.security.ScramCredential.fromPassword(
                ScramMechanism.SCRAM_SHA_256, "pencil", RFC_SALT, 4096);
        ScramSaslServer server = new ScramSaslServer(ScramMechanism.SCRAM_SHA_256, (m, u) -> Optional.of(pencil),
                () -> RFC_SERVER_NONCE);
        server.evaluateResponse(bytes("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        SaslException refused = assertThrows(SaslException.class, () -> server.evaluateResponse(bytes(
                "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=eHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")));
        assertFalse(refused instanceof SaslAuthenticationException, "the client hears only 'invalid credentials'");
        assertFalse(server.isComplete());
        assertThrows(SaslException.class, () -> server.evaluateResponse(bytes("c=biws")), "a failed exchange stays failed");
    }

    @Test
    void a_replayed_final_message_fails_against_a_new_server_nonce() throws Exception {
        toykafka.broker.security.ScramCredential pencil = toykafka.broker.security.ScramCredential.fromPassword(
                ScramMechanism.SCRAM_SHA_256, "pencil", RFC_SALT, 4096);
        ScramSaslServer server = new ScramSaslServer(ScramMechanism.SCRAM_SHA_256, (m, u) -> Optional.of(pencil),
                new SecureRandom());
        server.evaluateResponse(bytes("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        assertThrows(SaslException.class, () -> server.evaluateResponse(bytes(
                "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")));
    }

    @Test
    void an_authorization_id_other_than_the_user_is_refused_in_words_the_client_hears() {
        toykafka.broker.security.ScramCredential pencil = toykafka.broker.security.ScramCredential.fromPassword(
                ScramMechanism.SCRAM_SHA_256, "pencil", RFC_SALT, 4096);
        ScramSaslServer server = new ScramSaslServer(ScramMechanism.SCRAM_SHA_256, (m, u) -> Optional.of(pencil),
                new SecureRandom());
        SaslException refused = assertThrows(SaslException.class,
                () -> server.evaluateResponse(bytes("n,a=admin,n=user,r=abc")));
        assertInstanceOf(SaslAuthenticationException.class, refused);
        assertEquals("Authentication failed: Client requested an authorization id that is different from username",
                refused.getMessage());
    }

    @Test
    void an_unknown_user_fails_as_a_wrong_password_does() {
        ScramSaslServer server = new ScramSaslServer(ScramMechanism.SCRAM_SHA_512, (m, u) -> Optional.empty(),
                new SecureRandom());
        SaslException refused = assertThrows(SaslException.class, () -> server.evaluateResponse(bytes("n,,n=nobody,r=abc")));
        assertFalse(refused instanceof SaslAuthenticationException);
    }

    @ParameterizedTest
    @EnumSource(ScramMechanism.class)
    void kafkas_formatter_makes_the_same_stored_and_server_keys(ScramMechanism mechanism) throws Exception {
        ScramFormatter kafka = new ScramFormatter(kafkaMechanism(mechanism));
        byte[] salt = kafka.secureRandomBytes();
        byte[] salted = kafka.saltedPassword("alice-secret", salt, 8192);
        assertArrayEquals(salted, mechanism.saltedPassword("alice-secret", salt, 8192), "Hi(password, salt, i)");
        ScramCredential theirs = kafka.generateCredential(salt, salted, 8192);
        toykafka.broker.security.ScramCredential ours = toykafka.broker.security.ScramCredential.fromSaltedPassword(
                mechanism, salt, salted, 8192);
        assertArrayEquals(theirs.storedKey(), ours.storedKey());
        assertArrayEquals(theirs.serverKey(), ours.serverKey());
    }

    @ParameterizedTest
    @EnumSource(ScramMechanism.class)
    void kafkas_own_scram_client_authenticates_and_accepts_our_server_signature(ScramMechanism mechanism) throws Exception {
        toykafka.broker.security.ScramCredential alice = toykafka.broker.security.ScramCredential.fromPassword(
                mechanism, "alice-secret", "some salt".getBytes(StandardCharsets.UTF_8), 4096);
        ScramSaslServer server = new ScramSaslServer(mechanism,
                (m, user) -> user.equals("alice") && m == mechanism ? Optional.of(alice) : Optional.empty(), new SecureRandom());
        ScramSaslClient client = new ScramSaslClient(kafkaMechanism(mechanism), callbacks -> {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    name.setName("alice");
                } else if (callback instanceof PasswordCallback password) {
                    password.setPassword("alice-secret".toCharArray());
                } else {
                    throw new UnsupportedCallbackException(callback);
                }
            }
        });
        byte[] clientFirst = client.evaluateChallenge(new byte[0]);
        byte[] clientFinal = client.evaluateChallenge(server.evaluateResponse(clientFirst));
        client.evaluateChallenge(server.evaluateResponse(clientFinal)); // throws if our signature were wrong
        assertTrue(client.isComplete());
        assertTrue(server.isComplete());
        assertEquals("alice", server.authorizationId());
    }

    @Test
    void a_name_with_commas_and_equals_signs_is_decoded_as_rfc_5802_writes_it() {
        assertEquals("a,b=c", ScramSaslServer.username("a=2Cb=3Dc"));
        assertThrows(IllegalArgumentException.class, () -> ScramSaslServer.username("a=b"));
    }

    private static org.apache.kafka.common.security.scram.internals.ScramMechanism kafkaMechanism(ScramMechanism ours) {
        return org.apache.kafka.common.security.scram.internals.ScramMechanism.forMechanismName(ours.mechanismName());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
