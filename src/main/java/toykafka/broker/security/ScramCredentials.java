package toykafka.broker.security;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import toykafka.common.Directories;
import toykafka.common.Errors;

/**
 * Every user's SCRAM credentials, by mechanism, as Kafka keeps them: salt, iterations, StoredKey and ServerKey,
 * never a password. AlterUserScramCredentials changes them and DescribeUserScramCredentials lists them, with the
 * checks and errors of Kafka's {@code ScramControlManager} and {@code ScramImage}; a SCRAM login reads them.
 *
 * <p>Kafka keeps them as {@code UserScramCredentialRecord}s in its metadata log. This broker keeps them in one file
 * of its data directory, {@value #FILE}, written whole and renamed over the old one after each change, as {@code
 * DynamicBrokerConfigs} keeps its settings; in memory only for a broker with storage=memory.
 */
public final class ScramCredentials {

    /** The file in the data directory that holds them. */
    public static final String FILE = "scram-credentials.properties";

    /** A credential to remove: the user and the mechanism's type. */
    public record Deletion(String name, byte mechanism) {
    }

    /** A credential to set: the client salted the password itself, so only the salted password arrives. */
    public record Upsertion(String name, byte mechanism, int iterations, byte[] salt, byte[] saltedPassword) {
    }

    /** One user's outcome: NONE, or the error and Kafka's message. */
    public record Result(String user, Errors error, String message) {
    }

    /** One user's credentials as described: a mechanism and its iterations each, or the error. */
    public record Described(String user, Errors error, String message, Map<ScramMechanism, Integer> iterations) {
    }

    private final Path file; // null: in memory only
    private final Map<ScramMechanism, Map<String, ScramCredential>> byMechanism = new EnumMap<>(ScramMechanism.class);

    private ScramCredentials(Path file) {
        this.file = file;
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            byMechanism.put(mechanism, new TreeMap<>());
        }
    }

    /** The credentials in {@code dataDir}'s file, none when it has none yet. */
    public static ScramCredentials open(Path dataDir) {
        ScramCredentials credentials = new ScramCredentials(dataDir.resolve(FILE));
        if (Files.exists(credentials.file)) {
            credentials.read();
        }
        return credentials;
    }

    /** No credentials, kept in memory only. */
    public static ScramCredentials inMemory() {
        return new ScramCredentials(null);
    }

    /** The user's credential under the mechanism, if it has one: what a SCRAM login checks a proof against. */
    public synchronized Optional<ScramCredential> credential(ScramMechanism mechanism, String user) {
        return Optional.ofNullable(byMechanism.get(mechanism).get(user));
    }

    /**
     * Removes and sets credentials, each user at most once per request (else DUPLICATE_RESOURCE), as Kafka's
     * controller does: deletions first, then upsertions, then the users refused, each with Kafka's message, each
     * group in the order of Kafka's hash maps, so the answer lists users as Kafka's does.
     */
    public synchronized List<Result> alter(List<Deletion> deletions, List<Upsertion> upsertions) {
        Map<String, Deletion> toDelete = new HashMap<>();
        Map<String, Upsertion> toUpsert = new HashMap<>();
        Map<String, Result> refused = new HashMap<>();
        for (Deletion deletion : deletions) {
            if (refused.containsKey(deletion.name())) {
                continue;
            }
            if (toDelete.remove(deletion.name()) != null) {
                refused.put(deletion.name(), twice(deletion.name()));
                continue;
            }
            Result error = checkDeletion(deletion);
            if (error != null) {
                refused.put(deletion.name(), error);
            } else {
                toDelete.put(deletion.name(), deletion);
            }
        }
        for (Upsertion upsertion : upsertions) {
            if (refused.containsKey(upsertion.name())) {
                continue;
            }
            if (toDelete.remove(upsertion.name()) != null || toUpsert.remove(upsertion.name()) != null) {
                refused.put(upsertion.name(), twice(upsertion.name()));
                continue;
            }
            Result error = checkUpsertion(upsertion);
            if (error != null) {
                refused.put(upsertion.name(), error);
            } else {
                toUpsert.put(upsertion.name(), upsertion);
            }
        }
        List<Result> results = new ArrayList<>();
        for (Deletion deletion : toDelete.values()) {
            byMechanism.get(ScramMechanism.ofType(deletion.mechanism()).orElseThrow()).remove(deletion.name());
            results.add(new Result(deletion.name(), Errors.NONE, null));
        }
        for (Upsertion upsertion : toUpsert.values()) {
            ScramMechanism mechanism = ScramMechanism.ofType(upsertion.mechanism()).orElseThrow();
            byMechanism.get(mechanism).put(upsertion.name(), ScramCredential.fromSaltedPassword(mechanism,
                    upsertion.salt(), upsertion.saltedPassword(), upsertion.iterations()));
            results.add(new Result(upsertion.name(), Errors.NONE, null));
        }
        results.addAll(refused.values());
        if (!toDelete.isEmpty() || !toUpsert.isEmpty()) {
            write();
        }
        return results;
    }

    private static Result twice(String user) {
        return new Result(user, Errors.DUPLICATE_RESOURCE, "A user credential cannot be altered twice in the same request");
    }

    private Result checkDeletion(Deletion deletion) {
        Result error = checkNameAndMechanism(deletion.name(), deletion.mechanism());
        if (error != null) {
            return error;
        }
        if (!byMechanism.get(ScramMechanism.ofType(deletion.mechanism()).orElseThrow()).containsKey(deletion.name())) {
            return new Result(deletion.name(), Errors.RESOURCE_NOT_FOUND,
                    "Attempt to delete a user credential that does not exist");
        }
        return null;
    }

    private static Result checkUpsertion(Upsertion upsertion) {
        Result error = checkNameAndMechanism(upsertion.name(), upsertion.mechanism());
        if (error != null) {
            return error;
        }
        if (upsertion.iterations() < ScramMechanism.MIN_ITERATIONS) {
            return new Result(upsertion.name(), Errors.UNACCEPTABLE_CREDENTIAL, "Too few iterations");
        }
        if (upsertion.iterations() > ScramMechanism.MAX_ITERATIONS) {
            return new Result(upsertion.name(), Errors.UNACCEPTABLE_CREDENTIAL, "Too many iterations");
        }
        return null;
    }

    private static Result checkNameAndMechanism(String name, byte mechanism) {
        if (name.isEmpty()) {
            return new Result(name, Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty");
        }
        if (ScramMechanism.ofType(mechanism).isEmpty()) {
            return new Result(name, Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism");
        }
        return null;
    }

    /**
     * The users asked for (null or empty: every user with a credential), each with its mechanisms and iterations,
     * as Kafka's {@code ScramImage.describe}: a user asked twice is DUPLICATE_RESOURCE, one with none
     * RESOURCE_NOT_FOUND; users in the order of Kafka's hash map.
     */
    public synchronized List<Described> describe(List<String> users) {
        Map<String, Boolean> asked = new HashMap<>(); // user -> asked more than once
        if (users == null || users.isEmpty()) {
            byMechanism.values().forEach(credentials -> credentials.keySet().forEach(user -> asked.put(user, false)));
        } else {
            users.forEach(user -> asked.put(user, asked.containsKey(user)));
        }
        List<Described> described = new ArrayList<>();
        asked.forEach((user, twice) -> {
            if (twice) {
                described.add(new Described(user, Errors.DUPLICATE_RESOURCE,
                        "Cannot describe SCRAM credentials for the same user twice in a single request: " + user, Map.of()));
                return;
            }
            Map<ScramMechanism, Integer> iterations = new EnumMap<>(ScramMechanism.class);
            byMechanism.forEach((mechanism, credentials) -> {
                ScramCredential credential = credentials.get(user);
                if (credential != null) {
                    iterations.put(mechanism, credential.iterations());
                }
            });
            described.add(iterations.isEmpty() ? new Described(user, Errors.RESOURCE_NOT_FOUND,
                    "Attempt to describe a user credential that does not exist: " + user, Map.of())
                    : new Described(user, Errors.NONE, "", iterations)); // Kafka's default message: empty
        });
        return described;
    }

    private void write() {
        if (file == null) {
            return;
        }
        StringBuilder text = new StringBuilder("# SCRAM credentials (AlterUserScramCredentials):"
                + " <mechanism>.<user>=salt, StoredKey, ServerKey and iterations, never a password\n");
        byMechanism.forEach((mechanism, credentials) -> credentials.forEach((user, credential) -> text
                .append(keyOf(mechanism.mechanismName() + "." + user)).append('=').append(credential.toText())
                .append('\n')));
        try {
            Directories.writeAtomically(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e, e);
        }
    }

    /** A key as a properties file reads it back: a user name may hold any character, a separator too. */
    private static String keyOf(String name) {
        StringBuilder key = new StringBuilder();
        for (char c : name.toCharArray()) {
            switch (c) {
                case '\\', '=', ':', ' ', '#', '!' -> key.append('\\').append(c);
                case '\n' -> key.append("\\n");
                case '\r' -> key.append("\\r");
                case '\t' -> key.append("\\t");
                case '\f' -> key.append("\\f");
                default -> key.append(c);
            }
        }
        return key.toString();
    }

    private void read() {
        Properties stored = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            stored.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the SCRAM credentials in " + file + ": " + e.getMessage(), e);
        }
        for (String key : stored.stringPropertyNames()) {
            int dot = key.indexOf('.');
            Optional<ScramMechanism> mechanism = dot < 0 ? Optional.empty() : ScramMechanism.ofName(key.substring(0, dot));
            if (mechanism.isEmpty()) {
                throw new IllegalArgumentException(file + " holds '" + key + "', which is not <mechanism>.<user> with"
                        + " a mechanism of " + ScramMechanism.names() + ": correct or remove that line");
            }
            try {
                byMechanism.get(mechanism.get()).put(key.substring(dot + 1), ScramCredential.fromText(stored.getProperty(key)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ", '" + key + "': " + e.getMessage(), e);
            }
        }
    }
}
