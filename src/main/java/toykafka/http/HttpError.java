package toykafka.http;

import toykafka.common.ApiException;
import toykafka.common.Errors;

/** A refusal that is about HTTP itself (no such route, wrong method, body too large), with its status. */
final class HttpError extends ApiException {

    private final int status;

    HttpError(int status, String message) {
        this(status, Errors.INVALID_REQUEST, message);
    }

    HttpError(int status, Errors error, String message) {
        super(error, message);
        this.status = status;
    }

    int status() {
        return status;
    }

    /** The HTTP status for an error of Kafka's family: the client's mistake is a 4xx, the broker's a 5xx. */
    static int statusOf(Errors error) {
        return switch (error) {
            case UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_MEMBER_ID -> 404;
            case TOPIC_ALREADY_EXISTS, ILLEGAL_GENERATION -> 409;
            case MESSAGE_TOO_LARGE -> 413;
            case OFFSET_OUT_OF_RANGE -> 416;
            case KAFKA_STORAGE_ERROR -> 503;
            case UNKNOWN_SERVER_ERROR -> 500;
            default -> 400;
        };
    }
}
