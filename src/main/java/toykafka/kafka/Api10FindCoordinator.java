package toykafka.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.common.Errors;
import toykafka.common.TopicId;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;

/**
 * FindCoordinator (key 10), versions 0–6: which broker runs a group's coordinator. Kafka's
 * {@code KafkaApis.handleFindCoordinatorRequest}, which hashes the group id onto a partition of
 * {@code __consumer_offsets} and names that partition's leader. This broker leads every partition, so every
 * group's coordinator is this broker: the answer is the listener Metadata names.
 *
 * <p>v0 asks for a group; v1 adds a key type: 0 for a group, 1 for a transactional id, whose transaction
 * coordinator is this broker's too (Kafka hashes the id onto a partition of {@code __transaction_state}).
 * v3 is flexible. From v4 a request names several keys of one type and each gets its own answer and error.
 * v5 only lets the broker answer TRANSACTION_ABORTABLE, which this one never needs. v6 adds type 2, a share
 * partition's state ("group:topicId:partition"), which this broker keeps too; Kafka refuses that type below v6,
 * and a key not of that shape, with INVALID_REQUEST, as it refuses any other type. With an authorizer a group's key
 * needs DESCRIBE on the group (else GROUP_AUTHORIZATION_FAILED), a transactional id's DESCRIBE on it (else
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED), and a share partition's CLUSTER_ACTION, as Kafka's {@code getCoordinator}
 * asks.
 */
final class Api10FindCoordinator extends Api {

    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;
    private static final byte SHARE = 2;

    private final AuthHelper auth;

    /** Why a key is not looked up: Kafka's error and its message. */
    private record Refusal(Errors error, String message) {
        static Refusal invalid(String message) {
            return message == null ? null : new Refusal(Errors.INVALID_REQUEST, message);
        }
    }

    Api10FindCoordinator(AuthHelper auth) {
        super(10, "FindCoordinator", 0, 6, 3);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        String key = version <= 3 ? in.string("key") : null;
        byte keyType = version >= 1 ? in.int8("key_type") : GROUP;
        List<String> keys = version >= 4 ? in.array("coordinator_keys", each -> each.string("coordinator_key"))
                : List.of(key);
        in.taggedFields("FindCoordinatorRequest");
        request.asked(keyName(keyType) + String.join(", ", keys));

        ProtocolWriter out = responseWithThrottleTime(request, 1);
        if (version <= 3) {
            request.answered(answer(request.listener(), version, out, refusal(request, keyType, key)));
            return CompletableFuture.completedFuture(out.taggedFields());
        }
        List<String> answers = new ArrayList<>();
        out.array(keys, (each, coordinatorKey) -> {
            each.string(coordinatorKey);
            String said = answer(request.listener(), version, each, refusal(request, keyType, coordinatorKey));
            answers.add(keys.size() == 1 ? said : coordinatorKey + ": " + said);
            each.taggedFields();
        });
        request.answered(String.join("; ", answers));
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    /**
     * Writes the answer for one key, in the order of its version's fields (v4+ puts the error after the node),
     * and says it in words.
     */
    private static String answer(Listener listener, short version, ProtocolWriter out, Refusal refusal) {
        short error = (refusal == null ? Errors.NONE : refusal.error()).code();
        String message = refusal == null ? null : refusal.message();
        if (version <= 3) {
            out.int16(error);
            if (version >= 1) {
                out.nullableString(message);
            }
        }
        if (refusal != null) {
            out.int32(-1).string("").int32(-1);
        } else {
            listener.writeNode(out);
        }
        if (version >= 4) {
            out.int16(error).nullableString(message);
        }
        return refusal != null ? refusal.error() + " (" + message + ")" : listener.describeNode();
    }

    /**
     * Why this key cannot be looked up, or null when it can: as Kafka's {@code getCoordinator}, a group needs
     * DESCRIBE on it, a transactional id DESCRIBE on it, and a share partition's state CLUSTER_ACTION (only brokers
     * ask for it).
     */
    private Refusal refusal(Request request, byte keyType, String key) {
        if (keyType == GROUP && !auth.authorize(request, AclOperation.DESCRIBE, ResourceType.GROUP, key)) {
            return new Refusal(Errors.GROUP_AUTHORIZATION_FAILED, "Group authorization failed.");
        }
        if (keyType == TRANSACTION && !auth.authorize(request, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID,
                key)) {
            return new Refusal(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, "Transactional Id authorization failed.");
        }
        if (keyType == SHARE && request.version() >= 6 && !auth.authorize(request, AclOperation.CLUSTER_ACTION,
                ResourceType.CLUSTER, ResourcePattern.CLUSTER_NAME)) {
            return new Refusal(Errors.CLUSTER_AUTHORIZATION_FAILED, "Cluster authorization failed.");
        }
        return Refusal.invalid(invalidity(request.version(), keyType, key));
    }

    /** Why this key is not one Kafka looks up, or null when it is. */
    private static String invalidity(short version, byte keyType, String key) {
        if (keyType == GROUP || keyType == TRANSACTION) {
            return null;
        }
        if (keyType != SHARE) {
            return "key type " + keyType + " is neither 0 (a group), 1 (a transactional id) nor 2 (a share partition)";
        }
        if (version < 6) {
            return "key type 2 (a share partition) needs version 6 or later, not " + version;
        }
        return shareKeyRefusal(key);
    }

    /** A share partition's key is "group:topicId:partition", as Kafka's SharePartitionKey reads it. */
    private static String shareKeyRefusal(String key) {
        String[] parts = key.split(":", -1);
        String shape = "share partition key '" + key + "' is not group:topicId:partition";
        if (parts.length != 3 || parts[0].isEmpty()) {
            return shape;
        }
        try {
            TopicId.parse(parts[1]);
            Integer.parseInt(parts[2]);
            return null;
        } catch (IllegalArgumentException e) {
            return shape + " (" + e.getMessage() + ")";
        }
    }

    private static String keyName(byte keyType) {
        return keyType == GROUP ? "group " : keyType == TRANSACTION ? "transactional id " : keyType == SHARE
                ? "share partition " : "key ";
    }
}
