package toykafka.broker.security;

import toykafka.common.EnumLookup;

/**
 * How an ACL's resource name is read (Kafka's {@code PatternType}): LITERAL, the name itself (or {@code *}, every
 * name); PREFIXED, every name that starts with it. ANY and MATCH appear only in filters: ANY, a pattern of any type
 * with exactly this name; MATCH, every pattern that covers this name.
 */
public enum PatternType {
    UNKNOWN(0), ANY(1), MATCH(2), LITERAL(3), PREFIXED(4);

    private final byte code;

    PatternType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The type with this code; UNKNOWN for any other. */
    public static PatternType fromCode(byte code) {
        return EnumLookup.byId(values(), PatternType::code, code).orElse(UNKNOWN);
    }

    /** Whether a binding may have it: only LITERAL and PREFIXED name a pattern; the others are filters'. */
    public boolean isSpecific() {
        return this == LITERAL || this == PREFIXED;
    }
}
