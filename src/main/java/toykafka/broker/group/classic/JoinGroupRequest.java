package toykafka.broker.group.classic;

import java.util.List;
import java.util.Objects;
import toykafka.broker.group.base.CoordinatorMemory;

/**
 * A member asking to be in the group's next generation (Kafka's JoinGroup). The coordinator never reads
 * the protocols' metadata: for a consumer it holds the topics it wants, and only the leader decodes it.
 *
 * @param memberId             empty on a first join: the coordinator hands out the id
 * @param requireKnownMemberId true for JoinGroup v4 and later: a first join is answered MEMBER_ID_REQUIRED
 *                             with an id, and the member joins again with it; false admits it at once (v0 to v3)
 * @param protocolType         the kind of group, "consumer" for consumers; every member must give the same
 * @param protocols            the protocols (for consumers, assignors) the member supports, preferred first
 * @param groupInstanceId      a static member's {@code group.instance.id} (KIP-345), or null for a dynamic member
 * @param supportsSkippingAssignment true for JoinGroup v9 and later (KIP-814): a static leader back from a restart
 *                             is answered as the leader, told to skip the assignment; false tells it the leader it
 *                             replaced, and it follows
 */
public record JoinGroupRequest(String groupId, String memberId, String clientId, String clientHost,
                               int sessionTimeoutMs, int rebalanceTimeoutMs, String protocolType,
                               List<Protocol> protocols, boolean requireKnownMemberId, String groupInstanceId,
                               boolean supportsSkippingAssignment) {

    /** A join from a client older than JoinGroup v9, which cannot be told to skip the assignment. */
    public JoinGroupRequest(String groupId, String memberId, String clientId, String clientHost, int sessionTimeoutMs,
                            int rebalanceTimeoutMs, String protocolType, List<Protocol> protocols,
                            boolean requireKnownMemberId, String groupInstanceId) {
        this(groupId, memberId, clientId, clientHost, sessionTimeoutMs, rebalanceTimeoutMs, protocolType, protocols,
                requireKnownMemberId, groupInstanceId, false);
    }

    /** A dynamic member's join. */
    public JoinGroupRequest(String groupId, String memberId, String clientId, String clientHost, int sessionTimeoutMs,
                            int rebalanceTimeoutMs, String protocolType, List<Protocol> protocols,
                            boolean requireKnownMemberId) {
        this(groupId, memberId, clientId, clientHost, sessionTimeoutMs, rebalanceTimeoutMs, protocolType, protocols,
                requireKnownMemberId, null);
    }

    /** One protocol a member supports, with the metadata the leader gets if the group chooses it. */
    public record Protocol(String name, byte[] metadata) {
        public Protocol {
            Objects.requireNonNull(name, "a protocol has a name");
            metadata = metadata == null ? new byte[0] : metadata;
        }

        /** What the protocol takes in the coordinator's memory, estimated: its name, its metadata, its entry. */
        public long bytes() {
            return CoordinatorMemory.PROTOCOL_BYTES + name.length() + metadata.length;
        }
    }

    public JoinGroupRequest {
        memberId = memberId == null ? "" : memberId;
        clientId = clientId == null ? "" : clientId;
        clientHost = clientHost == null ? "" : clientHost;
        protocols = protocols == null ? List.of() : List.copyOf(protocols);
    }

    /** The protocols' names, in the member's order of preference. */
    public List<String> protocolNames() {
        return protocols.stream().map(Protocol::name).toList();
    }
}
