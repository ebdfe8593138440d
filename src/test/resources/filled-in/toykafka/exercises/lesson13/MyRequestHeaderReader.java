package toykafka.exercises.lesson13;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import toykafka.common.InvalidRequestException;
import toykafka.lesson13.RequestHeaderReader;

/** A learner's answer, written from the lesson text and hints: field by field, checking before each read. */
public class MyRequestHeaderReader implements RequestHeaderReader {

    @Override
    public Header read(ByteBuffer request, int headerVersion) {
        if (headerVersion < 1 || headerVersion > 2) {
            throw new IllegalArgumentException("header version must be 1 or 2, not " + headerVersion);
        }
        short apiKey = request.getShort(check(request, 2, "api_key"));
        short apiVersion = request.getShort(check(request, 2, "api_version"));
        int correlationId = request.getInt(check(request, 4, "correlation_id"));
        short length = request.getShort(check(request, 2, "client_id"));
        String clientId = null;
        if (length >= 0) {
            byte[] text = new byte[length];
            request.get(check(request, length, "client_id"), text);
            clientId = new String(text, StandardCharsets.UTF_8);
        }
        if (headerVersion == 2) {
            int fields = varint(request);
            for (int i = 0; i < fields; i++) {
                varint(request); // tag
                int size = varint(request);
                request.position(check(request, size, "tagged field") + size);
            }
        }
        return new Header(apiKey, apiVersion, correlationId, clientId);
    }

    /** The position to read {@code bytes} at, and moves past them; refuses a request that ends first. */
    private static int check(ByteBuffer request, int bytes, String field) {
        if (request.remaining() < bytes) {
            throw new InvalidRequestException("too short: the " + field + " needs " + bytes + " bytes but "
                    + request.remaining() + " are left");
        }
        int at = request.position();
        request.position(at + bytes);
        return at;
    }

    private static int varint(ByteBuffer request) {
        int value = 0;
        int shift = 0;
        while (true) {
            byte b = request.get(check(request, 1, "tagged field"));
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
        }
    }
}
