package toykafka.broker.quota;

import java.time.Clock;

/**
 * What the strict and the permissive quota share (Kafka's {@code AbstractControllerMutationQuota}): the throttle time
 * of the last violation, less the time gone since, so an answer sent later asks for no longer a wait than is left.
 */
abstract class AbstractControllerMutationQuota implements ControllerMutationQuota {

    protected final Clock clock;
    protected final ControllerMutationQuotaManager.QuotaSensor quotaSensor;
    protected long lastThrottleTimeMs;
    private long lastRecordedTimeMs;

    AbstractControllerMutationQuota(Clock clock, ControllerMutationQuotaManager.QuotaSensor quotaSensor) {
        this.clock = clock;
        this.quotaSensor = quotaSensor;
    }

    protected void updateThrottleTime(ControllerMutationQuotaManager.QuotaViolation violation, long timeMs) {
        lastThrottleTimeMs = violation.throttleTimeMs;
        lastRecordedTimeMs = timeMs;
    }

    @Override
    public int throttleTime() {
        if (lastThrottleTimeMs == 0) {
            return 0;
        }
        long deltaTimeMs = clock.millis() - lastRecordedTimeMs;
        return (int) Math.max(0, lastThrottleTimeMs - deltaTimeMs);
    }
}
