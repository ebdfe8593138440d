package toykafka.kafka;

import java.util.List;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;

/**
 * The authorized operations a client may ask the describe APIs for (KIP-430): a bit field with bit n set when the
 * operation with code n ({@code AclOperation}) is allowed, of those Kafka's ACLs know for that kind of resource
 * ({@code AclEntry.supportedOperations}). {@link AuthHelper#authorizedOperations} asks the authorizer about each;
 * with none, Kafka answers them all.
 */
final class AuthorizedOperations {

    /** Kafka's value when the client did not ask. */
    static final int NOT_REQUESTED = Integer.MIN_VALUE;

    private static final List<AclOperation> TOPIC_OPERATIONS = List.of(AclOperation.READ, AclOperation.WRITE,
            AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.DELETE, AclOperation.ALTER,
            AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
    private static final List<AclOperation> GROUP_OPERATIONS = List.of(AclOperation.READ, AclOperation.DESCRIBE,
            AclOperation.DELETE, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
    private static final List<AclOperation> CLUSTER_OPERATIONS = List.of(AclOperation.CREATE,
            AclOperation.CLUSTER_ACTION, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS,
            AclOperation.IDEMPOTENT_WRITE, AclOperation.ALTER, AclOperation.DESCRIBE);
    private static final List<AclOperation> TRANSACTIONAL_ID_OPERATIONS = List.of(AclOperation.DESCRIBE,
            AclOperation.WRITE, AclOperation.TWO_PHASE_COMMIT);

    /** A topic's: READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS and ALTER_CONFIGS. */
    static final int TOPIC = bits(TOPIC_OPERATIONS);
    /** The cluster's: CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE. */
    static final int CLUSTER = bits(CLUSTER_OPERATIONS);
    /** A group's: READ, DELETE, DESCRIBE, and DESCRIBE_CONFIGS and ALTER_CONFIGS since groups have configs. */
    static final int GROUP = bits(GROUP_OPERATIONS);

    private AuthorizedOperations() {
    }

    /** The operations Kafka's ACLs know for a resource type. */
    static List<AclOperation> supported(ResourceType type) {
        return switch (type) {
            case TOPIC -> TOPIC_OPERATIONS;
            case GROUP -> GROUP_OPERATIONS;
            case CLUSTER -> CLUSTER_OPERATIONS;
            case TRANSACTIONAL_ID -> TRANSACTIONAL_ID_OPERATIONS;
            default -> throw new IllegalArgumentException("Not a concrete resource type: " + type);
        };
    }

    /** What to answer: the resource's operations when asked for, else "not requested". */
    static int answer(boolean requested, int operations) {
        return requested ? operations : NOT_REQUESTED;
    }

    /** What to answer of the resource {@code type} named {@code name}: from the authorizer, when asked for. */
    static int answer(boolean requested, AuthHelper auth, Request request, ResourceType type, String name) {
        return requested ? auth.authorizedOperations(request, type, name) : NOT_REQUESTED;
    }

    /**
     * The cluster's, when asked for, as Metadata and DescribeCluster answer them: those the authorizer allows to a
     * principal who may DESCRIBE the cluster, and none (0) to any other.
     */
    static int cluster(boolean requested, AuthHelper auth, Request request) {
        if (!requested) {
            return NOT_REQUESTED;
        }
        return auth.authorize(request, AclOperation.DESCRIBE, ResourceType.CLUSTER, ResourcePattern.CLUSTER_NAME)
                ? auth.authorizedOperations(request, ResourceType.CLUSTER, ResourcePattern.CLUSTER_NAME) : 0;
    }

    private static int bits(List<AclOperation> operations) {
        int field = 0;
        for (AclOperation operation : operations) {
            field |= 1 << operation.code();
        }
        return field;
    }
}
