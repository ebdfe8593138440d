package toykafka.broker.group;

/** A member saying it is alive, in the generation it last joined (Kafka's Heartbeat). */
public record HeartbeatRequest(String groupId, int generationId, String memberId) {
}
