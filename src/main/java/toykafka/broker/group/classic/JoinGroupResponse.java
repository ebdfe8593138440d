package toykafka.broker.group.classic;

import java.util.List;
import toykafka.common.Errors;

/**
 * The coordinator's answer to a join, sent when the join barrier completes (Kafka's JoinGroup response).
 * Every member of a generation gets the same generation, protocol and leader; only the leader gets the
 * members with their metadata, so that it can compute the assignment.
 *
 * @param members        each member's metadata for the chosen protocol: for the leader only, empty for the others
 * @param skipAssignment true when the leader is to send back no assignment, the group keeping the one it has
 *                       (JoinGroup v9, KIP-814): a static leader back from a restart into a Stable group
 */
public record JoinGroupResponse(Errors error, int generationId, String protocolType, String protocolName,
                                String leader, String memberId, List<Member> members, boolean skipAssignment) {

    /** An answer that leaves the assignment to the leader, as every answer but a restarted static leader's does. */
    public JoinGroupResponse(Errors error, int generationId, String protocolType, String protocolName, String leader,
                             String memberId, List<Member> members) {
        this(error, generationId, protocolType, protocolName, leader, memberId, members, false);
    }

    /** A member as the leader sees it: its ids and its metadata for the chosen protocol. */
    public record Member(String memberId, String groupInstanceId, byte[] metadata) {
    }

    /** A refusal: no generation, no members. */
    public static JoinGroupResponse error(Errors error, String memberId) {
        return new JoinGroupResponse(error, -1, null, null, "", memberId, List.of());
    }

    /** This answer, telling its leader to keep the group's assignment rather than make one. */
    JoinGroupResponse skippingAssignment() {
        return new JoinGroupResponse(error, generationId, protocolType, protocolName, leader, memberId, members, true);
    }

    public boolean isLeader() {
        return error == Errors.NONE && leader.equals(memberId);
    }
}
