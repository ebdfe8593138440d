package toykafka.broker.security;

import java.util.Objects;

/**
 * The resources an ACL covers (Kafka's {@code ResourcePattern}): a type, a name and how the name is read. A
 * LITERAL {@code *} covers every resource of its type; a PREFIXED name, every resource whose name starts with it.
 */
public record ResourcePattern(ResourceType resourceType, String name, PatternType patternType) {

    /** The literal name that stands for every resource of a type. */
    public static final String WILDCARD_RESOURCE = "*";
    /** The one name the CLUSTER resource has. */
    public static final String CLUSTER_NAME = "kafka-cluster";

    public ResourcePattern {
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(patternType, "patternType");
    }

    /** The one resource an action is on: a literal name. */
    public static ResourcePattern literal(ResourceType type, String name) {
        return new ResourcePattern(type, name, PatternType.LITERAL);
    }

    /** Whether this pattern covers the resource {@code type} named {@code resource}. */
    boolean covers(ResourceType type, String resource) {
        if (type != resourceType) {
            return false;
        }
        return switch (patternType) {
            case LITERAL -> name.equals(resource) || name.equals(WILDCARD_RESOURCE);
            case PREFIXED -> resource.startsWith(name);
            default -> false;
        };
    }

    @Override
    public String toString() {
        return "ResourcePattern(resourceType=" + resourceType + ", name=" + name + ", patternType=" + patternType + ")";
    }
}
