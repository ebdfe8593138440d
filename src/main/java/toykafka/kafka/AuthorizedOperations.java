package toykafka.kafka;

/**
 * The authorized operations a client may ask Metadata and DescribeCluster for: a bit field with bit n set
 * when the operation with code n ({@code AclOperation}) is allowed. This broker has no authorizer, and Kafka
 * without one answers every operation its ACLs know for that kind of resource ({@code AuthHelper
 * .authorizedOperations} with {@code AclEntry.supportedOperations}), so these are fixed.
 */
final class AuthorizedOperations {

    /** Kafka's value when the client did not ask. */
    static final int NOT_REQUESTED = Integer.MIN_VALUE;

    private static final int CREATE = 5;
    private static final int ALTER = 7;
    private static final int DESCRIBE = 8;
    private static final int DESCRIBE_CONFIGS = 10;
    private static final int ALTER_CONFIGS = 11;

    /** A topic's: READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS and ALTER_CONFIGS. */
    static final int TOPIC = bits(3, 4, CREATE, 6, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS);
    /** The cluster's: CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE. */
    static final int CLUSTER = bits(CREATE, ALTER, DESCRIBE, 9, DESCRIBE_CONFIGS, ALTER_CONFIGS, 12);

    /** A group's: READ, DELETE, DESCRIBE, and DESCRIBE_CONFIGS and ALTER_CONFIGS since groups have configs. */
    static final int GROUP = bits(3, 6, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS);

    private AuthorizedOperations() {
    }

    /** What to answer: the resource's operations when asked for, else "not requested". */
    static int answer(boolean requested, int operations) {
        return requested ? operations : NOT_REQUESTED;
    }

    private static int bits(int... codes) {
        int field = 0;
        for (int code : codes) {
            field |= 1 << code;
        }
        return field;
    }
}
