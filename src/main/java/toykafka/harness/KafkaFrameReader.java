package toykafka.harness;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.function.BiFunction;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Readable;
import org.apache.kafka.common.requests.ResponseHeader;

/** Kafka's responses on one connection, read as their bytes arrive: a size, then that many bytes. */
final class KafkaFrameReader {

    private final ByteBuffer size = ByteBuffer.allocate(4);
    private ByteBuffer frame;

    /**
     * The next whole response to {@code api} at {@code version}, its header read past and its body read as
     * kafka-clients' generated class does ({@code FetchResponseData::new}), or null while it is still coming.
     */
    <T extends ApiMessage> T read(SocketChannel channel, ApiKeys api, short version,
                                  BiFunction<Readable, Short, T> body) throws IOException {
        ByteBuffer whole = read(channel);
        if (whole == null) {
            return null;
        }
        ResponseHeader.parse(whole, api.responseHeaderVersion(version));
        return body.apply(new ByteBufferAccessor(whole), version);
    }

    /** The next whole response, without its size, or null while it is still coming. */
    ByteBuffer read(SocketChannel channel) throws IOException {
        if (frame == null) {
            if (channel.read(size) < 0) {
                throw new IOException("the broker closed a connection");
            }
            if (size.hasRemaining()) {
                return null;
            }
            frame = ByteBuffer.allocate(size.flip().getInt());
            size.clear();
        }
        if (channel.read(frame) < 0) {
            throw new IOException("the broker closed a connection");
        }
        if (frame.hasRemaining()) {
            return null;
        }
        ByteBuffer whole = frame.flip();
        frame = null;
        return whole;
    }
}
