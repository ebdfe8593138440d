package toykafka.broker.security;

import java.io.IOException;
import java.io.StreamTokenizer;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The users of a PLAIN listener, read from Kafka's JAAS line for {@code PlainLoginModule}, as a broker takes it in
 * {@code listener.name.<listener>.plain.sasl.jaas.config}:
 * {@code <PlainLoginModule's full name> required user_alice="alice-secret";}. Each option
 * {@code user_<name>} is a user and its password (Kafka's {@code PlainServerCallbackHandler}); the broker's own
 * {@code username} and {@code password}, which Kafka uses to connect to other brokers, are taken and unused here.
 * The line is read as Kafka's {@code JaasConfig} reads it (a tokenizer with quoted values, comments allowed), and
 * a malformed one is refused in Kafka's words.
 */
public final class PlainJaasConfig {

    /** The login module's class name as the JAAS line names it: a name only, this broker uses none of Kafka's code. */
    public static final String PLAIN_LOGIN_MODULE = String.join(".", "org", "apache", "kafka", "common", "security",
            "plain", "PlainLoginModule");
    private static final String USER_PREFIX = "user_";
    private static final Set<String> CONTROL_FLAGS = Set.of("REQUIRED", "REQUISITE", "SUFFICIENT", "OPTIONAL");

    private final Map<String, String> passwords;

    private PlainJaasConfig(Map<String, String> passwords) {
        this.passwords = passwords;
    }

    /**
     * The users of the JAAS line.
     *
     * @throws IllegalArgumentException naming what is wrong with the line (never its passwords)
     */
    public static PlainJaasConfig parse(String jaasConfig) {
        StreamTokenizer tokenizer = new StreamTokenizer(new StringReader(jaasConfig));
        tokenizer.slashSlashComments(true);
        tokenizer.slashStarComments(true);
        tokenizer.wordChars('-', '-');
        tokenizer.wordChars('_', '_');
        tokenizer.wordChars('$', '$');
        Map<String, String> options = new LinkedHashMap<>();
        int modules = 0;
        try {
            while (tokenizer.nextToken() != StreamTokenizer.TT_EOF) {
                modules++;
                String module = tokenizer.sval;
                if (!PLAIN_LOGIN_MODULE.equals(module)) {
                    throw new IllegalArgumentException("the login module must be " + PLAIN_LOGIN_MODULE + ", not "
                            + (module == null ? "'" + (char) tokenizer.ttype + "'" : module));
                }
                if (tokenizer.nextToken() == StreamTokenizer.TT_EOF) {
                    throw new IllegalArgumentException("Login module control flag not specified in JAAS config");
                }
                if (tokenizer.sval == null || !CONTROL_FLAGS.contains(tokenizer.sval.toUpperCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("Invalid login module control flag '" + tokenizer.sval
                            + "' in JAAS config");
                }
                while (tokenizer.nextToken() != StreamTokenizer.TT_EOF && tokenizer.ttype != ';') {
                    String key = tokenizer.sval;
                    if (key == null || tokenizer.nextToken() != '=' || tokenizer.nextToken() == StreamTokenizer.TT_EOF
                            || tokenizer.sval == null) {
                        throw new IllegalArgumentException("Value not specified for key '" + key + "' in JAAS config");
                    }
                    options.put(key, tokenizer.sval);
                }
                if (tokenizer.ttype != ';') {
                    throw new IllegalArgumentException("JAAS config entry not terminated by semi-colon");
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Unexpected exception while parsing JAAS config", e);
        }
        if (modules != 1) {
            throw new IllegalArgumentException(modules == 0 ? "Login module not specified in JAAS config"
                    : "JAAS config property contains " + modules + " login modules, should be 1 module");
        }
        Map<String, String> passwords = new LinkedHashMap<>();
        options.forEach((key, value) -> {
            if (key.startsWith(USER_PREFIX) && key.length() > USER_PREFIX.length()) {
                passwords.put(key.substring(USER_PREFIX.length()), value);
            }
        });
        return new PlainJaasConfig(Map.copyOf(passwords));
    }

    /** The users the line names, without their passwords. */
    public Set<String> users() {
        return passwords.keySet();
    }

    /** Whether {@code password} is the user's, compared in constant time so its timing tells nothing. */
    public boolean authenticate(String username, String password) {
        String expected = passwords.get(username);
        return expected != null && java.security.MessageDigest.isEqual(ScramMechanism.utf8(expected),
                ScramMechanism.utf8(password));
    }

    @Override
    public String toString() {
        return "PlainJaasConfig[users=" + users() + "]";
    }
}
