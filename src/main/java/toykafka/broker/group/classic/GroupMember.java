package toykafka.broker.group.classic;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import toykafka.common.Errors;
import toykafka.broker.group.base.CoordinatorMemory;
import toykafka.broker.group.base.Group;

/**
 * One member of a group as the coordinator keeps it (Kafka's {@code ClassicGroupMember}): what it said
 * when it joined, the assignment the leader gave it, when it was last heard from, and the join or sync
 * it is waiting on. Guarded by its group's lock.
 */
public final class GroupMember {

    final String memberId;
    /** A static member's {@code group.instance.id} (KIP-345), or null for a dynamic member. */
    final String groupInstanceId;
    String clientId;
    String clientHost;
    int sessionTimeoutMs;
    int rebalanceTimeoutMs;
    String protocolType;
    List<JoinGroupRequest.Protocol> protocols;
    byte[] assignment = new byte[0];
    Instant lastHeard;
    CompletableFuture<JoinGroupResponse> awaitingJoin;
    CompletableFuture<SyncGroupResponse> awaitingSync;

    GroupMember(String memberId, JoinGroupRequest request, Instant now) {
        this.memberId = memberId;
        this.groupInstanceId = request.groupInstanceId();
        update(request, now);
    }

    private GroupMember(String memberId, GroupMember old) {
        this.memberId = memberId;
        this.groupInstanceId = old.groupInstanceId;
        clientId = old.clientId;
        clientHost = old.clientHost;
        sessionTimeoutMs = old.sessionTimeoutMs;
        rebalanceTimeoutMs = old.rebalanceTimeoutMs;
        protocolType = old.protocolType;
        protocols = old.protocols;
        assignment = old.assignment;
        lastHeard = old.lastHeard;
    }

    /** A member as the offsets topic kept it: its session starts again now, as Kafka's does when it loads a group. */
    GroupMember(ClassicGroupSnapshot.Member kept, String protocolType, String protocolName, Instant now) {
        memberId = kept.memberId();
        groupInstanceId = kept.groupInstanceId();
        clientId = kept.clientId();
        clientHost = kept.clientHost();
        sessionTimeoutMs = kept.sessionTimeoutMs();
        rebalanceTimeoutMs = kept.rebalanceTimeoutMs();
        this.protocolType = protocolType;
        protocols = List.of(new JoinGroupRequest.Protocol(protocolName, kept.subscription()));
        assignment = kept.assignment();
        lastHeard = now;
    }

    /** The member as the offsets topic keeps it: its metadata for the group's protocol, and its assignment. */
    ClassicGroupSnapshot.Member kept(String protocolName) {
        return new ClassicGroupSnapshot.Member(memberId, groupInstanceId, clientId, clientHost, rebalanceTimeoutMs,
                sessionTimeoutMs, metadata(protocolName).orElse(new byte[0]), assignment);
    }

    /** The same static member under a new id: what it joined with and was given, but nothing it waits for. */
    GroupMember replacedBy(String newMemberId) {
        return new GroupMember(newMemberId, this);
    }

    void update(JoinGroupRequest request, Instant now) {
        clientId = request.clientId();
        clientHost = request.clientHost();
        sessionTimeoutMs = request.sessionTimeoutMs();
        rebalanceTimeoutMs = request.rebalanceTimeoutMs();
        protocolType = request.protocolType();
        protocols = request.protocols();
        lastHeard = now;
    }

    /**
     * Answers the join or sync the member waits for with an error, once it is no longer in the group: removed
     * (UNKNOWN_MEMBER_ID), or replaced by a newer instance of the same static member (FENCED_INSTANCE_ID).
     */
    void release(Errors error, List<Runnable> replies) {
        if (awaitingJoin != null) {
            CompletableFuture<JoinGroupResponse> waiting = awaitingJoin;
            replies.add(() -> waiting.complete(JoinGroupResponse.error(error, memberId)));
        }
        if (awaitingSync != null) {
            CompletableFuture<SyncGroupResponse> waiting = awaitingSync;
            replies.add(() -> waiting.complete(SyncGroupResponse.error(error)));
        }
    }

    /** What the member takes in the coordinator's memory, estimated: what it joined with, and its assignment. */
    long bytes() {
        int ids = memberId.length() + (groupInstanceId == null ? 0 : groupInstanceId.length());
        return bytesOf(ids, clientId, clientHost, protocolType, protocols) + assignment.length;
    }

    /** The estimated bytes of a member that joins with this request, before the leader assigns it anything. */
    public static long bytesOf(JoinGroupRequest request) {
        int ids = Group.MAX_NAME_LENGTH + 37 // its id, at most
                + (request.groupInstanceId() == null ? 0 : request.groupInstanceId().length());
        return bytesOf(ids, request.clientId(), request.clientHost(), request.protocolType(), request.protocols());
    }

    private static long bytesOf(int memberIdLength, String clientId, String clientHost, String protocolType,
                                List<JoinGroupRequest.Protocol> protocols) {
        long bytes = CoordinatorMemory.MEMBER_BYTES + memberIdLength + clientId.length() + clientHost.length()
                + protocolType.length();
        for (JoinGroupRequest.Protocol protocol : protocols) {
            bytes += protocol.bytes();
        }
        return bytes;
    }

    List<String> protocolNames() {
        return protocols.stream().map(JoinGroupRequest.Protocol::name).toList();
    }

    /** Whether the member offers the same protocols with the same metadata as in this request. */
    boolean sameProtocols(JoinGroupRequest request) {
        if (!request.protocolNames().equals(protocolNames())) {
            return false;
        }
        for (int i = 0; i < protocols.size(); i++) {
            if (!java.util.Arrays.equals(protocols.get(i).metadata(), request.protocols().get(i).metadata())) {
                return false;
            }
        }
        return true;
    }

    Optional<byte[]> metadata(String protocol) {
        return protocols.stream().filter(p -> p.name().equals(protocol)).map(JoinGroupRequest.Protocol::metadata)
                .findFirst();
    }

    /** A member waiting for an answer is not silent: its session starts again once it is answered. */
    boolean expired(Instant now) {
        return awaitingJoin == null && awaitingSync == null
                && now.isAfter(lastHeard.plusMillis(sessionTimeoutMs));
    }
}
