package toykafka.broker.group.classic;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import toykafka.common.Errors;
import toykafka.broker.group.base.CoordinatorMemory;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.broker.group.base.Group;

/**
 * Who is in one classic group: its members in join order, its leader, the ids it handed out that no join has
 * used yet, and which member each static member's {@code group.instance.id} (KIP-345) names now. Keeps the
 * three consistent as members come, go and are replaced; the {@link ClassicGroup} decides when. Guarded by its
 * group's lock.
 */
public final class ClassicMembers {

    /** Ids waiting for their member's second join, at most; a real client comes back within milliseconds. */
    public static final int MAX_PENDING_MEMBERS = 1_000;

    /** In join order: when the leader leaves, the member that joined first after it leads. */
    private final Map<String, GroupMember> members = new LinkedHashMap<>();
    /**
     * Ids handed out with MEMBER_ID_REQUIRED, not yet used to join, each with the time it lapses, oldest first.
     * At most {@link #MAX_PENDING_MEMBERS}: past it the oldest is forgotten, so a client that joins and never
     * comes back cannot park ids without end, nor keep others out.
     */
    private final Map<String, Instant> pending = new LinkedHashMap<>();
    /** A static member's group instance id, and the member id it was last given. */
    private final Map<String, String> staticIds = new HashMap<>();
    private String leaderId;

    GroupMember get(String memberId) {
        return members.get(memberId);
    }

    boolean has(String memberId) {
        return members.containsKey(memberId);
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    int size() {
        return members.size();
    }

    /** The members in join order; a copy, so a caller may remove members while it walks them. */
    List<GroupMember> all() {
        return List.copyOf(members.values());
    }

    /** The members by id, for the checks that read them all. */
    Map<String, GroupMember> byId() {
        return java.util.Collections.unmodifiableMap(members);
    }

    List<String> ids() {
        return List.copyOf(members.keySet());
    }

    String leaderId() {
        return leaderId;
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    /** A member joins; the first one in an empty group leads. */
    void add(GroupMember member) {
        members.put(member.memberId, member);
        if (member.groupInstanceId != null) {
            staticIds.put(member.groupInstanceId, member.memberId);
        }
        if (leaderId == null) {
            leaderId = member.memberId;
        }
    }

    /** Makes a member the leader: the one the offsets topic kept as leading, when a group is loaded. */
    void lead(String memberId) {
        if (members.containsKey(memberId)) {
            leaderId = memberId;
        }
    }

    /** Each member as the offsets topic keeps it, in the order they joined. */
    List<ClassicGroupSnapshot.Member> kept(String protocolName) {
        return members.values().stream().map(member -> member.kept(protocolName)).toList();
    }

    /** Removes a member, its static id with it; if it led, the member that joined first after it leads. */
    GroupMember remove(String memberId) {
        GroupMember member = members.remove(memberId);
        if (member == null) {
            return null;
        }
        if (member.groupInstanceId != null) {
            staticIds.remove(member.groupInstanceId, memberId);
        }
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
        return member;
    }

    /** Removes every member that matches, and says which went. */
    List<GroupMember> removeIf(Predicate<GroupMember> gone) {
        List<GroupMember> removed = members.values().stream().filter(gone).toList();
        removed.forEach(member -> remove(member.memberId));
        return removed;
    }

    /** The next generation's leader: the current one if it is still here, else the member that joined first. */
    void keepOrChooseLeader() {
        if (!members.containsKey(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
    }

    // tag::static[]
    /** The member id a static member's instance id names now, if the group has that instance. */
    Optional<String> staticMember(String groupInstanceId) {
        return Optional.ofNullable(groupInstanceId == null ? null : staticIds.get(groupInstanceId));
    }

    /**
     * A static member that came back with no member id takes its old place under a new id: the same join order,
     * protocols and assignment, the lead if the old id led. The old member is returned, so that whatever it still
     * waits for can be told it was fenced.
     */
    GroupMember replaceStatic(String groupInstanceId, String newMemberId) {
        String oldId = staticIds.get(groupInstanceId);
        GroupMember old = members.get(oldId);
        Map<String, GroupMember> reordered = new LinkedHashMap<>();
        members.forEach((id, member) -> {
            if (id.equals(oldId)) {
                reordered.put(newMemberId, member.replacedBy(newMemberId));
            } else {
                reordered.put(id, member);
            }
        });
        members.clear();
        members.putAll(reordered);
        staticIds.put(groupInstanceId, newMemberId);
        if (oldId.equals(leaderId)) {
            leaderId = newMemberId;
        }
        return old;
    }
    // end::static[]

    /**
     * Why the group refuses a join, or NONE: protocols it cannot agree on, no room for one not yet a member
     * (Kafka's {@code acceptJoiningMember}: only members count against {@code group.max.size}, not ids handed out,
     * and a static member coming back with no id counts as new), or a member it cannot place.
     *
     * @param protocolType the group's, or null while it has none
     */
    Errors joinRefusal(JoinGroupRequest request, String protocolType, int maxSize) {
        String memberId = request.memberId();
        if (!MemberProtocols.admit(members, protocolType, request)) {
            return Errors.INCONSISTENT_GROUP_PROTOCOL;
        }
        boolean full = members.size() >= maxSize;
        if (memberId.isEmpty()) {
            return full ? Errors.GROUP_MAX_SIZE_REACHED : Errors.NONE;
        }
        if (request.groupInstanceId() == null && isPending(memberId)) {
            if (full) {
                forgetPending(memberId); // its place never came: it may start again with a first join
                return Errors.GROUP_MAX_SIZE_REACHED;
            }
            return Errors.NONE;
        }
        return refusal(memberId, request.groupInstanceId());
    }

    // tag::fenced-instance[]
    /**
     * Whether a request from this member id and group instance id may touch the group (Kafka's
     * {@code validateMember}): a static member's instance id must name this very member id, else the asker is an
     * older instance that a newer one replaced, FENCED_INSTANCE_ID; any other stranger is UNKNOWN_MEMBER_ID.
     */
    Errors refusal(String memberId, String groupInstanceId) {
        if (groupInstanceId != null) {
            String current = staticIds.get(groupInstanceId);
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!current.equals(memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
        }
        return members.containsKey(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }
    // end::fenced-instance[]

    /**
     * The id of a member LeaveGroup may remove, if any: one named by its instance id alone, an id handed out, or
     * a member {@link #refusal} lets through.
     */
    Optional<String> leaving(LeavingMember member) {
        if (member.memberId().isEmpty()) {
            return staticMember(member.groupInstanceId());
        }
        boolean goes = pending.containsKey(member.memberId())
                || refusal(member.memberId(), member.groupInstanceId()) == Errors.NONE;
        return goes ? Optional.of(member.memberId()) : Optional.empty();
    }

    /**
     * A new member id: the static member's instance id, or else the client id (at most MAX_NAME_LENGTH of it, so
     * no member id is longer than a name a person would choose), then a random UUID, as Kafka makes them.
     */
    static String newMemberId(JoinGroupRequest request) {
        String prefix = request.groupInstanceId() != null ? request.groupInstanceId()
                : request.clientId().isEmpty() ? "member" : request.clientId();
        return prefix.substring(0, Math.min(prefix.length(), Group.MAX_NAME_LENGTH)) + "-"
                + java.util.UUID.randomUUID();
    }

    /** Hands out an id for a second join, forgetting the oldest id still unused if there are too many. */
    void handOut(String memberId, Instant lapses) {
        if (pending.size() >= MAX_PENDING_MEMBERS) {
            pending.remove(pending.keySet().iterator().next());
        }
        pending.put(memberId, lapses);
    }

    boolean isPending(String memberId) {
        return pending.containsKey(memberId);
    }

    /** Forgets an id handed out: it was used, or given up. */
    boolean forgetPending(String memberId) {
        return pending.remove(memberId) != null;
    }

    boolean nonePending() {
        return pending.isEmpty();
    }

    void lapsePending(Instant now) {
        pending.values().removeIf(now::isAfter);
    }

    void clearPending() {
        pending.clear();
    }

    /** Every member with its metadata for the chosen protocol, as the leader is sent them to assign. */
    List<JoinGroupResponse.Member> asLeaderSees(String protocolName) {
        return members.values().stream().map(m -> new JoinGroupResponse.Member(m.memberId, m.groupInstanceId,
                m.metadata(protocolName).orElseThrow())).toList();
    }

    /** Every member as DescribeGroups shows it; no metadata before a protocol is chosen. */
    List<DescribedGroup.Member> described(String protocolName) {
        return members.values().stream().map(m -> new DescribedGroup.Member(m.memberId, m.groupInstanceId,
                m.clientId, m.clientHost, protocolName == null ? new byte[0] : m.metadata(protocolName)
                .orElse(new byte[0]), m.assignment)).toList();
    }

    /** What the members and the ids handed out take in the coordinator's memory, estimated. */
    long bytes() {
        long bytes = (long) pending.size() * CoordinatorMemory.PENDING_ID_BYTES;
        for (GroupMember member : members.values()) {
            bytes += member.bytes();
        }
        return bytes;
    }

    /** The longest rebalance timeout any member asked for: how long a barrier waits for all of them. */
    long longestRebalanceTimeout() {
        return members.values().stream().mapToLong(m -> m.rebalanceTimeoutMs).max().orElse(0);
    }
}
