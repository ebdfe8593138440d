package toykafka.exercises.lesson17;

import toykafka.broker.share.partition.RecordState;
import toykafka.lesson17.RecordLifecycle;

/** A learner's answer, written from the lesson's text: acquire first, then every event of an acquired record. */
public class MyRecordLifecycle implements RecordLifecycle {

    @Override
    public Delivery next(Delivery record, Event event, int deliveryCountLimit) {
        if (deliveryCountLimit < 2 || deliveryCountLimit > 10) {
            throw new IllegalArgumentException("the limit must be from 2 to 10, got " + deliveryCountLimit);
        }
        if (event == Event.ACQUIRE) {
            if (record.state() != RecordState.AVAILABLE) {
                throw new IllegalStateException("cannot acquire a record that is " + record.state());
            }
            return new Delivery(RecordState.ACQUIRED, record.deliveryCount() + 1);
        }
        if (record.state() != RecordState.ACQUIRED) {
            throw new IllegalStateException("cannot " + event + " a record that is " + record.state());
        }
        switch (event) {
            case ACCEPT:
                return new Delivery(RecordState.ACKNOWLEDGED, record.deliveryCount());
            case REJECT:
                return new Delivery(RecordState.ARCHIVED, record.deliveryCount());
            case RENEW:
                return record;
            default:
                boolean spent = record.deliveryCount() >= deliveryCountLimit;
                return new Delivery(spent ? RecordState.ARCHIVED : RecordState.AVAILABLE, record.deliveryCount());
        }
    }
}
