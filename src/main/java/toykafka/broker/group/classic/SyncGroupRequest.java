package toykafka.broker.group.classic;

import java.util.Map;

/**
 * A member asking for its assignment in a generation (Kafka's SyncGroup). The leader sends every member's
 * assignment; the others send none and wait for the leader's.
 *
 * @param protocolType null, or the group's protocol type, checked (SyncGroup v5 and later)
 * @param protocolName null, or the protocol the join chose, checked (SyncGroup v5 and later)
 * @param assignments  from the leader: each member's assignment, opaque to the coordinator; empty from the others
 * @param groupInstanceId a static member's {@code group.instance.id}, or null
 */
public record SyncGroupRequest(String groupId, int generationId, String memberId, String protocolType,
                               String protocolName, Map<String, byte[]> assignments, String groupInstanceId) {

    public SyncGroupRequest {
        assignments = assignments == null ? Map.of() : Map.copyOf(assignments);
    }

    /** A dynamic member's sync. */
    public SyncGroupRequest(String groupId, int generationId, String memberId, String protocolType,
                            String protocolName, Map<String, byte[]> assignments) {
        this(groupId, generationId, memberId, protocolType, protocolName, assignments, null);
    }
}
