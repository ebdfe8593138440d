package toykafka.broker.quota;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.InvalidRequestException;

/**
 * Which entities a DescribeClientQuotas asks for (Kafka's {@code ClientQuotaFilter}): components, each an entity type
 * matched by an exact name, by its default, or by any name given; with {@code strict}, an entity with any other type
 * is left out. Kafka's broker reads it in {@code ClientQuotasImage.describe}; its checks and messages are these.
 */
public final class ClientQuotaFilter {

    public static final byte MATCH_TYPE_EXACT = 0;
    public static final byte MATCH_TYPE_DEFAULT = 1;
    public static final byte MATCH_TYPE_SPECIFIED = 2;

    /** One component: an entity type, how its name is matched, and the name for an exact match. */
    public record Component(String entityType, byte matchType, String match) {
    }

    private final Map<String, String> exactMatch = new HashMap<>();
    private final Set<String> typeMatch = new HashSet<>();
    private final boolean strict;

    /** An entity type Kafka's broker knows not: Kafka answers UNSUPPORTED_VERSION. */
    public static final class UnsupportedEntityTypeException extends ApiException {
        UnsupportedEntityTypeException(String message) {
            super(Errors.UNSUPPORTED_VERSION, message);
        }
    }

    /** The filter of these components, refused as Kafka refuses it. */
    public ClientQuotaFilter(List<Component> components, boolean strict) {
        this.strict = strict;
        for (Component component : components) {
            String type = component.entityType();
            if (type.isEmpty()) {
                throw new InvalidRequestException("Invalid empty entity type.");
            } else if (exactMatch.containsKey(type) || typeMatch.contains(type)) {
                throw new InvalidRequestException("Entity type " + type + " cannot appear more than once in the filter.");
            }
            if (!type.equals(ClientQuotaEntity.IP) && !type.equals(ClientQuotaEntity.USER)
                    && !type.equals(ClientQuotaEntity.CLIENT_ID)) {
                throw new UnsupportedEntityTypeException("Unsupported entity type " + type);
            }
            switch (component.matchType()) {
                case MATCH_TYPE_EXACT -> {
                    if (component.match() == null) {
                        throw new InvalidRequestException("Request specified MATCH_TYPE_EXACT, but set match string to null.");
                    }
                    exactMatch.put(type, component.match());
                }
                case MATCH_TYPE_DEFAULT -> {
                    if (component.match() != null) {
                        throw new InvalidRequestException("Request specified MATCH_TYPE_DEFAULT, but also specified a match string.");
                    }
                    exactMatch.put(type, null);
                }
                case MATCH_TYPE_SPECIFIED -> {
                    if (component.match() != null) {
                        throw new InvalidRequestException("Request specified MATCH_TYPE_SPECIFIED, but also specified a match string.");
                    }
                    typeMatch.add(type);
                }
                default -> throw new InvalidRequestException("Unknown match type " + component.matchType());
            }
        }
        boolean ip = exactMatch.containsKey(ClientQuotaEntity.IP) || typeMatch.contains(ClientQuotaEntity.IP);
        boolean userOrClient = exactMatch.containsKey(ClientQuotaEntity.USER) || typeMatch.contains(ClientQuotaEntity.USER)
                || exactMatch.containsKey(ClientQuotaEntity.CLIENT_ID) || typeMatch.contains(ClientQuotaEntity.CLIENT_ID);
        if (ip && userOrClient) {
            throw new InvalidRequestException("Invalid entity filter component combination. IP filter component should"
                    + " not be used with user or clientId filter component.");
        }
    }

    /** Whether {@code entity} passes: every component matches, and with strict it has no other type. */
    public boolean matches(ClientQuotaEntity entity) {
        Map<String, String> entries = entity.entries();
        if (strict && entries.size() != exactMatch.size() + typeMatch.size()) {
            return false;
        }
        for (Map.Entry<String, String> wanted : exactMatch.entrySet()) {
            if (!entries.containsKey(wanted.getKey()) || !Objects.equals(entries.get(wanted.getKey()), wanted.getValue())) {
                return false;
            }
        }
        return entries.keySet().containsAll(typeMatch);
    }
}
