package toykafka.broker.quota;

import toykafka.common.ApiException;
import toykafka.common.Errors;

/**
 * A strict {@code controller_mutation_rate} refused a topic's partitions: THROTTLING_QUOTA_EXCEEDED, with Kafka's
 * message, for that topic alone; the client may try again after {@link #throttleTimeMs()}.
 */
public final class ThrottlingQuotaExceededException extends ApiException {

    /** Kafka's message for the error ({@code Errors.THROTTLING_QUOTA_EXCEEDED.message()}). */
    public static final String MESSAGE = "The throttling quota has been exceeded.";

    private final int throttleTimeMs;

    ThrottlingQuotaExceededException(int throttleTimeMs) {
        super(Errors.THROTTLING_QUOTA_EXCEEDED, MESSAGE);
        this.throttleTimeMs = throttleTimeMs;
    }

    /** How long until the client's bucket is back to empty, no longer owing. */
    public int throttleTimeMs() {
        return throttleTimeMs;
    }
}
