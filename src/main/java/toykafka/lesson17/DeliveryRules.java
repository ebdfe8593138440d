package toykafka.lesson17;

import toykafka.broker.share.partition.RecordState;

/**
 * The rules a share partition applies to one record (Kafka's {@code InFlightState.tryUpdateState}, as
 * {@code SharePartition} calls it), written out for one record at a time: the same rules as the broker's
 * {@code SharePartition}, whose own code is shown in the lesson.
 */
public final class DeliveryRules implements RecordLifecycle {

    // tag::rules[]
    @Override
    public Delivery next(Delivery record, Event event, int deliveryCountLimit) {
        if (deliveryCountLimit < 2 || deliveryCountLimit > 10) {
            throw new IllegalArgumentException("share.delivery.count.limit must be in the range 2 to 10 inclusive,"
                    + " got " + deliveryCountLimit);
        }
        RecordState needed = event == Event.ACQUIRE ? RecordState.AVAILABLE : RecordState.ACQUIRED;
        if (record.state() != needed) {
            throw new IllegalStateException("Only an " + needed + " record can take " + event + "; this one is "
                    + record.state());
        }
        int count = record.deliveryCount();
        switch (event) {
            case ACQUIRE:
                return new Delivery(RecordState.ACQUIRED, count + 1); // every acquisition is a delivery
            case ACCEPT:
                return new Delivery(RecordState.ACKNOWLEDGED, count);
            case REJECT:
                return new Delivery(RecordState.ARCHIVED, count);
            case RENEW:
                return record; // the same member keeps it, with a fresh lock
            case RELEASE:
            case LOCK_EXPIRED:
                // given back either way: delivered again, unless it has had all its deliveries
                return new Delivery(count >= deliveryCountLimit ? RecordState.ARCHIVED : RecordState.AVAILABLE, count);
            default:
                throw new IllegalArgumentException("Unknown event " + event);
        }
    }
    // end::rules[]
}
