package toykafka.headtohead;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import toykafka.harness.PollLoop;

/**
 * The members of one group reading a topic together, a consumer group's or a share group's, each a client on a thread
 * of its own, until they have read the records expected between them. The clock runs from the first member's start
 * to the last record in hand; the first member to fail stops the others.
 */
final class GroupRead {

    private static final Duration STALL = Duration.ofSeconds(60);

    private final long expected;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong valueBytes = new AtomicLong();
    private final AtomicReference<RuntimeException> failed = new AtomicReference<>();

    private GroupRead(long expected) {
        this.expected = expected;
    }

    /**
     * Runs {@code member} on {@code members} threads, each making its client and calling {@link #poll} with it.
     *
     * @param what the group's read, for a failure: "a share group of 4 reading orders from localhost:9092"
     */
    static HeadToHeadLoad.Figures read(int members, long expected, String what, Consumer<GroupRead> member) {
        GroupRead read = new GroupRead(expected);
        long started = System.nanoTime();
        List<Thread> readers = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            Thread reader = new Thread(() -> {
                try {
                    member.accept(read);
                } catch (RuntimeException e) {
                    read.failed.compareAndSet(null, e);
                }
            }, "group reader " + m);
            reader.setDaemon(true);
            reader.start();
            readers.add(reader);
        }
        try {
            for (Thread reader : readers) {
                reader.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (read.failed.get() != null) {
            throw new IllegalStateException(what + " failed: " + read.failed.get().getMessage(), read.failed.get());
        }
        return new HeadToHeadLoad.Figures(read.records.get(), read.valueBytes.get(), seconds, Double.NaN, Double.NaN);
    }

    /** One member's polls, until the members have read what was expected. */
    void poll(Function<Duration, ConsumerRecords<byte[], byte[]>> poll, String who) {
        poll(poll, record -> { }, who);
    }

    /** One member's polls, each record handed to {@code each}, until the members have read what was expected. */
    void poll(Function<Duration, ConsumerRecords<byte[], byte[]>> poll, Consumer<ConsumerRecord<byte[], byte[]>> each,
              String who) {
        PollLoop.run(poll, () -> records.get() >= expected || failed.get() != null, record -> {
            each.accept(record);
            records.incrementAndGet();
            valueBytes.addAndGet(record.serializedValueSize());
        }, STALL, who, () -> "at " + records.get() + " of " + expected);
    }
}
