package toykafka.broker.group.classic;

/**
 * A member saying it is alive (Kafka's Heartbeat), in the generation it last joined.
 *
 * @param groupInstanceId a static member's {@code group.instance.id}, or null
 */
public record HeartbeatRequest(String groupId, int generationId, String memberId, String groupInstanceId) {

    /** A dynamic member's heartbeat. */
    public HeartbeatRequest(String groupId, int generationId, String memberId) {
        this(groupId, generationId, memberId, null);
    }
}
