package toykafka.broker.security;

import toykafka.common.EnumLookup;

/**
 * What kind of thing an ACL guards (Kafka's {@code ResourceType}), by the code the ACL APIs carry. UNKNOWN is
 * a code this broker does not know; ANY appears only in filters.
 */
public enum ResourceType {
    UNKNOWN(0), ANY(1), TOPIC(2), GROUP(3), CLUSTER(4), TRANSACTIONAL_ID(5), DELEGATION_TOKEN(6), USER(7);

    private final byte code;

    ResourceType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The type with this code; UNKNOWN for any other, as Kafka's {@code fromCode}. */
    public static ResourceType fromCode(byte code) {
        return EnumLookup.byId(values(), ResourceType::code, code).orElse(UNKNOWN);
    }
}
