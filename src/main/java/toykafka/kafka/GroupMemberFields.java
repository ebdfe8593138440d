package toykafka.kafka;

/**
 * The fields the group APIs read alike to say who asks, under the names Kafka's message schemas give them:
 * the group, the generation the member last joined, the member's id (empty before its first join) and a
 * static member's group instance id (KIP-345; null for any other member, and in versions without the field).
 * Heartbeat, SyncGroup and OffsetCommit open with all four, in this order; TxnOffsetCommit has the producer between
 * the group and the rest; JoinGroup, LeaveGroup, OffsetFetch and OffsetDelete read the ones they carry with the
 * single-field readers. Each string is read as its version writes it: with a 2-byte length, or a compact one in a
 * flexible version.
 *
 * @param generationId -1 from outside any generation, as an {@code assign()} consumer or an admin tool commits
 */
record GroupMemberFields(String groupId, int generationId, String memberId, String groupInstanceId) {

    /** {@code group_id}, {@code generation_id}, {@code member_id}, then {@code group_instance_id} from version {@code instanceIdSince}. */
    static GroupMemberFields read(ProtocolReader in, short version, int instanceIdSince) {
        String groupId = in.string("group_id");
        int generationId = in.int32("generation_id");
        String memberId = in.string("member_id");
        String groupInstanceId = version >= instanceIdSince ? in.nullableString("group_instance_id") : null;
        return new GroupMemberFields(groupId, generationId, memberId, groupInstanceId);
    }

    /**
     * {@code generation_id}, {@code member_id} and {@code group_instance_id} of a member of {@code groupId}, read
     * already, in version {@code since} and later; before, where the fields are absent, a caller from outside any
     * generation: -1, no member id, no instance id.
     */
    static GroupMemberFields read(String groupId, ProtocolReader in, short version, int since) {
        if (version < since) {
            return new GroupMemberFields(groupId, -1, "", null);
        }
        return new GroupMemberFields(groupId, in.int32("generation_id"), in.string("member_id"),
                in.nullableString("group_instance_id"));
    }

    static String groupId(ProtocolReader in) {
        return in.string("group_id");
    }

    static String memberId(ProtocolReader in) {
        return in.string("member_id");
    }

    /** {@code group_instance_id} in version {@code since} and later; null before, where the field is absent. */
    static String groupInstanceId(ProtocolReader in, short version, int since) {
        return version >= since ? in.nullableString("group_instance_id") : null;
    }
}
