package toykafka.broker.group.share;

import toykafka.broker.group.base.ConsumerGroupTimings;

/**
 * Where a share group's heartbeat interval and session timeout come from: the group configs
 * {@code share.heartbeat.interval.ms} and {@code share.session.timeout.ms} when set on the group, else the broker's
 * {@code group.share.*} settings, asked at each heartbeat as Kafka does.
 */
@FunctionalInterface
public interface ShareGroupTimings {

    /** Kafka's defaults: a heartbeat every 5 s, a session of 45 s. */
    ShareGroupTimings KAFKA_DEFAULTS = groupId -> new ConsumerGroupTimings.Timing(5000, 45000);

    ConsumerGroupTimings.Timing timingOf(String groupId);
}
