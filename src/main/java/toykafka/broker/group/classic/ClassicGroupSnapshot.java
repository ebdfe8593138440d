package toykafka.broker.group.classic;

import java.util.List;

/**
 * A classic group as the offsets topic keeps it, Kafka's {@code GroupMetadataValue}: written when a generation
 * becomes Stable (the leader's assignment in hand) or the group becomes Empty, and replayed at start, so members
 * carry on after a restart with no rebalance. {@code protocolName} and {@code leaderId} are null for an empty group.
 */
public record ClassicGroupSnapshot(String groupId, String protocolType, int generation, String protocolName,
                                   String leaderId, long stateTimestampMs, List<Member> members) {

    public ClassicGroupSnapshot {
        members = List.copyOf(members);
    }

    /** One member: what it joined with, its metadata for the group's protocol, and the assignment it was given. */
    public record Member(String memberId, String groupInstanceId, String clientId, String clientHost,
                         int rebalanceTimeoutMs, int sessionTimeoutMs, byte[] subscription, byte[] assignment) {
    }
}
