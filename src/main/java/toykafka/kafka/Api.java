package toykafka.kafka;

import java.util.concurrent.CompletableFuture;

/**
 * One of Kafka's APIs as this broker serves it: its key and name, the versions it answers, where its
 * flexible versions begin, and how it answers a request. Each API lives in a file of its own named by its
 * key ({@code Api00Produce}, {@code Api18ApiVersions} …) that opens with the versions it serves and what it
 * ignores; {@link ApiTable} lists them, and ApiVersions answers from that list, so a version is advertised
 * exactly when a class serves it.
 */
abstract class Api {

    private final short key;
    private final String name;
    private final short minVersion;
    private final short maxVersion;
    private final short firstFlexibleVersion;

    /**
     * @param firstFlexibleVersion the first version with compact lengths and tagged fields (Kafka's
     *                             {@code flexibleVersions}); above {@code maxVersion} when none served is
     */
    protected Api(int key, String name, int minVersion, int maxVersion, int firstFlexibleVersion) {
        this.key = (short) key;
        this.name = name;
        this.minVersion = (short) minVersion;
        this.maxVersion = (short) maxVersion;
        this.firstFlexibleVersion = (short) firstFlexibleVersion;
    }

    final short key() {
        return key;
    }

    final String name() {
        return name;
    }

    final short minVersion() {
        return minVersion;
    }

    final short maxVersion() {
        return maxVersion;
    }

    final boolean serves(short version) {
        return version >= minVersion && version <= maxVersion;
    }

    /** Whether this version of the request and response use compact lengths and tagged fields. */
    final boolean flexible(short version) {
        return version >= firstFlexibleVersion;
    }

    /** The response header's version: 1 (with tagged fields) for flexible versions, else 0. */
    short responseHeaderVersion(short version) {
        return (short) (flexible(version) ? 1 : 0);
    }

    /** An empty response body to {@code request}, written as flexible as the request was read. */
    static ProtocolWriter response(Request request) {
        return new ProtocolWriter(request.flexible());
    }

    /**
     * A response body begun with {@code throttle_time_ms}, as most are in every version: how long the client must
     * wait for a quota it went over, 0 within its quotas ({@link Request#throttle}).
     */
    static ProtocolWriter responseWithThrottleTime(Request request) {
        return response(request).throttleTimeMs(request.throttleTimeMs());
    }

    /** As {@link #responseWithThrottleTime(Request)}, for a response with {@code throttle_time_ms} from version {@code since}. */
    static ProtocolWriter responseWithThrottleTime(Request request, int since) {
        return request.version() >= since ? responseWithThrottleTime(request) : response(request);
    }

    /**
     * Answers one request whose version this API serves: reads the body, asks the broker, writes the
     * response body. The future may complete later (a fetch that waits for data) on another thread; its
     * value is null when no response is to be sent (a produce with acks=0). A body that cannot be read
     * throws {@link toykafka.common.InvalidRequestException}, and the connection is closed, as Kafka does.
     */
    abstract CompletableFuture<ProtocolWriter> handle(Request request);

    /**
     * Answers a request for a version this API does not serve. Kafka closes the connection: the client
     * should have chosen from the versions ApiVersions gave it. Only ApiVersions itself answers, since a
     * client asks it before it knows any ranges.
     */
    CompletableFuture<ProtocolWriter> handleUnsupportedVersion(Request request) {
        throw new toykafka.common.InvalidRequestException(name + " version " + request.version()
                + " is not served; this broker serves versions " + minVersion + " to " + maxVersion);
    }

    @Override
    public String toString() {
        return name + " (key " + key + ", v" + minVersion + "-" + maxVersion + ")";
    }
}
