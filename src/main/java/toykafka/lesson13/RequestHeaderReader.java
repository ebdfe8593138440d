package toykafka.lesson13;

import java.nio.ByteBuffer;

// tag::contract[]
/**
 * Reads the header at the start of every Kafka request, the part a broker must understand before it knows
 * which API the body belongs to. Kafka's {@code RequestHeader}: version 1 for an API's older versions,
 * version 2 for its flexible ones (compact lengths and tagged fields in the body).
 */
public interface RequestHeaderReader {

    /**
     * The four fields every request header carries.
     *
     * @param apiKey        which API: 0 Produce, 1 Fetch, 3 Metadata, 18 ApiVersions …
     * @param apiVersion    which version of that API's request the client chose
     * @param correlationId the number the response echoes, so the client can match them
     * @param clientId      the client's {@code client.id}, or null
     */
    record Header(short apiKey, short apiVersion, int correlationId, String clientId) {
    }

    /**
     * Reads a header of {@code headerVersion} (1 or 2) from {@code request}, which starts just after the
     * frame's 4-byte size, and leaves {@code request} positioned at the body. A request that ends inside a
     * field is refused with an {@link toykafka.common.InvalidRequestException} naming that field; another
     * header version with an {@link IllegalArgumentException} naming the versions there are.
     */
    Header read(ByteBuffer request, int headerVersion);
}
// end::contract[]
