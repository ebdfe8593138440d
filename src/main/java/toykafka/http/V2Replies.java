package toykafka.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import toykafka.common.ApiException;

/**
 * How REST Proxy v2's routes answer: in the type the Accept header takes of {@code application/vnd.kafka.v2+json},
 * {@code application/vnd.kafka+json} (no version asked for) and {@code application/json}, refusals included, so a
 * v2 client reads every reply, error or not, as the type it asked for.
 */
final class V2Replies {

    /** What a v2 route answers in, REST Proxy's own type first: a missing or {@code *}{@code /*} Accept gets it. */
    private static final String[] TYPES = {MediaTypes.V2, "application/vnd.kafka+json", MediaTypes.JSON};

    private V2Replies() {
    }

    /** The reply's type, or a 406 naming the types on offer when the Accept header takes none of them. */
    static String type(Exchange exchange) {
        return MediaTypes.negotiate(exchange.header("Accept"), 406, TYPES);
    }

    /** A 200 of {@code body} as JSON, labelled {@code type}. */
    static Reply json(String type, Object body) {
        return Reply.json(200, Json.write(body)).withType(type);
    }

    /** The route, its refusals answered in the v2 type too (or plain JSON when the Accept header was the problem). */
    static HttpFrontEnd.Handler refusingAsV2(HttpFrontEnd.Handler route) {
        return exchange -> {
            try {
                return route.handle(exchange);
            } catch (ApiException | JsonProcessingException refused) {
                // a refusal is never logged, so no log is needed; the broker's own faults go on to the Dispatcher
                return Replies.refusal(refused, "", null).withType(errorType(exchange));
            }
        };
    }

    private static String errorType(Exchange exchange) {
        try {
            return type(exchange);
        } catch (HttpError notAcceptable) {
            return MediaTypes.JSON;
        }
    }
}
