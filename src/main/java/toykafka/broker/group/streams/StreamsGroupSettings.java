package toykafka.broker.group.streams;

/**
 * What a streams group takes from Kafka's group configs ({@code streams.heartbeat.interval.ms},
 * {@code streams.session.timeout.ms}, {@code streams.num.standby.replicas}, {@code streams.initial.rebalance.delay.ms},
 * {@code streams.task.offset.interval.ms}, {@code streams.acceptable.recovery.lag})
 * when set on the group, else the broker's. The coordinator asks at each heartbeat, so a change takes effect at the
 * group's next one, as in Kafka.
 */
@FunctionalInterface
public interface StreamsGroupSettings {

    /** A group's settings; the times in milliseconds. */
    record Settings(int heartbeatIntervalMs, int sessionTimeoutMs, int numStandbyReplicas,
                    int initialRebalanceDelayMs, int taskOffsetIntervalMs, long acceptableRecoveryLag) {
    }

    /**
     * Kafka's defaults: 5 s heartbeats, 45 s sessions, no standby replicas, a 3 s initial delay, task offsets every
     * minute, a recovery lag of 10000 records.
     */
    Settings KAFKA_DEFAULTS = new Settings(5000, 45000, 0, 3000, 60000, 10000);

    Settings settingsOf(String groupId);
}
