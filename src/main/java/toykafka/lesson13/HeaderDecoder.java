package toykafka.lesson13;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import toykafka.common.InvalidRequestException;

/**
 * Lesson 13's request-header decoder, on its own so a learner can read it in one go. The broker's front end
 * reads headers with {@code toykafka.kafka.RequestHeader}, which does the same and also finds the API, since
 * whether a header has tagged fields depends on the API and its version (Kafka's {@code RequestHeader}).
 */
public final class HeaderDecoder implements RequestHeaderReader {

    // tag::read[]
    @Override
    public Header read(ByteBuffer request, int headerVersion) {
        if (headerVersion != 1 && headerVersion != 2) {
            throw new IllegalArgumentException("request header version " + headerVersion
                    + " is not one this reader knows: 1 (older API versions) or 2 (flexible ones)");
        }
        short apiKey = int16(request, "api key");
        short apiVersion = int16(request, "api version");
        int correlationId = int32(request, "correlation id");
        String clientId = clientId(request); // an int16 length in both versions: never compact
        if (headerVersion == 2) {
            skipTaggedFields(request);
        }
        return new Header(apiKey, apiVersion, correlationId, clientId);
    }

    /** An int16 length, -1 for null, then that many bytes of UTF-8. */
    private static String clientId(ByteBuffer in) {
        short length = int16(in, "client id length");
        if (length == -1) {
            return null;
        }
        if (length < 0) {
            throw new InvalidRequestException("the client id has length " + length + ": -1 (null) or 0 and up");
        }
        need(in, length, "client id");
        ByteBuffer text = in.slice(in.position(), length);
        in.position(in.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(text).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRequestException("the client id is not valid UTF-8");
        }
    }

    /** A count, then each field's tag, size and bytes: stepped over, since no header field is tagged yet. */
    private static void skipTaggedFields(ByteBuffer in) {
        int count = unsignedVarint(in, "tagged field count");
        for (int i = 0; i < count; i++) {
            unsignedVarint(in, "tagged field tag");
            int size = unsignedVarint(in, "tagged field size");
            need(in, size, "tagged field");
            in.position(in.position() + size);
        }
    }
    // end::read[]

    private static short int16(ByteBuffer in, String field) {
        need(in, 2, field);
        return in.getShort();
    }

    private static int int32(ByteBuffer in, String field) {
        need(in, 4, field);
        return in.getInt();
    }

    private static int unsignedVarint(ByteBuffer in, String field) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            need(in, 1, field);
            byte b = in.get();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new InvalidRequestException("the " + field + " is a varint longer than 5 bytes");
    }

    private static void need(ByteBuffer in, int bytes, String field) {
        if (in.remaining() < bytes) {
            throw new InvalidRequestException("the request header ends inside the " + field + ": it needs " + bytes
                    + " bytes, " + in.remaining() + " are left");
        }
    }
}
