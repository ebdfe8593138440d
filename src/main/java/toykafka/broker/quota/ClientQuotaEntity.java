package toykafka.broker.quota;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Whom a quota applies to (Kafka's {@code ClientQuotaEntity}): a user, a client id, or both, each named or the
 * default of its type, which Kafka writes as a null name on the wire and {@code <default>} in its tools. So
 * {@code user=alice}, {@code client-id=<default>} and {@code user=alice, client-id=app} are three entities.
 *
 * @param entries each entity type ({@value #USER}, {@value #CLIENT_ID}) and its name, null for the default
 */
public record ClientQuotaEntity(Map<String, String> entries) {

    public static final String USER = "user";
    public static final String CLIENT_ID = "client-id";
    /** Kafka's connection-rate entity, which this broker does not keep. */
    public static final String IP = "ip";
    /** How Kafka's tools and its precedence order write the default of an entity type. */
    public static final String DEFAULT_NAME = "<default>";

    public ClientQuotaEntity {
        Objects.requireNonNull(entries, "entries");
        entries = Collections.unmodifiableMap(new TreeMap<>(entries)); // "client-id" before "user", always
    }

    /** The entity of these two names; null leaves a type out, {@link #DEFAULT_NAME} stands for its default. */
    public static ClientQuotaEntity of(String user, String clientId) {
        Map<String, String> entries = new TreeMap<>();
        if (user != null) {
            entries.put(USER, user.equals(DEFAULT_NAME) ? null : user);
        }
        if (clientId != null) {
            entries.put(CLIENT_ID, clientId.equals(DEFAULT_NAME) ? null : clientId);
        }
        return new ClientQuotaEntity(entries);
    }

    public boolean hasUser() {
        return entries.containsKey(USER);
    }

    public boolean hasClientId() {
        return entries.containsKey(CLIENT_ID);
    }

    /** As Kafka logs an entity: {@code user=alice, client-id=<default>}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (String type : new String[] {USER, CLIENT_ID}) {
            if (entries.containsKey(type)) {
                String name = entries.get(type);
                text.append(text.isEmpty() ? "" : ", ").append(type).append('=').append(name == null ? DEFAULT_NAME : name);
            }
        }
        return text.isEmpty() ? entries.toString() : text.toString();
    }
}
