package toykafka.kafka;

import java.util.concurrent.CompletableFuture;
import toykafka.common.Errors;

/**
 * FindCoordinator (key 10), versions 0–2: which broker runs a group's coordinator. Kafka's
 * {@code KafkaApis.handleFindCoordinatorRequest}, which hashes the group id onto a partition of
 * {@code __consumer_offsets} and names that partition's leader. This broker leads every partition, so every
 * group's coordinator is this broker: the answer is the listener Metadata names.
 *
 * <p>v0 asks for a group; v1 and v2 add a key type: 0 for a group, 1 for a transactional id, whose transaction
 * coordinator is this broker's too (Kafka hashes the id onto a partition of {@code __transaction_state}).
 * Any other key type is INVALID_REQUEST, as in Kafka. Versions 3 and up (flexible; from v4 several keys at once)
 * are not served: clients fall back to v2, one group per request.
 * Ignored: throttling (always 0 ms).
 */
final class Api10FindCoordinator extends Api {

    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;

    private final Listener listener;

    Api10FindCoordinator(Listener listener) {
        super(10, "FindCoordinator", 0, 2, 3);
        this.listener = listener;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        String key = in.string("key");
        byte keyType = version >= 1 ? in.int8("key_type") : GROUP;
        String refusal = keyType == GROUP || keyType == TRANSACTION ? null
                : "key type " + keyType + " is neither 0 (a group) nor 1 (a transactional id)";
        request.asked((keyType == GROUP ? "group " : keyType == TRANSACTION ? "transactional id " : "key ") + key);

        ProtocolWriter out = responseWithThrottleTime(request, 1);
        if (refusal != null) {
            request.answered(Errors.INVALID_REQUEST + " (" + refusal + ")");
            out.int16(Errors.INVALID_REQUEST.code());
            if (version >= 1) {
                out.nullableString(refusal);
            }
            return CompletableFuture.completedFuture(out.int32(-1).string("").int32(-1));
        }
        request.answered("broker " + listener.nodeId() + " at " + listener.host() + ":" + listener.port());
        out.int16(Errors.NONE.code());
        if (version >= 1) {
            out.nullableString(null);
        }
        return CompletableFuture.completedFuture(out.int32(listener.nodeId()).string(listener.host())
                .int32(listener.port()));
    }
}
