package toykafka.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One connection's HTTP/1.1 responses, read as their bytes arrive: the head, then a body of Content-Length bytes or
 * of chunks. The body is left where it arrived when it can be, since on two cores the client's copying is time the
 * broker does not get.
 */
final class HttpResponseReader {

    private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** A whole response: its status, its head, and its body as {@code body[from, to)}. */
    record Response(int status, String head, byte[] body, int from, int to) {

        /** A header's value, trimmed, or null. */
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        String bodyText() {
            return new String(body, from, to - from, StandardCharsets.UTF_8);
        }

        String statusLine() {
            return head.lines().findFirst().orElse("");
        }
    }

    private ByteBuffer in = ByteBuffer.allocate(1 << 16);

    /**
     * Reads what has arrived: null until the response is whole. Its body stays valid until the next call, as
     * one request at a time is in flight on a connection.
     */
    Response read(SocketChannel channel) throws IOException {
        if (!in.hasRemaining()) {
            in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
        }
        if (channel.read(in) < 0) {
            throw new IOException("the broker closed a connection");
        }
        byte[] got = in.array();
        int length = in.position();
        int headEnd = indexOf(got, 0, length, HEAD_END, HEAD_END.length);
        if (headEnd < 0) {
            return null;
        }
        String head = new String(got, 0, headEnd, StandardCharsets.US_ASCII);
        int status = Integer.parseInt(head.substring(9, 12));
        int bodyStart = headEnd + HEAD_END.length;
        Response partial = new Response(status, head, got, bodyStart, bodyStart);
        String contentLength = partial.header("content-length");
        Response whole;
        int end;
        if ("chunked".equalsIgnoreCase(partial.header("transfer-encoding"))) { // chunks win over a length (RFC 9112)
            int[] bodyEnd = new int[1];
            byte[] body = chunks(got, bodyStart, length, bodyEnd);
            whole = body == null ? null : new Response(status, head, body, 0, body.length);
            end = bodyEnd[0];
        } else if (contentLength != null) {
            end = bodyStart + Integer.parseInt(contentLength);
            whole = length < end ? null : new Response(status, head, got, bodyStart, end);
        } else {
            throw new IllegalStateException("an answer with neither Content-Length nor chunks:\n" + head);
        }
        if (whole == null) {
            return null;
        }
        if (length > end) { // one request is in flight on a connection, so nothing may follow its answer
            throw new IllegalStateException((length - end) + " bytes came after a whole answer:\n" + head);
        }
        in.clear();
        return whole;
    }

    /** The body of a chunked answer, its end put in {@code end[0]}; or null while its last chunk has not come. */
    private static byte[] chunks(byte[] got, int from, int length, int[] end) {
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
                end[0] = data + 2; // no trailers
                return length >= end[0] ? body.toByteArray() : null;
            }
            if (length < data + size + 2) {
                return null;
            }
            body.write(got, data, size);
            at = data + size + 2;
        }
    }

    /** Where the first {@code length} bytes of {@code wanted} start in {@code in[from, to)}, or -1. */
    static int indexOf(byte[] in, int from, int to, byte[] wanted, int length) {
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
