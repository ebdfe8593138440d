package toykafka.broker.group;

import java.util.Map;

/**
 * A member asking for its assignment in a generation (Kafka's SyncGroup). The leader sends every member's
 * assignment; the others send none and wait for the leader's.
 *
 * @param protocolType null, or the group's protocol type, checked (SyncGroup v5 and later)
 * @param protocolName null, or the protocol the join chose, checked (SyncGroup v5 and later)
 * @param assignments  from the leader: each member's assignment, opaque to the coordinator; empty from the others
 */
public record SyncGroupRequest(String groupId, int generationId, String memberId, String protocolType,
                               String protocolName, Map<String, byte[]> assignments) {

    public SyncGroupRequest {
        assignments = assignments == null ? Map.of() : Map.copyOf(assignments);
    }
}
