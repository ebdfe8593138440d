package toykafka.broker.group.classic;

import toykafka.common.Errors;

/** The member's assignment for the generation, as the leader wrote it (Kafka's SyncGroup response). */
public record SyncGroupResponse(Errors error, String protocolType, String protocolName, byte[] assignment) {

    public static SyncGroupResponse error(Errors error) {
        return new SyncGroupResponse(error, null, null, new byte[0]);
    }
}
