package toykafka.broker.share.partition;

/**
 * A dead-letter batch (Kafka's {@code DlqBatch}): records of one share partition set aside for its group's
 * dead-letter topic, offsets {@code firstOffset} to {@code lastOffset}, all delivered {@code deliveryCount} times
 * and set aside for the same cause, one dead letter to be written for each. They stay ARCHIVING until their dead
 * letters are written, then are ARCHIVED.
 */
public record DeadLetter(long firstOffset, long lastOffset, int deliveryCount, Cause cause) {

    /** Why records were set aside, with the words Kafka writes in the {@code __dlq.errors.message} header. */
    public enum Cause {
        /** A member rejected them (acknowledge type REJECT). */
        CLIENT_REJECT("Offset rejected by client."),
        /** They were released, or their lock ran out, at the delivery count limit. */
        DELIVERY_COUNT_EXCEEDED("Offset delivery count exceeded the threshold.");

        private final String message;

        Cause(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }
    }

    public DeadLetter {
        if (firstOffset < 0 || lastOffset < firstOffset) {
            throw new IllegalArgumentException("A dead-letter batch covers offsets from 0 up, first to last; got "
                    + firstOffset + " to " + lastOffset);
        }
    }

    /** The same batch taking in the next offsets, if they follow on with the same count and cause; else null. */
    DeadLetter joinedWith(DeadLetter next) {
        boolean follows = lastOffset + 1 == next.firstOffset() && deliveryCount == next.deliveryCount()
                && cause == next.cause();
        return follows ? new DeadLetter(firstOffset, next.lastOffset(), deliveryCount, cause) : null;
    }
}
