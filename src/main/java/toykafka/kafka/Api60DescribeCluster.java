package toykafka.kafka;

import java.util.concurrent.CompletableFuture;
import toykafka.common.Errors;

/**
 * DescribeCluster (key 60), versions 0–2: {@code Admin.describeCluster}, the cluster id, its controller and
 * its brokers. Kafka's {@code KafkaApis.handleDescribeCluster}. Every version is flexible.
 *
 * <p>This broker is the whole cluster: the one broker listed (no rack; v2's is_fenced false) and the
 * controller. The cluster's authorized operations, when asked for, are those the authorizer allows a principal
 * who may DESCRIBE the cluster (none, 0, to any other), every operation Kafka knows for a cluster when no
 * authorizer is configured ({@link AuthorizedOperations}); else -2147483648, "not requested". v1's endpoint type:
 * this is a broker's port, so a request for any type but brokers (1), such
 * as controllers (2), is answered MISMATCHED_ENDPOINT_TYPE with no brokers, as a Kafka broker answers it.
 * Ignored: v2's include_fenced_brokers (no broker here is fenced).
 */
final class Api60DescribeCluster extends Api {

    private static final byte BROKER_ENDPOINT = 1;

    private final AuthHelper auth;

    Api60DescribeCluster(AuthHelper auth) {
        super(60, "DescribeCluster", 0, 2, 0);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        boolean operations = in.bool("include_cluster_authorized_operations");
        byte endpointType = version >= 1 ? in.int8("endpoint_type") : BROKER_ENDPOINT;
        if (version >= 2) {
            in.bool("include_fenced_brokers");
        }
        in.taggedFields("DescribeClusterRequest");
        request.asked(operations ? "the cluster, with authorized operations" : "the cluster");

        ProtocolWriter out = responseWithThrottleTime(request);
        if (endpointType != BROKER_ENDPOINT) {
            request.answered(Errors.MISMATCHED_ENDPOINT_TYPE.toString());
            out.int16(Errors.MISMATCHED_ENDPOINT_TYPE.code()).nullableString("endpoint type " + endpointType
                    + " was asked for, but this is a broker's port (endpoint type 1): it lists brokers, not controllers")
                    .int8(BROKER_ENDPOINT).string("").int32(-1).arrayLength(0);
            return CompletableFuture.completedFuture(out.int32(AuthorizedOperations.NOT_REQUESTED).taggedFields());
        }
        Listener listener = request.listener(); // the address of the listener the client came in on
        request.answered("cluster " + listener.clusterId() + ", " + listener.describeNode() + ", the controller");
        out.int16(Errors.NONE.code()).nullableString(null);
        if (version >= 1) {
            out.int8(BROKER_ENDPOINT);
        }
        out.string(listener.clusterId()).int32(listener.nodeId()); // the controller: this broker
        listener.writeNode(out.arrayLength(1)).nullableString(null); // rack
        if (version >= 2) {
            out.bool(false); // fenced
        }
        out.taggedFields();
        out.int32(AuthorizedOperations.cluster(operations, auth, request));
        return CompletableFuture.completedFuture(out.taggedFields());
    }
}
