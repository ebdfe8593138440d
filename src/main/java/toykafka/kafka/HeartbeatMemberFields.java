package toykafka.kafka;

/**
 * The fields the heartbeats of Kafka 4's group protocols read alike to say who asks, under the names Kafka's message
 * schemas give them: the group, the member's id, and the member's epoch (0 to join, -1 to leave, else the epoch the
 * member was given). ConsumerGroupHeartbeat, ShareGroupHeartbeat and StreamsGroupHeartbeat open with all three, in
 * this order.
 */
record HeartbeatMemberFields(String groupId, String memberId, int memberEpoch) {

    /** {@code group_id}, {@code member_id}, then {@code member_epoch}. */
    static HeartbeatMemberFields read(ProtocolReader in) {
        return new HeartbeatMemberFields(in.string("group_id"), in.string("member_id"), in.int32("member_epoch"));
    }

    /** "group G from M at epoch E", as the heartbeats' {@code --trace} lines begin. */
    @Override
    public String toString() {
        return "group " + groupId + " from " + memberId + " at epoch " + memberEpoch;
    }
}
