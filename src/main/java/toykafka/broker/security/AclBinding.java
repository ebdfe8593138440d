package toykafka.broker.security;

import java.util.Objects;

/** One ACL (Kafka's {@code AclBinding}): the resources it covers, and the entry that says who may do what there. */
public record AclBinding(ResourcePattern pattern, AccessControlEntry entry) {

    public AclBinding {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(entry, "entry");
    }

    @Override
    public String toString() {
        return "(pattern=" + pattern + ", entry=" + entry + ")";
    }
}
