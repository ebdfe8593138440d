package toykafka.broker.quota;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.common.Directories;
import toykafka.common.Errors;
import toykafka.common.InvalidConfigurationException;

/**
 * The client quotas set on this broker: for each entity (a user, a client id, both, or their defaults) the keys
 * {@code producer_byte_rate}, {@code consumer_byte_rate}, {@code request_percentage} and {@code
 * controller_mutation_rate}, changed by AlterClientQuotas and read by DescribeClientQuotas and the quota managers.
 * The checks and their messages are Kafka's controller's ({@code ClientQuotaControlManager}).
 *
 * <p>Kafka keeps each change as a {@code ClientQuotaRecord} in its metadata log. This broker keeps them all in one
 * file of its data directory, {@value #FILE}, written whole and renamed over the old one, one line per entity and
 * key, the entity written as the path Kafka's documentation orders quotas by ({@code users/alice/clients/app},
 * names URL-encoded, {@code <default>} for a default). With storage=memory they last until the broker stops.
 * Kafka's {@code ip} entity (connection_creation_rate) is not kept: this broker bounds connections per address
 * with {@code max.connections.per.ip} instead.
 */
public final class ClientQuotaSettings {

    /** The file in the data directory that holds the quotas. */
    public static final String FILE = "client-quotas.properties";

    /** What an alteration did to one entity: NONE, or Kafka's error and message. */
    public record Result(ClientQuotaEntity entity, Errors error, String message) {
    }

    private final Path file; // null: in memory only
    /** The quotas in force, replaced whole on each change so the quota managers read them without a lock. */
    private volatile Map<ClientQuotaEntity, SortedMap<String, Double>> quotas;
    /** {@link #shapesWith} of each quota type, made with each change: a produce asks it every time. */
    private volatile int[] shapes;

    private ClientQuotaSettings(Path file, Map<ClientQuotaEntity, SortedMap<String, Double>> stored) {
        this.file = file;
        this.quotas = Collections.unmodifiableMap(stored);
        this.shapes = shapesOf(stored);
    }

    /** The quotas of {@code dataDir}'s file, none when it has no file yet. */
    public static ClientQuotaSettings open(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        return new ClientQuotaSettings(file, Files.exists(file) ? read(file) : new HashMap<>());
    }

    /** No quotas, kept in memory only. */
    public static ClientQuotaSettings inMemory() {
        return new ClientQuotaSettings(null, new HashMap<>());
    }

    /** The value of {@code type}'s key set on exactly {@code entity}, or null. */
    public Double quota(ClientQuotaEntity entity, QuotaType type) {
        SortedMap<String, Double> values = quotas.get(entity);
        return values == null ? null : values.get(type.key());
    }

    /**
     * Which shapes of entity have a quota of {@code type}, as Kafka's bits: 4 user and client id, 2 user, 1 client
     * id; 0 when none has, and nothing need be measured.
     */
    int shapesWith(QuotaType type) {
        return shapes[type.ordinal()];
    }

    private static int[] shapesOf(Map<ClientQuotaEntity, SortedMap<String, Double>> quotas) {
        int[] shapes = new int[QuotaType.values().length];
        quotas.forEach((entity, values) -> {
            for (QuotaType type : QuotaType.values()) {
                if (values.containsKey(type.key())) {
                    shapes[type.ordinal()] |= entity.hasUser() && entity.hasClientId()
                            ? ClientQuotaManager.USER_CLIENT_ID_QUOTA_ENABLED : entity.hasUser()
                            ? ClientQuotaManager.USER_QUOTA_ENABLED : ClientQuotaManager.CLIENT_ID_QUOTA_ENABLED;
                }
            }
        });
        return shapes;
    }

    /** The entities {@code filter} matches, with their quotas, in a steady order. */
    public List<Map.Entry<ClientQuotaEntity, SortedMap<String, Double>>> describe(ClientQuotaFilter filter) {
        return quotas.entrySet().stream().filter(entry -> filter.matches(entry.getKey()))
                .sorted(Comparator.comparing(entry -> entry.getKey().toString())).toList();
    }

    // tag::alter[]
    /**
     * Makes the alterations as Kafka's controller makes them: each entity checked on its own, the changes of those
     * that pass made together and written down, one result per entity (a second alteration of the same entity is
     * refused, as Kafka refuses it). With {@code validateOnly} nothing changes.
     */
    public synchronized List<Result> alter(List<ClientQuotaAlteration> alterations, boolean validateOnly) {
        Map<ClientQuotaEntity, Result> results = new LinkedHashMap<>();
        Map<ClientQuotaEntity, SortedMap<String, Double>> wanted = new HashMap<>();
        quotas.forEach((entity, values) -> wanted.put(entity, new TreeMap<>(values)));
        for (ClientQuotaAlteration alteration : alterations) {
            ClientQuotaEntity entity = alteration.entity();
            Map<String, Double> ops = new LinkedHashMap<>();
            for (ClientQuotaAlteration.Op op : alteration.ops()) {
                if (ops.containsKey(op.key())) {
                    results.put(entity, refused(entity, "Duplicate quota key " + op.key()
                            + " not updating quota for this entity " + entity));
                } else {
                    ops.put(op.key(), op.value());
                }
            }
            if (results.containsKey(entity)) {
                results.put(entity, refused(entity, "Ignoring duplicate entity " + entity));
                continue;
            }
            String refusal = refusal(entity, ops);
            if (refusal != null) {
                results.put(entity, refused(entity, refusal));
                continue;
            }
            SortedMap<String, Double> values = wanted.computeIfAbsent(entity, key -> new TreeMap<>());
            ops.forEach((key, value) -> {
                if (value == null) {
                    values.remove(key);
                } else {
                    values.put(key, value);
                }
            });
            if (values.isEmpty()) {
                wanted.remove(entity);
            }
            results.put(entity, new Result(entity, Errors.NONE, null));
        }
        if (!validateOnly) {
            write(wanted);
            shapes = shapesOf(wanted); // before the quotas: a reader seeing a new shape finds its quota, or none yet
            quotas = Collections.unmodifiableMap(wanted);
        }
        return List.copyOf(results.values());
    }
    // end::alter[]

    private static Result refused(ClientQuotaEntity entity, String message) {
        return new Result(entity, Errors.INVALID_REQUEST, message);
    }

    /** Why Kafka's controller would refuse these changes to {@code entity}, or null when it would make them. */
    private static String refusal(ClientQuotaEntity entity, Map<String, Double> ops) {
        if (entity.entries().isEmpty()) {
            return "Invalid empty client quota entity";
        }
        for (Map.Entry<String, String> entry : entity.entries().entrySet()) {
            String type = entry.getKey();
            if (type.equals(ClientQuotaEntity.IP)) {
                return "this broker keeps no ip quotas (connection_creation_rate): it bounds connections per address"
                        + " with max.connections.per.ip; quotas are kept for users and client ids";
            }
            if (!type.equals(ClientQuotaEntity.USER) && !type.equals(ClientQuotaEntity.CLIENT_ID)) {
                return "Unhandled client quota entity type: " + type;
            }
            if (entry.getValue() != null && entry.getValue().isEmpty()) {
                return "Empty " + type + " not supported";
            }
        }
        for (Map.Entry<String, Double> op : ops.entrySet()) {
            if (op.getValue() == null) {
                continue; // removing a key never set changes nothing, and is no error
            }
            QuotaType type = QuotaType.withKey(op.getKey());
            if (type == null) {
                return "Invalid configuration key " + op.getKey();
            }
            String refusal = type.refusal(op.getValue());
            if (refusal != null) {
                return refusal;
            }
        }
        return null;
    }

    // ---- the file ----

    /** An entity as a path: users/alice, clients/app, users/alice/clients/<default>. */
    private static String path(ClientQuotaEntity entity) {
        List<String> parts = new ArrayList<>();
        if (entity.hasUser()) {
            parts.add("users/" + sanitize(entity.entries().get(ClientQuotaEntity.USER)));
        }
        if (entity.hasClientId()) {
            parts.add("clients/" + sanitize(entity.entries().get(ClientQuotaEntity.CLIENT_ID)));
        }
        return String.join("/", parts);
    }

    /** A name URL-encoded, as Kafka's Sanitizer does, so the default's {@code <default>} is no name's spelling. */
    private static String sanitize(String name) {
        return name == null ? ClientQuotaEntity.DEFAULT_NAME
                : URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
    }

    private static String desanitize(String text) {
        return text.equals(ClientQuotaEntity.DEFAULT_NAME) ? null : URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private void write(Map<ClientQuotaEntity, SortedMap<String, Double>> wanted) {
        if (file == null) {
            return;
        }
        StringBuilder text = new StringBuilder("# Client quotas set by AlterClientQuotas (kafka-configs --entity-type"
                + " users/clients): one line per entity and key, names URL-encoded, <default> for a default.\n");
        new TreeMap<>(wanted.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                entry -> path(entry.getKey()), Map.Entry::getValue))).forEach((path, values) ->
                values.forEach((key, value) -> text.append(path).append(' ').append(key).append('=')
                        .append(value).append('\n')));
        try {
            Directories.writeAtomically(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e, e);
        }
    }

    private static Map<ClientQuotaEntity, SortedMap<String, Double>> read(Path file) {
        Map<ClientQuotaEntity, SortedMap<String, Double>> quotas = new HashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new InvalidConfigurationException("cannot read the client quotas in " + file + ": " + e.getMessage());
        }
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.trim().split(" ", 2);
            String[] parts = words[0].split("/");
            int equals = words.length < 2 ? -1 : words[1].indexOf('=');
            Map<String, String> entries = new TreeMap<>();
            boolean wellFormed = equals > 0 && (parts.length == 2 || parts.length == 4);
            for (int i = 0; wellFormed && i < parts.length; i += 2) {
                String type = parts[i].equals("users") ? ClientQuotaEntity.USER
                        : parts[i].equals("clients") ? ClientQuotaEntity.CLIENT_ID : null;
                wellFormed = type != null && !entries.containsKey(type);
                if (wellFormed) {
                    entries.put(type, desanitize(parts[i + 1]));
                }
            }
            ClientQuotaEntity entity = new ClientQuotaEntity(entries);
            String key = wellFormed ? words[1].substring(0, equals) : null;
            Double value = null;
            try {
                value = wellFormed ? Double.valueOf(words[1].substring(equals + 1)) : null;
            } catch (NumberFormatException e) {
                wellFormed = false;
            }
            String refusal = wellFormed ? refusal(entity, Map.of(key, value)) : null;
            if (!wellFormed || refusal != null) {
                throw new InvalidConfigurationException(file + " holds '" + line + "', which is not users/<name>,"
                        + " clients/<name> or users/<name>/clients/<name>, a space and key=value"
                        + (refusal == null ? "" : " (" + refusal + ")") + ": correct or remove that line");
            }
            quotas.computeIfAbsent(entity, e -> new TreeMap<>()).put(key, value);
        }
        return quotas;
    }
}
