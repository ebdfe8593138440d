package toykafka.broker.quota;

import java.time.Clock;

/**
 * The quota of CreateTopics v6+, DeleteTopics v5+ and CreatePartitions v3+ (Kafka's {@code
 * StrictControllerMutationQuota}): a topic is taken while the client's bucket is not empty, even one that empties it
 * and more, and refused with THROTTLING_QUOTA_EXCEEDED once it is.
 */
final class StrictControllerMutationQuota extends AbstractControllerMutationQuota {

    StrictControllerMutationQuota(Clock clock, ControllerMutationQuotaManager.QuotaSensor quotaSensor) {
        super(clock, quotaSensor);
    }

    @Override
    public boolean isExceeded() {
        return lastThrottleTimeMs > 0;
    }

    @Override
    public void record(double permits) {
        long timeMs = clock.millis();
        try {
            synchronized (quotaSensor.lock()) {
                quotaSensor.checkQuotas(timeMs); // the bucket must not be empty before: then the topic may overdraw it
                quotaSensor.record(permits, timeMs, false);
            }
        } catch (ControllerMutationQuotaManager.QuotaViolation violation) {
            updateThrottleTime(violation, timeMs);
            throw new ThrottlingQuotaExceededException((int) lastThrottleTimeMs);
        }
    }
}
