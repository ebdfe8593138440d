package toykafka.http;

import toykafka.common.ApiException;
import toykafka.common.Errors;

/**
 * A refusal that is about HTTP itself (no such route, wrong method, body too large), or one the REST Proxy
 * gives its own code: its status, and the {@code error_code} its body carries.
 */
public final class HttpError extends ApiException {

    /** REST Proxy's codes: the HTTP status times 100 plus a number of its own, e.g. 40403 for a 404. */
    static final int KAFKA_BAD_REQUEST = 40002;
    /** Kafka's authorization errors (topic, group, cluster), which REST Proxy answers 403. */
    static final int KAFKA_AUTHORIZATION = 40301;
    static final int TOPIC_NOT_FOUND = 40401;
    static final int PARTITION_NOT_FOUND = 40402;
    /** In v3 any unknown topic or partition; in v2 an unknown consumer instance. */
    static final int NOT_FOUND_IN_KAFKA = 40403;
    static final int CONSUMER_FORMAT_MISMATCH = 40601;
    static final int CONSUMER_ALREADY_SUBSCRIBED = 40901;
    static final int CONSUMER_ALREADY_EXISTS = 40902;
    static final int ILLEGAL_STATE = 40903;
    static final int INVALID_CONSUMER_CONFIG = 42204;
    /** A payload REST Proxy cannot take, such as a produce with no record in it. */
    static final int INVALID_PAYLOAD = 42206;
    static final int TOO_MANY_REQUESTS = 42901;
    static final int KAFKA_ERROR = 50002;
    static final int KAFKA_RETRIABLE_ERROR = 50003;

    private final int status;
    private final int errorCode;
    /** The WWW-Authenticate header a 401 carries, so a client (a browser too) knows to send credentials; else null. */
    private final String challenge;

    public HttpError(int status, String message) {
        this(status, Errors.INVALID_REQUEST, message);
    }

    public HttpError(int status, Errors error, String message) {
        this(status, status, error, message);
    }

    /** A refusal with REST Proxy's own code, e.g. {@code new HttpError(404, TOPIC_NOT_FOUND, ...)}. */
    HttpError(int status, int errorCode, Errors error, String message) {
        this(status, errorCode, error, message, null);
    }

    private HttpError(int status, int errorCode, Errors error, String message, String challenge) {
        super(error, message);
        this.status = status;
        this.errorCode = errorCode;
        this.challenge = challenge;
    }

    /**
     * A request without valid credentials: REST Proxy's 401 with {@code error_code} 401, and the challenge that asks
     * for HTTP Basic credentials in {@code realm}.
     */
    static HttpError unauthorized(String realm, String message) {
        return new HttpError(401, 401, Errors.SASL_AUTHENTICATION_FAILED, message,
                "Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
    }

    /** The WWW-Authenticate header of a 401, or null. */
    String challenge() {
        return challenge;
    }

    int status() {
        return status;
    }

    /** What the body's {@code error_code} says. */
    int errorCode() {
        return errorCode;
    }

    /**
     * The HTTP status for an error of Kafka's family, as REST Proxy maps Kafka's exceptions: the client's
     * mistake is a 4xx (a topic that exists already is a 400, as Kafka's admin refuses it), the broker's a
     * 5xx; a principal the authorizer refuses is a 403; a request that clashes with a group's state (rebalancing, a newer generation, a taken instance
     * name) is a 409; an unknown topic, partition or consumer instance is a 404.
     */
    static int statusOf(Errors error) {
        return switch (error) {
            case UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_MEMBER_ID -> 404;
            case TOPIC_AUTHORIZATION_FAILED, GROUP_AUTHORIZATION_FAILED, CLUSTER_AUTHORIZATION_FAILED -> 403;
            case UNRELEASED_INSTANCE_ID, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS -> 409;
            case MESSAGE_TOO_LARGE -> 413;
            case OFFSET_OUT_OF_RANGE -> 416;
            case THROTTLING_QUOTA_EXCEEDED -> 429;
            case KAFKA_STORAGE_ERROR -> 503;
            case UNKNOWN_SERVER_ERROR -> 500;
            default -> 400;
        };
    }

    /**
     * REST Proxy's {@code error_code} for a refusal of Kafka's family answered with {@code status}: 40002 for
     * what Kafka itself calls a bad request, 40301 for an authorization refused, 40403 for an unknown topic, partition or consumer instance, 40902
     * for an instance name taken, 50002 and 50003 for Kafka's own faults; otherwise the status itself, as
     * REST Proxy answers what it has no code for.
     */
    static int errorCodeOf(int status, Errors error) {
        return switch (error) {
            case TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR, INVALID_CONFIG,
                 INVALID_TOPIC_EXCEPTION, UNSUPPORTED_VERSION ->
                    status == 400 ? KAFKA_BAD_REQUEST : status;
            case UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_MEMBER_ID -> status == 404 ? NOT_FOUND_IN_KAFKA : status;
            case TOPIC_AUTHORIZATION_FAILED, GROUP_AUTHORIZATION_FAILED, CLUSTER_AUTHORIZATION_FAILED ->
                    status == 403 ? KAFKA_AUTHORIZATION : status;
            case UNRELEASED_INSTANCE_ID -> status == 409 ? CONSUMER_ALREADY_EXISTS : status;
            case THROTTLING_QUOTA_EXCEEDED -> status == 429 ? TOO_MANY_REQUESTS : status;
            case UNKNOWN_SERVER_ERROR, NONE -> status;
            default -> status >= 500 ? (error.retriable() ? KAFKA_RETRIABLE_ERROR : KAFKA_ERROR) : status;
        };
    }
}
