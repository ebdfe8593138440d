package toykafka.http;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import toykafka.common.ThrottledLine;

/**
 * Recognises a Kafka client that was given the HTTP port: a Kafka request opens with its size as four bytes,
 * so its first byte is 0 (an HTTP request opens with a method's letters). Such a connection gets a line in
 * the broker's log that names the right port, and is closed; HTTP gets no answer it could misread.
 */
final class KafkaOnHttpPort extends AbstractConnectionFactory implements ConnectionFactory.Detecting {

    private final ThrottledLine line;
    private final int kafkaPort;

    KafkaOnHttpPort(PrintStream log, int kafkaPort) {
        super("kafka-on-http-port");
        this.line = new ThrottledLine(log, TimeUnit.SECONDS.toNanos(10));
        this.kafkaPort = kafkaPort;
    }

    @Override
    public Detection detect(ByteBuffer buffer) {
        if (!buffer.hasRemaining()) {
            return Detection.NEED_MORE_BYTES;
        }
        return buffer.get(buffer.position()) == 0 ? Detection.RECOGNIZED : Detection.NOT_RECOGNIZED;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        return new Refused(endPoint, connector);
    }

    private final class Refused extends AbstractConnection implements Connection.UpgradeTo {
        private ByteBuffer first;

        Refused(EndPoint endPoint, Connector connector) {
            super(endPoint, connector.getExecutor());
        }

        @Override
        public void onUpgradeTo(ByteBuffer buffer) {
            first = buffer == null ? null : buffer.duplicate();
        }

        @Override
        public void onOpen() {
            super.onOpen();
            line.println("http: " + getEndPoint().getRemoteSocketAddress() + " sent Kafka's binary protocol"
                    + apiNamed() + " to the HTTP port " + ((InetSocketAddress) getEndPoint().getLocalSocketAddress()).getPort() + "; Kafka clients connect to "
                    + "the Kafka port" + (kafkaPort == 0 ? "" : ", " + kafkaPort) + "; closed the connection", System.nanoTime());
            getEndPoint().close();
        }

        /** The request's api key and version, when its header has arrived. */
        private String apiNamed() {
            if (first == null || first.remaining() < 8) {
                return "";
            }
            int at = first.position();
            return " (api key " + first.getShort(at + 4) + ", version " + first.getShort(at + 6) + ")";
        }

        @Override
        public void onFillable() {
            // closed on open: nothing more is read
        }
    }
}
