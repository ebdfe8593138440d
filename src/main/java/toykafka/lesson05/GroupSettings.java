package toykafka.lesson05;

import java.time.Duration;
import java.util.Objects;
import toykafka.common.OffsetReset;

/**
 * How a consumer group treats its members and its offsets, named as Kafka's consumer configs name them.
 *
 * @param sessionTimeout  how long a member may stay silent before it is removed ({@code session.timeout.ms})
 * @param autoOffsetReset where the group starts a partition it has no committed offset for ({@code auto.offset.reset})
 */
public record GroupSettings(Duration sessionTimeout, OffsetReset autoOffsetReset) {

    /** Kafka's defaults since 3.0: 45 seconds, and start at the end. */
    public static final GroupSettings KAFKA_DEFAULTS = new GroupSettings(Duration.ofSeconds(45), OffsetReset.LATEST);

    public GroupSettings {
        Objects.requireNonNull(sessionTimeout, "session.timeout.ms");
        Objects.requireNonNull(autoOffsetReset, "auto.offset.reset");
        if (sessionTimeout.isNegative() || sessionTimeout.isZero()) {
            throw new IllegalArgumentException("session.timeout.ms must be more than 0, was " + sessionTimeout.toMillis());
        }
    }

    @Override
    public String toString() {
        return "session.timeout.ms=" + sessionTimeout.toMillis() + ", auto.offset.reset=" + autoOffsetReset.configValue();
    }
}
