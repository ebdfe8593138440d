package toykafka.lesson07;

import java.util.List;
import toykafka.lesson01.EventLog;

/** Fix 1, one global lock, keeps every promise of a concurrent producer. */
class LockingProducerTest extends ConcurrentProducerContract {

    @Override
    protected ConcurrentProducer<String> newProducer(List<EventLog<String>> partitions) {
        return new LockingProducer<>(partitions);
    }
}
