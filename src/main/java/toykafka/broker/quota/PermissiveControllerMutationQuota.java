package toykafka.broker.quota;

import java.time.Clock;

/**
 * The quota of the versions before the strict one, whose clients know no THROTTLING_QUOTA_EXCEEDED (Kafka's {@code
 * PermissiveControllerMutationQuota}): every topic is done and its partitions taken from the bucket; a bucket left
 * below zero throttles the client afterwards.
 */
final class PermissiveControllerMutationQuota extends AbstractControllerMutationQuota {

    PermissiveControllerMutationQuota(Clock clock, ControllerMutationQuotaManager.QuotaSensor quotaSensor) {
        super(clock, quotaSensor);
    }

    @Override
    public boolean isExceeded() {
        return false;
    }

    @Override
    public void record(double permits) {
        long timeMs = clock.millis();
        try {
            synchronized (quotaSensor.lock()) {
                quotaSensor.record(permits, timeMs, true);
            }
        } catch (ControllerMutationQuotaManager.QuotaViolation violation) {
            updateThrottleTime(violation, timeMs);
        }
    }
}
