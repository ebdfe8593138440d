package toykafka.exercises.lesson17;

import toykafka.broker.share.partition.RecordState;
import toykafka.lesson17.RecordLifecycle;

/**
 * Exercise for lesson 17: what one event does to a record of a share partition, its delivery count and the limit.
 * Check your work with {@code ./toykafka check 17}; ask for help with {@code ./toykafka hint 17}.
 * Read the lesson with its code in place: {@code ./toykafka read 17} (add a section's name for one section).
 */
public class MyRecordLifecycle implements RecordLifecycle {

    @Override
    public Delivery next(Delivery record, Event event, int deliveryCountLimit) {
        throw new UnsupportedOperationException(
                "next() is yours to write: see section \"Locks and redelivery\" (./toykafka read 17 redelivery)");
    }
}
