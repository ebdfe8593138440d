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

    /**
     * The HTTP status for an error of Kafka's family: the client's mistake is a 4xx, the broker's a 5xx. A
     * request that clashes with what is there now (a name taken, a group rebalancing or in a newer
     * generation) is a conflict, 409, as the REST Proxy answers it; an unknown consumer instance is 404.
     */
    static int statusOf(Errors error) {
        return switch (error) {
            case UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_MEMBER_ID -> 404;
            case TOPIC_ALREADY_EXISTS, UNRELEASED_INSTANCE_ID, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS -> 409;
            case MESSAGE_TOO_LARGE -> 413;
            case OFFSET_OUT_OF_RANGE -> 416;
            case KAFKA_STORAGE_ERROR -> 503;
            case UNKNOWN_SERVER_ERROR -> 500;
            default -> 400;
        };
    }
}
