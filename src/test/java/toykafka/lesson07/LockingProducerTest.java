package toykafka.lesson07;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import toykafka.common.EventLog;

/** Fix 1, one global lock, keeps every promise of a concurrent producer. */
class LockingProducerTest extends ConcurrentProducerContract {

    @Override
    protected ConcurrentProducer<String> newProducer(List<EventLog<String>> partitions) {
        return new LockingProducer<>(partitions);
    }

    /** The contract's own check has teeth: a bare NullPointerException, with no message, does not pass it. */
    @Test
    void the_null_event_check_fails_a_producer_whose_exception_says_nothing() {
        ConcurrentProducerContract bareNullPointer = new ConcurrentProducerContract() {
            @Override
            protected ConcurrentProducer<String> newProducer(List<EventLog<String>> partitions) {
                LockingProducer<String> producer = new LockingProducer<>(partitions);
                return new ConcurrentProducer<>() {
                    @Override
                    public CompletableFuture<Long> send(int partition, String event) {
                        if (event == null) {
                            throw new NullPointerException(); // no message at all
                        }
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
                };
            }
        };
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, bareNullPointer::a_null_event_is_refused);
        assertEquals("the error should say the event was null, but it has no message ==> expected: not <null>",
                failure.getMessage());
    }
}
