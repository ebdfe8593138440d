package toykafka.kafka;

/**
 * The fields the group APIs read alike to say who asks, under the names Kafka's message schemas give them:
 * the group, the generation the member last joined, the member's id (empty before its first join) and a
 * static member's group instance id (KIP-345; null for any other member, and in versions without the field).
 * Heartbeat, SyncGroup and OffsetCommit open with all four, in this order; JoinGroup, LeaveGroup, OffsetFetch
 * and OffsetDelete read the ones they carry with the single-field readers. Every version these APIs serve is
 * non-flexible, so each string is read with a 2-byte length.
 *
 * @param generationId -1 from outside any generation, as an {@code assign()} consumer or an admin tool commits
 */
record GroupMemberFields(String groupId, int generationId, String memberId, String groupInstanceId) {

    /** {@code group_id}, {@code generation_id}, {@code member_id}, then {@code group_instance_id} from version {@code instanceIdSince}. */
    static GroupMemberFields read(ProtocolReader in, short version, int instanceIdSince) {
        String groupId = groupId(in);
        int generationId = in.int32("generation_id");
        String memberId = memberId(in);
        return new GroupMemberFields(groupId, generationId, memberId, groupInstanceId(in, version, instanceIdSince));
    }

    static String groupId(ProtocolReader in) {
        return in.string("group_id", false);
    }

    static String memberId(ProtocolReader in) {
        return in.string("member_id", false);
    }

    /** {@code group_instance_id} in version {@code since} and later; null before, where the field is absent. */
    static String groupInstanceId(ProtocolReader in, short version, int since) {
        return version >= since ? in.nullableString("group_instance_id", false) : null;
    }
}
