package toykafka.broker.group.base;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The settings of Kafka 4's consumer groups (KIP-848), under Kafka's broker config names. Unlike the classic
 * protocol's, the session and the heartbeat belong to the broker: a consumer of the new protocol may not set
 * {@code session.timeout.ms} or {@code heartbeat.interval.ms}, and heartbeats as often as it is told.
 *
 * @param heartbeatInterval how often a member heartbeats ({@code group.consumer.heartbeat.interval.ms})
 * @param sessionTimeout    how long a member may stay silent before it is fenced ({@code group.consumer.session.timeout.ms})
 * @param assignors         the server-side assignors a member may ask for, by name, the first the default
 *                          ({@code group.consumer.assignors})
 * @param maxSize           the most members a consumer group may have ({@code group.consumer.max.size})
 * @param migrationPolicy   whether a busy group may change type ({@code group.consumer.migration.policy})
 */
public record ConsumerGroupConfig(Duration heartbeatInterval, Duration sessionTimeout, List<String> assignors,
                                  int maxSize, ConsumerGroupMigrationPolicy migrationPolicy) {

    /** The assignors this broker has, by the names Kafka gives them. */
    public static final List<String> KNOWN_ASSIGNORS = List.of("uniform", "range");

    /**
     * Kafka's defaults: a heartbeat every 5 seconds, a session of 45, uniform then range, no limit on members, and
     * busy groups converted both ways.
     */
    public static final ConsumerGroupConfig KAFKA_DEFAULTS = new ConsumerGroupConfig(Duration.ofSeconds(5),
            Duration.ofSeconds(45), KNOWN_ASSIGNORS, Integer.MAX_VALUE);

    /** These settings, with Kafka's default migration policy, bidirectional. */
    public ConsumerGroupConfig(Duration heartbeatInterval, Duration sessionTimeout, List<String> assignors,
                               int maxSize) {
        this(heartbeatInterval, sessionTimeout, assignors, maxSize, ConsumerGroupMigrationPolicy.BIDIRECTIONAL);
    }

    public ConsumerGroupConfig {
        Objects.requireNonNull(migrationPolicy, ConsumerGroupMigrationPolicy.SETTING);
        Objects.requireNonNull(heartbeatInterval, "group.consumer.heartbeat.interval.ms");
        Objects.requireNonNull(sessionTimeout, "group.consumer.session.timeout.ms");
        assignors = List.copyOf(assignors);
        if (heartbeatInterval.toMillis() < 1 || heartbeatInterval.compareTo(sessionTimeout) >= 0) {
            throw new IllegalArgumentException("group.consumer.heartbeat.interval.ms (" + heartbeatInterval.toMillis()
                    + ") must be from 1 to less than group.consumer.session.timeout.ms (" + sessionTimeout.toMillis()
                    + ")");
        }
        if (assignors.isEmpty() || !KNOWN_ASSIGNORS.containsAll(assignors)) {
            throw new IllegalArgumentException("group.consumer.assignors must name one or more of " + KNOWN_ASSIGNORS
                    + ", was " + assignors);
        }
        if (maxSize < 1) {
            throw new IllegalArgumentException("group.consumer.max.size must be 1 or more, was " + maxSize);
        }
    }
}
