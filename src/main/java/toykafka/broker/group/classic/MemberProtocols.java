package toykafka.broker.group.classic;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a group's members agree on through the protocols each offers: whether a joining member fits in, which
 * protocol the next generation uses, and (for consumers) which topics they read. Reads the members only.
 */
final class MemberProtocols {

    private MemberProtocols() {
    }

    /**
     * Whether a member offering these protocols may be in the group: a group with no other member takes any
     * protocol type with at least one protocol; otherwise the type must be the group's, and at least one protocol
     * must be one every member supports.
     */
    static boolean admit(Map<String, GroupMember> members, String groupProtocolType, JoinGroupRequest request) {
        if (request.protocolType() == null || request.protocolType().isEmpty() || request.protocols().isEmpty()) {
            return false;
        }
        boolean alone = members.isEmpty()
                || members.size() == 1 && members.containsKey(request.memberId());
        if (alone) {
            return true;
        }
        if (!request.protocolType().equals(groupProtocolType)) {
            return false;
        }
        Set<String> common = common(members.values(), request.memberId());
        return request.protocolNames().stream().anyMatch(common::contains);
    }

    /** The protocols every member (but the one named, which is about to change its own) supports. */
    static Set<String> common(Collection<GroupMember> members, String except) {
        Set<String> common = null;
        for (GroupMember member : members) {
            if (member.memberId.equals(except)) {
                continue;
            }
            if (common == null) {
                common = new LinkedHashSet<>(member.protocolNames());
            } else {
                common.retainAll(member.protocolNames());
            }
        }
        return common == null ? Set.of() : common;
    }

    /**
     * Of the protocols every member supports, the one most members prefer: each member votes for the first
     * of its own list that all support, as Kafka's {@code selectProtocol} counts.
     */
    static String chosen(Collection<GroupMember> members) {
        Set<String> candidates = common(members, null);
        Map<String, Integer> votes = new LinkedHashMap<>();
        candidates.forEach(protocol -> votes.put(protocol, 0));
        for (GroupMember member : members) {
            member.protocolNames().stream().filter(candidates::contains).findFirst()
                    .ifPresent(vote -> votes.merge(vote, 1, Integer::sum));
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /**
     * The topics the members of a consumer group subscribe to, read from their metadata for the chosen protocol;
     * empty for a group of another kind, whose metadata the coordinator cannot read.
     */
    static Set<String> subscribedTopics(Collection<GroupMember> members, String protocolType, String protocolName) {
        Set<String> topics = new HashSet<>();
        if (!ConsumerProtocol.TYPE.equals(protocolType) || protocolName == null) {
            return topics;
        }
        for (GroupMember member : members) {
            member.metadata(protocolName).ifPresent(bytes -> topics.addAll(ConsumerProtocol.CODEC.topics(bytes)));
        }
        return topics;
    }
}
