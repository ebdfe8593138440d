package toykafka.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP client on the Kafka port, told where HTTP is: its request's first four bytes, read as a frame's size, are
 * a method such as "GET " or "POST", and a short HTTP answer naming the HTTP port makes curl show something useful.
 */
final class HttpOnKafkaPort {

    private HttpOnKafkaPort() {
    }

    /** The HTTP method the four bytes begin, or null when they are not one. */
    static String method(byte[] sizeBytes) {
        String start = new String(sizeBytes, StandardCharsets.ISO_8859_1);
        return start.matches("(GET |POST|PUT |HEAD|DELE|PATC|OPTI)") ? start.trim() : null;
    }

    /** A 400 answer that names the port speaking HTTP, and closes. */
    static ByteBuffer answer(int kafkaPort, int httpPort) {
        String body = "This port (" + kafkaPort + ") speaks Kafka's binary protocol. The broker's HTTP API is on port "
                + httpPort + ".\n";
        String answer = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body;
        return ByteBuffer.wrap(answer.getBytes(StandardCharsets.ISO_8859_1));
    }
}
