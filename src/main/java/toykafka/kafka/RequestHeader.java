package toykafka.kafka;

import toykafka.common.InvalidRequestException;

// tag::header[]
/**
 * What comes before every request's body: which API, which version of it, a number the response echoes
 * so the client can match them, and the client's name. Kafka's {@code RequestHeader}: version 1 for an
 * API's older versions, version 2 (with a tagged-field section) for its flexible ones. The client id is a
 * plain int16-length string in both: the one field flexible versions never changed.
 *
 * @param apiKey        the API (0 Produce, 1 Fetch, 3 Metadata, 18 ApiVersions …)
 * @param apiVersion    the version of its request and response the client chose
 * @param correlationId echoed in the response
 * @param clientId      the client's {@code client.id}, or null
 */
record RequestHeader(short apiKey, short apiVersion, int correlationId, String clientId) {

    /** Reads a header from the start of a frame, with {@code in} reading as a non-flexible version; leaves it at the body. */
    static RequestHeader read(ProtocolReader in, ApiTable apis) {
        short apiKey = in.int16("the request header's api key");
        short apiVersion = in.int16("the request header's api version");
        int correlationId = in.int32("the request header's correlation id");
        String clientId = in.nullableString("the request header's client id");
        Api api = apis.find(apiKey);
        if (api == null) {
            throw new InvalidRequestException("api key " + apiKey + " is not one this broker serves; it serves "
                    + apis.describeKeys());
        }
        in.readingAs(api.flexible(apiVersion)).taggedFields("the request header");
        return new RequestHeader(apiKey, apiVersion, correlationId, clientId);
    }
}
// end::header[]
