package toykafka.bench;

import static toykafka.bench.GroupBenchSupport.STALL;
import static toykafka.bench.GroupBenchSupport.await;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import toykafka.harness.PollLoop;

/**
 * One KafkaConsumer of {@link GroupConsumersBench} on a thread of its own, and its rebalance listener: every call
 * on it is a task on that thread, and between tasks it may poll in a loop (to join and stay in its group as the
 * rebalance listener sees it). What the listener was last handed, and when, is readable from any thread.
 */
final class GroupConsumer implements ConsumerRebalanceListener {

    /** What one consumer read in one run, and when it had its last record. */
    record Pass(long records, long valueBytes, long finishedNanos) {
    }

    private final String name;
    private final ExecutorService thread;
    /** Touched only on {@link #thread}. */
    private KafkaConsumer<byte[], byte[]> consumer;
    private Map<TopicPartition, Long> ends = Map.of();
    volatile Set<TopicPartition> owned = Set.of();
    volatile long assignedNanos;
    private volatile boolean polling;
    private Future<?> pollLoop;

    private GroupConsumer(String name) {
        this.name = name;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "group-bench-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    static GroupConsumer subscribed(String name, Map<String, Object> settings, String topic) {
        GroupConsumer member = new GroupConsumer(name);
        member.call(() -> {
            Map<String, Object> named = new HashMap<>(settings);
            named.put(ConsumerConfig.CLIENT_ID_CONFIG, "group-bench-" + name);
            member.consumer = new KafkaConsumer<>(named);
            member.consumer.subscribe(List.of(topic), member);
            return null;
        });
        return member;
    }

    static GroupConsumer assigned(String name, Map<String, Object> settings, List<TopicPartition> partitions) {
        GroupConsumer single = new GroupConsumer(name);
        single.call(() -> {
            single.consumer = new KafkaConsumer<>(settings);
            single.consumer.assign(partitions);
            single.owned = Set.copyOf(partitions);
            return null;
        });
        return single;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        owned = Set.of();
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        owned = Set.copyOf(partitions);
        assignedNanos = System.nanoTime();
    }

    <T> Future<T> submit(Callable<T> task) {
        return thread.submit(task);
    }

    <T> T call(Callable<T> task) {
        return await(List.of(submit(task))).get(0);
    }

    void startPolling() {
        polling = true;
        pollLoop = thread.submit(() -> {
            while (polling) {
                consumer.poll(Duration.ofMillis(20));
            }
            return null;
        });
    }

    void stopPolling() {
        polling = false;
        await(List.of(pollLoop));
    }

    /** Throws what the poll loop failed with, if it did. */
    void checkPolling() {
        if (pollLoop != null && pollLoop.isDone()) {
            await(List.of(pollLoop));
        }
    }

    /** Off the clock: every partition it owns sought to its start, its position and end looked up. */
    Void prepare() {
        Set<TopicPartition> mine = consumer.assignment();
        consumer.seekToBeginning(mine);
        mine.forEach(consumer::position);
        ends = consumer.endOffsets(mine);
        return null;
    }

    /** Reads until every partition it owns is at the end {@link #prepare} looked up. */
    Pass readToEnd() {
        PollLoop.Read read = PollLoop.run(consumer::poll, this::atEnd, STALL, name,
                () -> "short of " + ends);
        return new Pass(read.records(), read.valueBytes(), System.nanoTime());
    }

    private boolean atEnd() {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Calls close() (its LeaveGroup) on its thread; when close() was called. */
    long closeTimed() {
        try {
            return call(() -> {
                long started = System.nanoTime();
                consumer.close();
                consumer = null;
                return started;
            });
        } finally {
            thread.shutdown();
        }
    }

    void close() {
        if (thread.isShutdown()) {
            return;
        }
        polling = false;
        try {
            call(() -> {
                if (consumer != null) {
                    consumer.close();
                }
                return null;
            });
        } finally {
            thread.shutdown();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
