package toykafka.broker.share.partition;

/**
 * The state of one in-flight record, or of a whole batch while its records share it (Kafka's {@code InFlightState}):
 * the state, how many times it has been delivered, and while ACQUIRED, the member holding it and when its lock runs
 * out. Each transition checks the state it starts from; the share partition checks the member.
 */
final class InFlightState {

    static final String NO_MEMBER = "";

    private RecordState state;
    private int deliveryCount;
    private String memberId = NO_MEMBER;
    private long lockDeadlineMs;

    InFlightState(RecordState state, int deliveryCount) {
        this.state = state;
        this.deliveryCount = deliveryCount;
    }

    InFlightState copy() {
        InFlightState copy = new InFlightState(state, deliveryCount);
        copy.memberId = memberId;
        copy.lockDeadlineMs = lockDeadlineMs;
        return copy;
    }

    RecordState state() {
        return state;
    }

    int deliveryCount() {
        return deliveryCount;
    }

    String memberId() {
        return memberId;
    }

    boolean acquiredBy(String member) {
        return state == RecordState.ACQUIRED && memberId.equals(member);
    }

    boolean lockExpired(long nowMs) {
        return state == RecordState.ACQUIRED && lockDeadlineMs <= nowMs;
    }

    // tag::transitions[]
    /** AVAILABLE to ACQUIRED: one more delivery, locked to the member until the deadline. */
    void acquire(String member, long deadlineMs) {
        expect(RecordState.AVAILABLE);
        state = RecordState.ACQUIRED;
        deliveryCount++;
        memberId = member;
        lockDeadlineMs = deadlineMs;
    }

    /**
     * ACQUIRED back to AVAILABLE, its delivery count kept; set aside instead once the count has reached the limit,
     * as Kafka does on a release, a lock's expiry and a member's leaving alike.
     *
     * @param deadLetters whether a record set aside goes to the dead-letter topic first (ARCHIVING) or not (ARCHIVED)
     */
    void release(int deliveryCountLimit, boolean deadLetters) {
        expect(RecordState.ACQUIRED);
        settle(deliveryCount >= deliveryCountLimit ? setAside(deadLetters) : RecordState.AVAILABLE);
    }

    /** ACQUIRED to set aside, the member having said the record cannot be processed. */
    void reject(boolean deadLetters) {
        expect(RecordState.ACQUIRED);
        settle(setAside(deadLetters));
    }

    void acknowledge() {
        expect(RecordState.ACQUIRED);
        settle(RecordState.ACKNOWLEDGED);
    }

    /**
     * Settled for good without processing: a gap, an aborted transaction's record, one gone from the log, or one whose
     * dead letter is written.
     */
    void archive() {
        settle(RecordState.ARCHIVED);
    }

    void renew(long deadlineMs) {
        expect(RecordState.ACQUIRED);
        lockDeadlineMs = deadlineMs;
    }
    // end::transitions[]

    /**
     * A lock does not outlive the broker: an acquired record is written as a lock's expiry would leave it, available
     * with its count, or set aside once that count has reached the limit.
     */
    RecordState persistedState(int deliveryCountLimit, boolean deadLetters) {
        if (state != RecordState.ACQUIRED) {
            return state;
        }
        return deliveryCount >= deliveryCountLimit ? setAside(deadLetters) : RecordState.AVAILABLE;
    }

    private static RecordState setAside(boolean deadLetters) {
        return deadLetters ? RecordState.ARCHIVING : RecordState.ARCHIVED;
    }

    private void settle(RecordState newState) {
        state = newState;
        memberId = NO_MEMBER;
        lockDeadlineMs = 0;
    }

    private void expect(RecordState expected) {
        if (state != expected) {
            throw new IllegalStateException("A record in state " + state + " cannot make a transition that starts from "
                    + expected);
        }
    }

    @Override
    public String toString() {
        return state + (memberId.isEmpty() ? "" : " by " + memberId) + ", delivered " + deliveryCount;
    }
}
