package toykafka.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.OffsetOutOfRangeException;

/**
 * Every refusal as the broker's one JSON error body: the HTTP status, Kafka's name and code for the problem,
 * whether trying again may help, and a message that names it. The client's mistakes are 4xx; only the
 * broker's own faults are a 500, and those name themselves too and go to the broker's log.
 */
final class Replies {

    private Replies() {
    }

    /** The reply for whatever a route (or the reading of its body) failed with. */
    static Reply refusal(Throwable failure, String request, PrintStream log) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (e instanceof HttpError refused) {
            Reply reply = error(refused.status(), refused.errorCode(), refused.error(), refused.getMessage(), Map.of());
            if (refused.challenge() != null) {
                return reply.withHeader("WWW-Authenticate", refused.challenge());
            }
            return refused.status() == 503 ? reply.withHeader("Retry-After", "1") : reply;
        }
        if (e instanceof OffsetOutOfRangeException outside) {
            // the valid range as numbers too, so a client can move to it without reading the message
            return error(416, 416, outside.error(), outside.getMessage(), Json.fields("requested", outside.requested(),
                    "log_start_offset", outside.logStartOffset(), "log_end_offset", outside.logEndOffset()));
        }
        if (e instanceof ApiException refused) {
            int status = HttpError.statusOf(refused.error());
            return error(status, HttpError.errorCodeOf(status, refused.error()), refused.error(), refused.getMessage(),
                    Map.of());
        }
        if (e instanceof JsonProcessingException notJson) {
            return error(400, Errors.INVALID_REQUEST, "the body is not the JSON this route takes: "
                    + notJson.getOriginalMessage());
        }
        if (e instanceof IllegalArgumentException wrong) {
            return error(400, Errors.INVALID_REQUEST, wrong.getMessage());
        }
        if (e instanceof IllegalStateException clash) {
            return error(409, Errors.INVALID_REQUEST, clash.getMessage());
        }
        // An Error too (a class missing from the classpath, a stack overflow): answered, never left hanging.
        log.println("toykafka broker: fault while serving " + request + ":");
        e.printStackTrace(log);
        return error(500, Errors.UNKNOWN_SERVER_ERROR, "the broker failed while serving this request ("
                + e.getClass().getSimpleName() + ": " + e.getMessage() + "); nothing acknowledged was lost,"
                + " and the broker's log has the details");
    }

    static Reply error(int status, Errors error, String message) {
        return error(status, status, error, message, Map.of());
    }

    static Reply error(int status, int errorCode, Errors error, String message, Map<String, Object> more) {
        return Reply.json(status, Json.write(errorBody(errorCode, error, message, more)));
    }

    /**
     * REST Proxy's error body, {@code error_code} and {@code message}, and this broker's additions: Kafka's
     * name and code for the error, and whether trying again may help.
     */
    static Map<String, Object> errorBody(int errorCode, Errors error, String message, Map<String, Object> more) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", errorCode);
        body.put("error", error.name());
        body.put("kafka_error_code", error.code());
        body.put("retriable", error.retriable());
        body.put("message", message);
        body.putAll(more);
        return body;
    }
}
