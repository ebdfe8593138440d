package toykafka.lesson07;

import java.util.concurrent.CompletableFuture;

/**
 * A producer that any number of threads may share, writing to numbered partitions (each one a lesson 1
 * log). This is how Kafka's producer is meant to be used: one per application, shared by its threads.
 * <p>
 * The promises, whatever the design behind them: no accepted event is lost or written twice; two events
 * that one thread sends to one partition are written in the order it sent them; and after
 * {@link #close()} every accepted event is in its partition and no thread of the producer is running.
 *
 * @param <E> the type of the events
 */
public interface ConcurrentProducer<E> extends AutoCloseable {

    // tag::contract[]
    /**
     * Accepts an event for a partition and returns at once, with a future that completes with the event's
     * offset once it is written. A refused event (bad partition, null, producer closed) throws here.
     */
    CompletableFuture<Long> send(int partition, E event);

    /**
     * Waits until every event accepted before this call is written. In a callback on the producer's own
     * thread it would wait for itself, so there it may refuse with an IllegalStateException instead.
     */
    void flush();

    /**
     * Writes every accepted event, then stops the producer's threads and waits for them; in a callback on one
     * of those threads it returns without waiting, and they stop on their own. Refuses sends after.
     */
    @Override
    void close();
    // end::contract[]
}
