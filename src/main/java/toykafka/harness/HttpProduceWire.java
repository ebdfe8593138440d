package toykafka.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * REST Proxy v2's batched produce over keep-alive HTTP/1.1: {@code POST /topics/<t>/partitions/<p>} with
 * {@code {"records": [{"value": "<base64>"}, ...]}} as {@code application/vnd.kafka.binary.v2+json}, so the broker
 * stores the very values Kafka's Produce request carries ('x' repeated). The answer names each record's offset or
 * its error; it may come with a Content-Length or chunked. One partition a request, as the route names one.
 */
final class HttpProduceWire implements ProduceWire {

    @Override
    public ByteBuffer[] requests(ManyConnectionsLoad.Shape shape, int port) {
        if (shape.partitionsPerRequest() != 1) {
            throw new IllegalArgumentException("over HTTP a request writes one partition, not " + shape.partitionsPerRequest());
        }
        String value = Base64.getEncoder().encodeToString("x".repeat(shape.valueBytes()).getBytes(StandardCharsets.US_ASCII));
        StringBuilder records = new StringBuilder("{\"records\":[");
        for (int r = 0; r < shape.recordsPerBatch(); r++) {
            records.append(r == 0 ? "" : ",").append("{\"value\":\"").append(value).append("\"}");
        }
        byte[] body = records.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer[] requests = new ByteBuffer[shape.topics().size() * shape.partitionsPerTopic()];
        for (int p = 0; p < requests.length; p++) {
            byte[] head = ("POST /topics/" + shape.topic(p) + "/partitions/" + p % shape.partitionsPerTopic() + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\n"
                    + "Content-Type: application/vnd.kafka.binary.v2+json\r\n"
                    + "Accept: application/vnd.kafka.v2+json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            requests[p] = ByteBuffer.allocateDirect(head.length + body.length).put(head).put(body).flip();
        }
        return requests;
    }

    @Override
    public AnswerReader reader(ManyConnectionsLoad.Shape shape) {
        return new Reader();
    }

    /** An HTTP/1.1 response read whole: its status, then a body of Content-Length bytes or of chunks. */
    private static final class Reader implements AnswerReader {
        private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] ERROR_CODE = "\"error_code\":".getBytes(StandardCharsets.US_ASCII);
        private ByteBuffer in = ByteBuffer.allocate(1 << 16);

        @Override
        public Answer read(SocketChannel channel, boolean mayRetry) throws IOException {
            if (!in.hasRemaining()) {
                in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
            }
            if (channel.read(in) < 0) {
                throw new IOException("the broker closed a connection");
            }
            byte[] got = in.array();
            int length = in.position();
            int headEnd = indexOf(got, 0, length, HEAD_END);
            if (headEnd < 0) {
                return null;
            }
            String head = new String(got, 0, headEnd, StandardCharsets.US_ASCII);
            int bodyStart = headEnd + HEAD_END.length;
            byte[] body = got;
            int from = bodyStart;
            int to;
            String contentLength = header(head, "content-length");
            if (contentLength != null) {
                to = bodyStart + Integer.parseInt(contentLength.trim());
                if (length < to) {
                    return null;
                }
            } else if ("chunked".equalsIgnoreCase(String.valueOf(header(head, "transfer-encoding")).trim())) {
                body = chunks(got, bodyStart, length);
                if (body == null) {
                    return null;
                }
                from = 0;
                to = body.length;
            } else {
                throw new IllegalStateException("an answer with neither Content-Length nor chunks:\n" + head);
            }
            in.clear();
            int status = Integer.parseInt(head.substring(9, 12));
            if (status != 200) {
                throw new IllegalStateException("a produce was refused: " + head.lines().findFirst().orElse("") + " "
                        + new String(body, from, to - from, StandardCharsets.UTF_8));
            }
            return new Answer(taken(body, from, to), false);
        }

        /**
         * Records whose {@code error_code} is null, read where they lie (the client's time is the broker's loss on
         * two cores); a record refused fails the load, as the topic was made first.
         */
        private static long taken(byte[] body, int from, int to) {
            long taken = 0;
            for (int at = indexOf(body, from, to, ERROR_CODE); at >= 0; at = indexOf(body, at + 1, to, ERROR_CODE)) {
                int value = at + ERROR_CODE.length;
                while (body[value] == ' ') {
                    value++;
                }
                if (body[value] != 'n') {
                    throw new IllegalStateException("a record was refused: " + new String(body, at,
                            Math.min(to - at, 300), StandardCharsets.UTF_8));
                }
                taken++;
            }
            return taken;
        }

        /** The body of a chunked answer, or null while its last chunk has not come. */
        private static byte[] chunks(byte[] got, int from, int length) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int at = from;
            while (true) {
                int lineEnd = indexOf(got, at, length, HEAD_END, 2);
                if (lineEnd < 0) {
                    return null;
                }
                String sizeLine = new String(got, at, lineEnd - at, StandardCharsets.US_ASCII);
                int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
                int data = lineEnd + 2;
                if (size == 0) {
                    return length >= data + 2 ? body.toByteArray() : null; // no trailers
                }
                if (length < data + size + 2) {
                    return null;
                }
                body.write(got, data, size);
                at = data + size + 2;
            }
        }

        private static String header(String head, String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                    return line.substring(colon + 1);
                }
            }
            return null;
        }

        private static int indexOf(byte[] in, int from, int to, byte[] wanted) {
            return indexOf(in, from, to, wanted, wanted.length);
        }

        /** Where the first {@code length} bytes of {@code wanted} start in {@code in[from, to)}, or -1. */
        private static int indexOf(byte[] in, int from, int to, byte[] wanted, int length) {
            outer:
            for (int i = from; i <= to - length; i++) {
                for (int j = 0; j < length; j++) {
                    if (in[i + j] != wanted[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
