package toykafka.harness;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * A kafka-clients consumer's poll loop as every load runs it, a {@code KafkaConsumer}'s or a
 * {@code KafkaShareConsumer}'s: poll until the run is done, count what comes, and call the read stuck when no record
 * comes for a while, rather than wait for ever on a broker that has stopped answering.
 */
public final class PollLoop {

    /** How long one poll waits when no record is there: it returns as soon as one is. */
    private static final Duration POLL = Duration.ofMillis(100);

    /** What one loop read: records, and the bytes of their values. */
    public record Read(long records, long valueBytes) {
    }

    private PollLoop() {
    }

    /** Polls until {@code done} and returns what it read; see {@link #run(Function, BooleanSupplier, Consumer, Duration, String, Supplier)}. */
    public static Read run(Function<Duration, ConsumerRecords<byte[], byte[]>> poll, BooleanSupplier done,
                           Duration stall, String who, Supplier<String> where) {
        return run(poll, done, record -> { }, stall, who, where);
    }

    /**
     * Polls until {@code done}, handing each record to {@code each}, and returns what it read.
     *
     * @param who   the reader, for the failure: "a member of orders-group"
     * @param where where the run stood, for the failure: "short of {orders-0=500}"
     * @throws IllegalStateException when {@code stall} passes with no record
     */
    public static Read run(Function<Duration, ConsumerRecords<byte[], byte[]>> poll, BooleanSupplier done,
                           Consumer<ConsumerRecord<byte[], byte[]>> each, Duration stall, String who,
                           Supplier<String> where) {
        long records = 0;
        long valueBytes = 0;
        long lastProgress = System.nanoTime();
        while (!done.getAsBoolean()) {
            int polled = 0;
            for (ConsumerRecord<byte[], byte[]> record : poll.apply(POLL)) {
                each.accept(record);
                polled++;
                valueBytes += record.serializedValueSize();
            }
            records += polled;
            long now = System.nanoTime();
            if (polled > 0) {
                lastProgress = now;
            } else if (now - lastProgress > stall.toNanos()) {
                throw new IllegalStateException(who + " read nothing for " + stall.toSeconds() + " s, after " + records
                        + " records, " + where.get());
            }
        }
        return new Read(records, valueBytes);
    }
}
