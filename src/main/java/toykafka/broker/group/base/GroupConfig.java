package toykafka.broker.group.base;

import java.time.Duration;
import java.util.Objects;

/**
 * The coordinator's settings, under the broker config names Kafka gives them.
 *
 * @param initialRebalanceDelay how long the first rebalance of an empty group waits for more members to
 *                              arrive, so a group that starts together rebalances once
 *                              ({@code group.initial.rebalance.delay.ms})
 * @param minSessionTimeout     the shortest session timeout a member may ask for ({@code group.min.session.timeout.ms})
 * @param maxSessionTimeout     the longest ({@code group.max.session.timeout.ms})
 * @param maxSize               the most members a group may have, those handed an id and not yet joined
 *                              included ({@code group.max.size})
 * @param offsetsRetention      how long a group keeps its committed offsets once it has no members, after which
 *                              they are deleted ({@code offsets.retention.minutes})
 * @param memoryMaxBytes        the most heap, estimated, every group's members and committed offsets may take: a
 *                              commit or join that would pass it is refused ({@link #MEMORY_MAX_BYTES}, this broker's own)
 * @param cleanupInterval       how often offsets whose retention ran out are deleted, and groups left with no
 *                              member and no offset dropped ({@code offsets.retention.check.interval.ms})
 * @param consumer              the settings of Kafka 4's consumer groups ({@code group.consumer.*})
 */
public record GroupConfig(Duration initialRebalanceDelay, Duration minSessionTimeout, Duration maxSessionTimeout,
                          int maxSize, Duration offsetsRetention, long memoryMaxBytes, Duration cleanupInterval,
                          ConsumerGroupConfig consumer) {

    /** The broker setting for {@link #memoryMaxBytes}: Kafka has none, and bounds none of this. */
    public static final String MEMORY_MAX_BYTES = "group.coordinator.memory.max.bytes";

    /** Kafka's default {@code offsets.retention.check.interval.ms}: 10 minutes. */
    public static final Duration KAFKA_CLEANUP_INTERVAL = Duration.ofMinutes(10);

    /** Kafka's defaults: 3 seconds, 6 seconds, 30 minutes, no limit on members, 7 days, a cleanup every 10 minutes. */
    public static final GroupConfig KAFKA_DEFAULTS = new GroupConfig(Duration.ofSeconds(3), Duration.ofSeconds(6),
            Duration.ofMinutes(30));

    public GroupConfig {
        Objects.requireNonNull(initialRebalanceDelay, "group.initial.rebalance.delay.ms");
        Objects.requireNonNull(minSessionTimeout, "group.min.session.timeout.ms");
        Objects.requireNonNull(maxSessionTimeout, "group.max.session.timeout.ms");
        Objects.requireNonNull(offsetsRetention, "offsets.retention.minutes");
        Objects.requireNonNull(cleanupInterval, "offsets.retention.check.interval.ms");
        Objects.requireNonNull(consumer, "group.consumer.*");
        if (initialRebalanceDelay.isNegative()) {
            throw new IllegalArgumentException("group.initial.rebalance.delay.ms must be 0 or more, was "
                    + initialRebalanceDelay.toMillis());
        }
        if (minSessionTimeout.isNegative() || minSessionTimeout.compareTo(maxSessionTimeout) > 0) {
            throw new IllegalArgumentException("group.min.session.timeout.ms (" + minSessionTimeout.toMillis()
                    + ") must be from 0 to group.max.session.timeout.ms (" + maxSessionTimeout.toMillis() + ")");
        }
        if (maxSize < 1) {
            throw new IllegalArgumentException("group.max.size must be 1 or more, was " + maxSize);
        }
        if (memoryMaxBytes < 1) {
            throw new IllegalArgumentException(MEMORY_MAX_BYTES + " must be 1 or more, was " + memoryMaxBytes);
        }
        if (cleanupInterval.isNegative() || cleanupInterval.isZero()) {
            throw new IllegalArgumentException("offsets.retention.check.interval.ms must be 1 or more, was "
                    + cleanupInterval.toMillis());
        }
        if (offsetsRetention.isNegative() || offsetsRetention.isZero()) {
            throw new IllegalArgumentException("offsets.retention.minutes must be 1 or more, was "
                    + offsetsRetention.toMinutes());
        }
    }

    /** These session and rebalance settings, with Kafka's defaults for the rest: no member limit, 7 days' retention. */
    public GroupConfig(Duration initialRebalanceDelay, Duration minSessionTimeout, Duration maxSessionTimeout) {
        this(initialRebalanceDelay, minSessionTimeout, maxSessionTimeout, Integer.MAX_VALUE, Duration.ofDays(7));
    }

    /** These settings, and no bound on the groups' memory but the heap's, as Kafka has it. */
    public GroupConfig(Duration initialRebalanceDelay, Duration minSessionTimeout, Duration maxSessionTimeout,
                       int maxSize, Duration offsetsRetention) {
        this(initialRebalanceDelay, minSessionTimeout, maxSessionTimeout, maxSize, offsetsRetention, Long.MAX_VALUE);
    }

    /** These settings, with Kafka's cleanup every 10 minutes. */
    public GroupConfig(Duration initialRebalanceDelay, Duration minSessionTimeout, Duration maxSessionTimeout,
                       int maxSize, Duration offsetsRetention, long memoryMaxBytes) {
        this(initialRebalanceDelay, minSessionTimeout, maxSessionTimeout, maxSize, offsetsRetention, memoryMaxBytes,
                KAFKA_CLEANUP_INTERVAL);
    }

    /** These settings, with Kafka's for consumer groups. */
    public GroupConfig(Duration initialRebalanceDelay, Duration minSessionTimeout, Duration maxSessionTimeout,
                       int maxSize, Duration offsetsRetention, long memoryMaxBytes, Duration cleanupInterval) {
        this(initialRebalanceDelay, minSessionTimeout, maxSessionTimeout, maxSize, offsetsRetention, memoryMaxBytes,
                cleanupInterval, ConsumerGroupConfig.KAFKA_DEFAULTS);
    }

    /** These settings, with these for consumer groups. */
    public GroupConfig withConsumer(ConsumerGroupConfig consumerGroups) {
        return new GroupConfig(initialRebalanceDelay, minSessionTimeout, maxSessionTimeout, maxSize, offsetsRetention,
                memoryMaxBytes, cleanupInterval, consumerGroups);
    }

    /** Whether a member may ask for this session timeout. */
    public boolean allowsSessionTimeout(int sessionTimeoutMs) {
        return sessionTimeoutMs >= minSessionTimeout.toMillis() && sessionTimeoutMs <= maxSessionTimeout.toMillis();
    }
}
