package toykafka.lesson17;

import toykafka.broker.share.partition.RecordState;

// tag::contract[]
/**
 * What happens to one in-flight record of a share partition (Kafka's {@code InFlightState} and the transitions
 * {@code SharePartition} makes on it): acquired by a member, then accepted, released, rejected, renewed, or left until
 * its acquisition lock runs out. A record delivered {@code share.delivery.count.limit} times is archived rather than
 * made available again. The group here has no dead-letter topic, so a record set aside is ARCHIVED at once and
 * {@code next} never returns ARCHIVING; a record given to it ARCHIVING (set aside, its dead letter not yet written)
 * is past every event, as an ARCHIVED one is.
 */
public interface RecordLifecycle {

    /** What happens to the record. */
    enum Event {
        /** A share fetch hands it to a member, under a lock. */
        ACQUIRE,
        /** The member processed it. */
        ACCEPT,
        /** The member could not process it this time: deliver it again. */
        RELEASE,
        /** The member can never process it. */
        REJECT,
        /** The member needs longer: a fresh lock. */
        RENEW,
        /** The member said nothing before its lock ran out. */
        LOCK_EXPIRED
    }

    /**
     * A record's state and how many times it has been delivered (acquired).
     *
     * @throws IllegalArgumentException for a negative count, or an acquired record never delivered
     */
    record Delivery(RecordState state, int deliveryCount) {
        public Delivery {
            if (state == null) {
                throw new IllegalArgumentException("A record's state is AVAILABLE, ACQUIRED, ACKNOWLEDGED,"
                        + " ARCHIVING (set aside, waiting for its dead letter) or ARCHIVED, not null");
            }
            if (deliveryCount < 0 || state == RecordState.ACQUIRED && deliveryCount < 1) {
                throw new IllegalArgumentException("A record's delivery count is 0 or more, and 1 or more once it is"
                        + " acquired; got " + state + " delivered " + deliveryCount);
            }
        }
    }

    /**
     * The record after the event.
     *
     * @param deliveryCountLimit share.delivery.count.limit, from 2 to 10
     * @throws IllegalArgumentException if the limit is outside 2 to 10
     * @throws IllegalStateException    if the event cannot happen to a record in its state: only an AVAILABLE record
     *                                  is acquired (whatever its count: the limit is checked when a record is given
     *                                  back), and only an ACQUIRED one is acknowledged or has a lock to lose
     */
    Delivery next(Delivery record, Event event, int deliveryCountLimit);
}
// end::contract[]
