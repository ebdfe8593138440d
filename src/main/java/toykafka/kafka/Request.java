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
    private Supplier<String> asked = () -> "";
    private Supplier<String> answered = () -> "";

    Request(RequestHeader header, ByteBuffer body, boolean flexible, String peer, String connectionId,
            KafkaPrincipal principal, Listener listener, SaslServerAuthenticator sasl) {
        this.header = header;
        this.body = new ProtocolReader(body, flexible);
        this.flexible = flexible;
        this.peer = peer;
        this.connectionId = connectionId;
        this.principal = principal;
        this.listener = listener;
        this.sasl = sasl;
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
