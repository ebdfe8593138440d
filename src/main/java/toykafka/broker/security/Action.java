package toykafka.broker.security;

import java.util.Objects;

/** What a request wants to do to one resource (Kafka's {@code Action}): an operation on a literal resource. */
public record Action(AclOperation operation, ResourcePattern resourcePattern) {

    public Action {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(resourcePattern, "resourcePattern");
        if (resourcePattern.patternType() != PatternType.LITERAL) { // as Kafka's authorizer refuses one
            throw new IllegalArgumentException("Only literal resources are supported. Got: "
                    + resourcePattern.patternType());
        }
    }

    /** {@code operation} on the resource {@code type} named {@code name}. */
    public static Action on(AclOperation operation, ResourceType type, String name) {
        return new Action(operation, ResourcePattern.literal(type, name));
    }
}
