package toykafka.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.Callback;
import toykafka.common.Errors;

/**
 * Recognises a client that opens with HTTP/2's connection preface ({@code PRI * HTTP/2.0}, "prior knowledge",
 * as {@code curl --http2-prior-knowledge} sends it) and answers it, as every other refusal, in the broker's
 * JSON: 426 with a body that says to speak HTTP/1.1, which is all the broker serves. REST Proxy, too, speaks
 * HTTP/1.1 unless configured for HTTP/2.
 */
final class Http2Preface extends AbstractConnectionFactory implements ConnectionFactory.Detecting {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n".getBytes(StandardCharsets.US_ASCII);

    Http2Preface() {
        super("http2-preface");
    }

    @Override
    public Detection detect(ByteBuffer buffer) {
        int seen = Math.min(buffer.remaining(), PREFACE.length);
        for (int i = 0; i < seen; i++) {
            if (buffer.get(buffer.position() + i) != PREFACE[i]) {
                return Detection.NOT_RECOGNIZED;
            }
        }
        return seen == PREFACE.length ? Detection.RECOGNIZED : Detection.NEED_MORE_BYTES;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        return new Refused(endPoint, connector);
    }

    /** An upgrade target, as the detector requires; the bytes it hands over are the preface, not read. */
    private static final class Refused extends AbstractConnection implements Connection.UpgradeTo {
        Refused(EndPoint endPoint, Connector connector) {
            super(endPoint, connector.getExecutor());
        }

        @Override
        public void onUpgradeTo(ByteBuffer buffer) {
            // the preface and whatever followed it: nothing to answer but the refusal
        }

        @Override
        public void onOpen() {
            super.onOpen();
            Reply reply = Replies.error(426, Errors.UNSUPPORTED_VERSION, "the broker speaks HTTP/1.1 (and 1.0), not"
                    + " HTTP/2: send the request over HTTP/1.1 (with curl, leave out --http2-prior-knowledge)");
            String head = "HTTP/1.1 426 Upgrade Required\r\nUpgrade: HTTP/1.1\r\nConnection: close\r\nContent-Type: "
                    + reply.contentType() + "\r\nContent-Length: " + reply.body().length + "\r\n\r\n";
            getEndPoint().write(Callback.from(() -> getEndPoint().close()), ByteBuffer.wrap(head.getBytes(
                    StandardCharsets.US_ASCII)), ByteBuffer.wrap(reply.body()));
        }

        @Override
        public void onFillable() {
            // answered on open: nothing more is read
        }
    }
}
