package toykafka.broker.group.modern;

import toykafka.common.Errors;

/**
 * Why a group refuses a member's heartbeat: Kafka's error and its message, which each protocol's answer carries
 * (Kafka throws them as {@code ApiException}s from its {@code GroupMetadataManager}).
 */
public record HeartbeatRefusal(Errors error, String message) {
}
