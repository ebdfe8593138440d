package toykafka.broker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Kafka's JAAS line for PLAIN, read as Kafka's JaasConfig reads it, and PLAIN's one-token exchange over its users. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PlainJaasConfigTest {

    private static final String MODULE = PlainJaasConfig.PLAIN_LOGIN_MODULE;

    @Test
    void the_users_are_the_user_options_and_the_brokers_own_login_is_not_one() {
        PlainJaasConfig config = PlainJaasConfig.parse(MODULE + " required username=\"admin\" password=\"admin-secret\""
                + " user_admin=\"admin-secret\" /* a comment */ user_alice=\"alice-secret\";");
        assertEquals(Set.of("admin", "alice"), config.users());
        assertTrue(config.authenticate("alice", "alice-secret"));
        assertFalse(config.authenticate("alice", "admin-secret"));
        assertFalse(config.authenticate("bob", "alice-secret"));
        assertFalse(config.toString().contains("secret"), "never a password: " + config);
    }

    @Test
    void a_malformed_line_is_refused_in_kafkas_words_and_never_with_a_password() {
        assertEquals("JAAS config entry not terminated by semi-colon", refusal(MODULE + " required user_a=\"s3cret\""));
        assertEquals("Login module control flag not specified in JAAS config", refusal(MODULE));
        assertEquals("Invalid login module control flag 'needed' in JAAS config", refusal(MODULE + " needed user_a=\"x\";"));
        assertEquals("Value not specified for key 'user_a' in JAAS config", refusal(MODULE + " required user_a;"));
        assertEquals("Login module not specified in JAAS config", refusal("  "));
        assertEquals("JAAS config property contains 2 login modules, should be 1 module",
                refusal(MODULE + " required user_a=\"x\"; " + MODULE + " required user_b=\"y\";"));
        assertTrue(refusal("com.example.Other required user_a=\"s3cret\";").contains("must be " + MODULE));
        assertFalse(refusal(MODULE + " required user_a=\"s3cret\"").contains("s3cret"));
    }

    @Test
    void plain_takes_authzid_user_and_password_and_refuses_in_kafkas_words() throws Exception {
        PlainJaasConfig users = PlainJaasConfig.parse(MODULE + " required user_alice=\"alice-secret\";");
        PlainSaslServer good = new PlainSaslServer(users);
        assertEquals(0, good.evaluateResponse(token("\u0000alice\u0000alice-secret")).length);
        assertTrue(good.isComplete());
        assertEquals("alice", good.authorizationId());

        assertEquals("Authentication failed: Invalid username or password", plainRefusal(users, "\u0000alice\u0000wrong"));
        assertEquals("Authentication failed: Invalid username or password", plainRefusal(users, "\u0000bob\u0000alice-secret"));
        assertEquals("Authentication failed: Client requested an authorization id that is different from username",
                plainRefusal(users, "admin\u0000alice\u0000alice-secret"));
        assertEquals("Authentication failed: username not specified", plainRefusal(users, "\u0000\u0000x"));
        assertEquals("Invalid SASL/PLAIN response: expected 3 tokens, got 2", plainRefusal(users, "alice\u0000alice-secret"));
    }

    private static String refusal(String line) {
        return assertThrows(IllegalArgumentException.class, () -> PlainJaasConfig.parse(line)).getMessage();
    }

    private static String plainRefusal(PlainJaasConfig users, String message) {
        return assertThrows(SaslAuthenticationException.class, () -> new PlainSaslServer(users).evaluateResponse(token(message)))
                .getMessage();
    }

    private static byte[] token(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
