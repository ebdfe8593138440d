package toykafka.broker.group.modern;

/**
 * A member that reaches its group's target step by step, giving up what others are to have before it takes the new
 * epoch: a consumer or streams group's member (a share group's takes its target at once). Its epoch, and whether it
 * is stable, are those of where its assignment stands.
 */
public interface ReconcilingMember extends ModernGroupMember {

    /** Where a member's assignment stands on the way to its target: its epoch and Kafka's {@code MemberState}. */
    interface Assignment {

        /** The target epoch it last reached. */
        int memberEpoch();

        /** Whether it holds its whole target and has nothing to give up ({@code MemberState.STABLE}). */
        boolean stable();
    }

    Assignment assignment();

    @Override
    default int memberEpoch() {
        return assignment().memberEpoch();
    }

    @Override
    default boolean stable() {
        return assignment().stable();
    }
}
