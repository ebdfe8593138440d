package toykafka.broker.group.classic;

/**
 * One member a LeaveGroup names: by its member id, or (a static member, from an admin's
 * {@code removeMembersFromConsumerGroup}) by its group instance id alone, with an empty member id; or both.
 *
 * @param groupInstanceId a static member's {@code group.instance.id}, or null
 */
public record LeavingMember(String memberId, String groupInstanceId) {

    public LeavingMember {
        memberId = memberId == null ? "" : memberId;
    }

    /** A dynamic member, named by its id. */
    public static LeavingMember dynamic(String memberId) {
        return new LeavingMember(memberId, null);
    }
}
