package toykafka.broker.security;

import java.util.Set;
import toykafka.common.EnumLookup;

/**
 * What a principal does to a resource (Kafka's {@code AclOperation}), by the code the ACL APIs carry and the bit
 * the describe APIs' authorized operations set (KIP-430). ALL in an ACL stands for every operation; ANY appears only
 * in filters.
 */
public enum AclOperation {
    UNKNOWN(0), ANY(1), ALL(2), READ(3), WRITE(4), CREATE(5), DELETE(6), ALTER(7), DESCRIBE(8), CLUSTER_ACTION(9),
    DESCRIBE_CONFIGS(10), ALTER_CONFIGS(11), IDEMPOTENT_WRITE(12), CREATE_TOKENS(13), DESCRIBE_TOKENS(14),
    TWO_PHASE_COMMIT(15);

    /** The operations whose ALLOW also allows DESCRIBE: who may use a resource may see it. */
    static final Set<AclOperation> IMPLY_DESCRIBE = Set.of(DESCRIBE, READ, WRITE, DELETE, ALTER);
    /** The operations whose ALLOW also allows DESCRIBE_CONFIGS. */
    static final Set<AclOperation> IMPLY_DESCRIBE_CONFIGS = Set.of(DESCRIBE_CONFIGS, ALTER_CONFIGS);

    private final byte code;

    AclOperation(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The operation with this code; UNKNOWN for any other. */
    public static AclOperation fromCode(byte code) {
        return EnumLookup.byId(values(), AclOperation::code, code).orElse(UNKNOWN);
    }
}
