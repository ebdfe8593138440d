package toykafka.broker.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.Errors;

/** The SCRAM credentials' checks as Kafka's controller makes them, and what the data directory keeps of them. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ScramCredentialsTest {

    private static final byte SHA_256 = ScramMechanism.SCRAM_SHA_256.type();
    private static final byte SHA_512 = ScramMechanism.SCRAM_SHA_512.type();

    @TempDir
    Path dataDir;

    @Test
    void a_credential_set_is_described_by_its_mechanisms_and_iterations_and_survives_a_reopen() throws Exception {
        ScramCredentials credentials = ScramCredentials.open(dataDir);
        assertEquals(List.of(new ScramCredentials.Result("alice", Errors.NONE, null)),
                credentials.alter(List.of(), List.of(upsert("alice", SHA_512, 8192, "alice-secret"))));
        credentials.alter(List.of(), List.of(upsert("alice", SHA_256, 4096, "alice-secret")));

        ScramCredentials reopened = ScramCredentials.open(dataDir);
        assertEquals(List.of(new ScramCredentials.Described("alice", Errors.NONE, "",
                Map.of(ScramMechanism.SCRAM_SHA_256, 4096, ScramMechanism.SCRAM_SHA_512, 8192))), reopened.describe(null));
        ScramCredential kept = reopened.credential(ScramMechanism.SCRAM_SHA_512, "alice").orElseThrow();
        ScramCredential expected = ScramCredential.fromPassword(ScramMechanism.SCRAM_SHA_512, "alice-secret", salt(), 8192);
        assertArrayEquals(expected.storedKey(), kept.storedKey());
        assertArrayEquals(expected.serverKey(), kept.serverKey());

        credentials.alter(List.of(), List.of(upsert("odd = name: #1\\", SHA_256, 4096, "x")));
        assertTrue(ScramCredentials.open(dataDir).credential(ScramMechanism.SCRAM_SHA_256, "odd = name: #1\\").isPresent(),
                "a user name with the file's separators reads back as it was");
        String file = Files.readString(dataDir.resolve(ScramCredentials.FILE));
        assertTrue(file.contains("SCRAM-SHA-512.alice=salt="), "readable as Kafka writes a credential:\n" + file);
        assertFalse(file.contains("alice-secret"), "never the password");
        byte[] salted = ScramMechanism.SCRAM_SHA_512.saltedPassword("alice-secret", salt(), 8192);
        assertFalse(file.contains(java.util.Base64.getEncoder().encodeToString(salted)), "never the salted password");
    }

    @Test
    void refusals_carry_kafkas_errors_and_words() {
        ScramCredentials credentials = ScramCredentials.inMemory();
        List<ScramCredentials.Result> results = credentials.alter(
                List.of(new ScramCredentials.Deletion("ghost", SHA_256), new ScramCredentials.Deletion("", SHA_256)),
                List.of(upsert("few", SHA_256, 4095, "x"), upsert("many", SHA_512, 16385, "x"),
                        upsert("odd", (byte) 9, 4096, "x"), upsert("twice", SHA_256, 4096, "x"),
                        upsert("twice", SHA_512, 4096, "x")));
        assertEquals(Set.of(
                new ScramCredentials.Result("ghost", Errors.RESOURCE_NOT_FOUND, "Attempt to delete a user credential that does not exist"),
                new ScramCredentials.Result("", Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty"),
                new ScramCredentials.Result("few", Errors.UNACCEPTABLE_CREDENTIAL, "Too few iterations"),
                new ScramCredentials.Result("many", Errors.UNACCEPTABLE_CREDENTIAL, "Too many iterations"),
                new ScramCredentials.Result("odd", Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism"),
                new ScramCredentials.Result("twice", Errors.DUPLICATE_RESOURCE,
                        "A user credential cannot be altered twice in the same request")), Set.copyOf(results),
                "in the order of Kafka's hash maps");
        assertTrue(credentials.describe(null).isEmpty(), "nothing was set");

        assertEquals(Set.of(new ScramCredentials.Described("bob", Errors.DUPLICATE_RESOURCE,
                        "Cannot describe SCRAM credentials for the same user twice in a single request: bob", Map.of()),
                new ScramCredentials.Described("carol", Errors.RESOURCE_NOT_FOUND,
                        "Attempt to describe a user credential that does not exist: carol", Map.of())),
                Set.copyOf(credentials.describe(List.of("bob", "carol", "bob"))));
    }

    @Test
    void a_deleted_credential_is_gone_and_its_other_mechanism_stays() {
        ScramCredentials credentials = ScramCredentials.inMemory();
        credentials.alter(List.of(), List.of(upsert("alice", SHA_256, 4096, "a"), upsert("bob", SHA_512, 4096, "b")));
        credentials.alter(List.of(), List.of(upsert("alice", SHA_512, 4096, "a")));
        assertEquals(List.of(new ScramCredentials.Result("alice", Errors.NONE, null)),
                credentials.alter(List.of(new ScramCredentials.Deletion("alice", SHA_256)), List.of()));
        assertTrue(credentials.credential(ScramMechanism.SCRAM_SHA_256, "alice").isEmpty());
        assertTrue(credentials.credential(ScramMechanism.SCRAM_SHA_512, "alice").isPresent());
    }

    private static ScramCredentials.Upsertion upsert(String user, byte mechanism, int iterations, String password) {
        ScramMechanism hashing = ScramMechanism.ofType(mechanism).orElse(ScramMechanism.SCRAM_SHA_256);
        return new ScramCredentials.Upsertion(user, mechanism, iterations, salt(),
                hashing.saltedPassword(password, salt(), iterations));
    }

    private static byte[] salt() {
        return "a salt of sixteen".getBytes(StandardCharsets.UTF_8);
    }
}
