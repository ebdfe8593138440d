package toykafka.broker.group.modern;

import java.time.Instant;

/**
 * What a member of a consumer, share or streams group is to its group, whatever it reads (Kafka's
 * {@code ModernGroupMember}): who it is, its epoch, when it was last heard, and what it takes in the coordinator's
 * memory.
 */
public interface ModernGroupMember {

    String memberId();

    /** Its {@code group.instance.id}, for a static member; else null. */
    default String instanceId() {
        return null;
    }

    int memberEpoch();

    Instant lastHeard();

    /** While it has something to give up: when its rebalance timeout runs out; else null. */
    default Instant revokeBy() {
        return null;
    }

    /** How long it may be silent, given the group's session timeout. */
    default int sessionTimeoutMs(int groupSessionTimeoutMs) {
        return groupSessionTimeoutMs;
    }

    /** Whether it holds its whole assignment and nothing it must give up (Kafka's {@code MemberState.STABLE}). */
    boolean stable();

    /** What it takes in the coordinator's memory, estimated. */
    long bytes();
}
