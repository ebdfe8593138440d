package toykafka.common;

/**
 * The root of the course's error family, as {@code ApiException} is of Kafka's: an error that a broker
 * reports to its client. Each kind knows its Kafka name and code, and its message names the problem and
 * what would have been accepted.
 */
public abstract class ApiException extends RuntimeException {

    private final Errors error;

    protected ApiException(Errors error, String message) {
        super(message);
        this.error = error;
    }

    protected ApiException(Errors error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** Kafka's name and code for this error. */
    public Errors error() {
        return error;
    }

    /** Whether the request may succeed if sent again unchanged. */
    public boolean retriable() {
        return error.retriable();
    }
}
