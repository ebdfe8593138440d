package toykafka.harness;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** Kafka's responses on one connection, read as their bytes arrive: a size, then that many bytes. */
final class KafkaFrameReader {

    private final ByteBuffer size = ByteBuffer.allocate(4);
    private ByteBuffer frame;

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
