package toykafka.broker.security;

import toykafka.common.EnumLookup;

/** Whether an ACL allows or denies (Kafka's {@code AclPermissionType}); ANY appears only in filters. */
public enum AclPermissionType {
    UNKNOWN(0), ANY(1), DENY(2), ALLOW(3);

    private final byte code;

    AclPermissionType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The type with this code; UNKNOWN for any other. */
    public static AclPermissionType fromCode(byte code) {
        return EnumLookup.byId(values(), AclPermissionType::code, code).orElse(UNKNOWN);
    }
}
