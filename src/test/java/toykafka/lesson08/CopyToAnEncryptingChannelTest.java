package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel that cannot take {@code sendfile} (TLS's layer) is handed a file's bytes in chunks of one TLS record:
 * each call reports exactly what the channel took, a full channel ends the call, and the next call goes on from
 * there, so the bytes arrive whole and in order.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CopyToAnEncryptingChannelTest {

    /** Takes at most {@code room} bytes per write, then nothing every other call, as a non-blocking socket fills. */
    private static final class FillingChannel implements WritableByteChannel {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        int largestWrite;
        private final int room;
        private boolean full;

        FillingChannel(int room) {
            this.room = room;
        }

        @Override
        public int write(ByteBuffer source) {
            full = !full;
            if (!full) {
                return 0;
            }
            int taken = Math.min(room, source.remaining());
            largestWrite = Math.max(largestWrite, source.remaining());
            byte[] bytes = new byte[taken];
            source.get(bytes);
            received.write(bytes, 0, taken);
            return taken;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void the_bytes_arrive_whole_and_in_order_in_chunks_of_one_tls_record(@TempDir Path folder) throws Exception {
        byte[] content = new byte[100_000];
        new Random(1729).nextBytes(content);
        Path path = Files.write(folder.resolve("00000000000000000000.log"), content);
        FillingChannel channel = new FillingChannel(DiskFile.COPY_CHUNK - 100);
        try (DiskFile file = DiskFile.open(path, false, DiskFile.Opener.DEFAULT)) {
            long position = 10;
            int calls = 0;
            while (position < content.length) {
                int before = channel.received.size();
                long sent = file.transferOnce(position, content.length - position, channel);
                assertEquals(channel.received.size() - before, sent, "a call reports what the channel took");
                position += sent;
                calls++;
            }
            assertTrue(calls > content.length / DiskFile.COPY_CHUNK, "a full channel ended calls: " + calls);
        }
        byte[] expected = new byte[content.length - 10];
        System.arraycopy(content, 10, expected, 0, expected.length);
        assertArrayEquals(expected, channel.received.toByteArray());
        assertEquals(DiskFile.COPY_CHUNK, channel.largestWrite, "no chunk larger than a TLS record carries");
    }
}
