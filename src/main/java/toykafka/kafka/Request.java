package toykafka.kafka;

import java.nio.ByteBuffer;
import java.util.function.Supplier;
import toykafka.broker.security.KafkaPrincipal;

/**
 * One request as an API's handler sees it: the header, the body still to read, and who sent it. A
 * handler says in a few words what it was asked and what it answered, for {@code --trace}.
 */
final class Request {

    private final RequestHeader header;
    private final ProtocolReader body;
    private final boolean flexible;
    private final String peer;
    private final String connectionId;
    private final KafkaPrincipal principal;
    private final Listener listener;
    private final SaslServerAuthenticator sasl;
    private final int sizeInBytes;
    /** How long the client must wait before its next request, for a quota it went over; 0 within quota. */
    private volatile int throttleTimeMs;
    private Supplier<String> asked = () -> "";
    private Supplier<String> answered = () -> "";

    Request(RequestHeader header, ByteBuffer body, boolean flexible, String peer, String connectionId,
            KafkaPrincipal principal, Listener listener, SaslServerAuthenticator sasl, int sizeInBytes) {
        this.header = header;
        this.body = new ProtocolReader(body, flexible);
        this.flexible = flexible;
        this.peer = peer;
        this.connectionId = connectionId;
        this.principal = principal;
        this.listener = listener;
        this.sasl = sasl;
        this.sizeInBytes = sizeInBytes;
    }

    RequestHeader header() {
        return header;
    }

    short version() {
        return header.apiVersion();
    }

    /** The body still to read, by a reader that knows whether this version is flexible. */
    ProtocolReader body() {
        return body;
    }

    /** Whether this version uses compact lengths and tagged fields. */
    boolean flexible() {
        return flexible;
    }

    /** The client's address, host:port. */
    String peer() {
        return peer;
    }

    /** The connection it came on, by an id no other connection has had. */
    String connectionId() {
        return connectionId;
    }

    /** Who sent it, as its connection authenticated: {@code User:ANONYMOUS} on a listener without SASL or TLS. */
    KafkaPrincipal principal() {
        return principal;
    }

    /** The listener it came in on: the answers that name brokers give that listener's advertised address. */
    Listener listener() {
        return listener;
    }

    /** Its connection's SASL authentication, or null on a listener without SASL. */
    SaslServerAuthenticator sasl() {
        return sasl;
    }

    /** The request's size, header and body, as a produce quota counts it (Kafka's {@code request.sizeInBytes}). */
    int sizeInBytes() {
        return sizeInBytes;
    }

    /**
     * The client went over a quota: its answer says to wait {@code ms} ({@code throttle_time_ms}), and its connection
     * reads nothing more until then. The longest of several throttles holds.
     */
    void throttle(int ms) {
        throttleTimeMs = Math.max(throttleTimeMs, ms);
    }

    /** The throttle time the answer carries: 0 unless a quota was exceeded. */
    int throttleTimeMs() {
        return throttleTimeMs;
    }

    /** The client's address as Kafka's group coordinator shows it in DescribeGroups: "/127.0.0.1". */
    String clientHost() {
        int colon = peer.lastIndexOf(':');
        return "/" + (colon < 0 ? peer : peer.substring(0, colon));
    }

    /** What the request asked, in a learner's words: topics, partitions, offsets, sizes. */
    void asked(String summary) {
        this.asked = () -> summary;
    }

    /** As {@link #asked(String)}, worded only if {@code --trace} prints it: for the requests every client repeats. */
    void asked(Supplier<String> summary) {
        this.asked = summary;
    }

    /** What the response said, in a learner's words: offsets, sizes, errors. */
    void answered(String summary) {
        this.answered = () -> summary;
    }

    /** As {@link #answered(String)}, worded only if {@code --trace} prints it. */
    void answered(Supplier<String> summary) {
        this.answered = summary;
    }

    String asked() {
        return asked.get();
    }

    String answered() {
        return answered.get();
    }
}
