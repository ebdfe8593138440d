package toykafka.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import toykafka.common.Errors;

/**
 * The answers Jetty gives itself, before any route runs (a malformed request line, a duplicate
 * Content-Length, headers too large, a path it will not decode), in the broker's own JSON error form
 * rather than Jetty's HTML page.
 */
final class JettyErrors extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        Reply reply = Replies.error(status, errorOf(status), describe(status, message));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
        return ByteBuffer.wrap(Replies.error(status, errorOf(status), describe(status, reason)).body());
    }

    private static Errors errorOf(int status) {
        return switch (status) {
            case 413 -> Errors.MESSAGE_TOO_LARGE;
            case 505 -> Errors.UNSUPPORTED_VERSION;
            case 500 -> Errors.UNKNOWN_SERVER_ERROR;
            default -> Errors.INVALID_REQUEST;
        };
    }

    private static String describe(int status, String reason) {
        String what = switch (status) {
            case 400 -> "the request is not well-formed HTTP/1.1";
            case 408 -> "the request did not arrive in time";
            case 413 -> "the request is too large";
            case 414 -> "the URL is longer than the broker reads (8 KiB with the headers)";
            case 431 -> "the request's headers are larger than the broker reads (8 KiB with the URL)";
            case 505 -> "the broker speaks HTTP/1.0 and HTTP/1.1";
            default -> "the broker could not serve this request";
        };
        return reason == null || reason.isBlank() ? what : what + ": " + reason;
    }
}
