package toykafka.broker.group.base;

/**
 * Where a consumer group's heartbeat interval and session timeout come from: Kafka's group configs
 * ({@code consumer.heartbeat.interval.ms}, {@code consumer.session.timeout.ms}) when set on the group, else the
 * broker's {@code group.consumer.*} settings. The coordinator asks at each heartbeat, so a change takes effect at the
 * group's next one, as in Kafka.
 */
@FunctionalInterface
public interface ConsumerGroupTimings {

    /** A group's heartbeat interval and session timeout, in milliseconds. */
    record Timing(int heartbeatIntervalMs, int sessionTimeoutMs) {
    }

    Timing timingOf(String groupId);

    /** Every group takes the broker's settings. */
    static ConsumerGroupTimings broker(ConsumerGroupConfig config) {
        Timing timing = new Timing((int) config.heartbeatInterval().toMillis(), (int) config.sessionTimeout().toMillis());
        return groupId -> timing;
    }
}
