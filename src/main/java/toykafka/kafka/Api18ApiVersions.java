package toykafka.kafka;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.config.FinalizedFeatures;
import toykafka.common.Errors;

// tag::api-versions[]
/**
 * ApiVersions (key 18), versions 0–5: the handshake every client starts a connection with. The answer
 * lists each API this broker serves with its lowest and highest version, read from the {@link ApiTable},
 * and the client then uses, for each API, the highest version both sides know.
 *
 * <p>Versions 3 and up are flexible. A version above 5 (a newer client) is answered in version 0's body
 * with UNSUPPORTED_VERSION and the ranges, which every version can read, so the client retries with one
 * we serve. The response header is always version 0, even for flexible versions: a client must read it
 * before it knows which versions the broker speaks. Ignored: the client's software name and version
 * (v3+). From v3 the answer carries the {@link Features} this broker
 * implements, in tagged fields, which is how {@code kafka-features describe} learns them (Kafka has no
 * DescribeFeatures API: {@code Admin.describeFeatures} sends ApiVersions), at the levels and epoch UpdateFeatures
 * last left them.
 *
 * <p>Version 5 (KIP-1242) lets a client name the cluster and node it means to reach ({@code cluster_id},
 * {@code node_id}): a client whose bootstrap address now leads to another broker. When it gives a cluster id and
 * either differs from this broker's, the answer is REBOOTSTRAP_REQUIRED with no APIs and no features, as Kafka's
 * {@code KafkaApis} answers it, and the client looks up its brokers again. A null cluster id checks nothing.
 */
final class Api18ApiVersions extends Api {

    /** The first version that names the cluster and node the client means to reach. */
    private static final short FIRST_CLUSTER_CHECK_VERSION = 5;

    private final ApiTable apis;
    Api18ApiVersions(ApiTable apis) {
        super(18, "ApiVersions", 0, 5, 3);
        this.apis = apis;
    }

    @Override
    short responseHeaderVersion(short version) {
        return 0;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        if (request.version() >= 3) {
            String software = request.body().string("client software name");
            String softwareVersion = request.body().string("client software version");
            String clusterId = null;
            int nodeId = -1;
            if (request.version() >= FIRST_CLUSTER_CHECK_VERSION) {
                clusterId = request.body().nullableString("cluster_id");
                nodeId = request.body().int32("node_id");
            }
            request.body().taggedFields("ApiVersionsRequest");
            request.asked(software + " " + softwareVersion + (clusterId == null ? ""
                    : ", for cluster " + clusterId + " node " + nodeId));
            Listener listener = request.listener();
            if (clusterId != null && (!Objects.equals(clusterId, listener.clusterId()) || nodeId != listener.nodeId())) {
                return CompletableFuture.completedFuture(rebootstrap(request, clusterId, nodeId));
            }
        }
        return CompletableFuture.completedFuture(answer(Errors.NONE, request.version(), request));
    }

    /** Kafka's error response: the error and throttle time, no APIs, and none of the features' tagged fields. */
    private ProtocolWriter rebootstrap(Request request, String clusterId, int nodeId) {
        request.answered(Errors.REBOOTSTRAP_REQUIRED + ": asked for cluster " + clusterId + " node " + nodeId
                + ", this is cluster " + request.listener().clusterId() + " node " + request.listener().nodeId());
        return new ProtocolWriter(true).int16(Errors.REBOOTSTRAP_REQUIRED.code()).arrayLength(0).int32(0)
                .taggedFields();
    }

    @Override
    CompletableFuture<ProtocolWriter> handleUnsupportedVersion(Request request) {
        request.asked("version " + request.version() + ", newer than this broker's " + minVersion() + "-" + maxVersion());
        return CompletableFuture.completedFuture(answer(Errors.UNSUPPORTED_VERSION, (short) 0, request));
    }

    /** The answer in {@code version}'s body: for a version not served, version 0's, not flexible as the request's. */
    private ProtocolWriter answer(Errors error, short version, Request request) {
        ProtocolWriter out = new ProtocolWriter(flexible(version)).int16(error.code());
        out.array(apis.all().stream().toList(), (w, api) -> w.int16(api.key()).int16(api.minVersion())
                .int16(api.maxVersion()).taggedFields());
        if (version >= 1) {
            out.throttleTimeMs(request.throttleTimeMs());
        }
        if (version >= 3) {
            writeFeatures(out, version);
        } else {
            out.taggedFields();
        }
        request.answered(error + ", " + apis.all().size() + " apis");
        return out;
    }

    /** The features, as tagged fields 0 (supported), 1 (finalized epoch) and 2 (finalized), in tag order. */
    private void writeFeatures(ProtocolWriter out, short version) {
        FinalizedFeatures.Levels levels = (apis.find(Api57UpdateFeatures.KEY) instanceof Api57UpdateFeatures update
                ? update.levels() : FinalizedFeatures.inMemory()).levels();
        Map<String, Short> changed = levels.changed();
        long epoch = levels.epoch();
        out.unsignedVarint(3)
                .taggedField(0, supported -> supported.array(Features.supported(version), (w, feature) ->
                        w.string(feature.name()).int16(feature.min()).int16(feature.max()).taggedFields()))
                .taggedField(1, w -> w.int64(epoch))
                .taggedField(2, finalized -> finalized.array(Features.finalized(changed), (w, feature) ->
                        w.string(feature.name()).int16(feature.finalized()).int16(feature.finalized()).taggedFields()));
    }
}
// end::api-versions[]
