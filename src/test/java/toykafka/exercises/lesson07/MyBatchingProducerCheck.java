package toykafka.exercises.lesson07;

import java.time.Duration;
import java.util.List;
import toykafka.common.EventLog;
import toykafka.lesson07.BatchingProducerContract;

/** The batching-producer contract run against the learner's class: `./toykafka check 7`. */
public class MyBatchingProducerCheck extends BatchingProducerContract<MyBatchingProducer<String>> {

    @Override
    protected MyBatchingProducer<String> newProducer(List<EventLog<String>> partitions, int batchSize, Duration linger) {
        return new MyBatchingProducer<>(partitions, batchSize, linger);
    }

    @Override
    protected long batchesSent(MyBatchingProducer<String> producer) {
        return producer.batchesSent();
    }
}
