package toykafka.exercises.lesson07;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.common.EventLog;
import toykafka.lesson07.BatchingProducer;
import toykafka.lesson07.ConcurrentProducer;

/** A finished lesson 7 exercise that hands every call to the reference producer: it proves the check's wiring. */
public class MyBatchingProducer<E> implements ConcurrentProducer<E> {

    private final BatchingProducer<E> producer;

    public MyBatchingProducer(List<? extends EventLog<E>> logs, int batchSize, Duration linger) {
        producer = new BatchingProducer<>(logs, batchSize, linger);
    }

    @Override
    public CompletableFuture<Long> send(int partition, E event) {
        return producer.send(partition, event);
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }

    public long batchesSent() {
        return producer.batchesSent();
    }
}
