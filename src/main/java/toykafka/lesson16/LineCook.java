package toykafka.lesson16;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One cook on a thread of its own: a KafkaConsumer that polls in a loop, as a service does, and can be told to be
 * busy once (its loop does not come back to poll for a while, as when a batch takes long to process). Its listener
 * keeps what it owns, and how long it owned nothing after it first owned something.
 */
final class LineCook implements ConsumerRebalanceListener, AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(50);

    final String name;
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile Duration busyFor;
    private final CountDownLatch busyStarted = new CountDownLatch(1);
    private final TreeSet<Integer> owned = new TreeSet<>();
    private int fewestOwned = Integer.MAX_VALUE;
    private long emptySinceNanos = -1;
    private long emptyNanos;
    private boolean ownedAny;
    private volatile RuntimeException failure;
    /** What its listener was told, in order: "gives back [..]" and "is given [..]". */
    private final List<String> moves = new ArrayList<>();

    /** @param settings the group protocol's settings, on top of those every cook has */
    LineCook(String name, String bootstrap, String group, String topic, Map<String, String> settings) {
        this.name = name;
        Properties all = new Properties();
        all.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        all.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        all.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        all.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        all.putAll(settings);
        this.consumer = new KafkaConsumer<>(all, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic), this);
        this.thread = new Thread(this::loop, "cook " + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (!stop.get()) {
                Duration busy = busyFor;
                if (busy != null) {
                    busyFor = null;
                    busyStarted.countDown();
                    Thread.sleep(busy.toMillis()); // the poll loop does not come back meanwhile
                }
                consumer.poll(POLL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close();
        }
    }

    /** Makes the cook's poll loop busy for {@code time}, once; returns when it has started being busy. */
    void beBusyFor(Duration time) throws InterruptedException {
        busyFor = time;
        busyStarted.await();
    }

    @Override
    public synchronized void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        move("gives back", partitions, false);
    }

    @Override
    public synchronized void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        move("is given", partitions, true);
    }

    private void move(String how, Collection<TopicPartition> partitions, boolean given) {
        List<Integer> moved = indexes(partitions);
        if (!moved.isEmpty()) {
            moves.add(how + " " + moved);
        }
        if (given) {
            owned.addAll(moved);
        } else {
            owned.removeAll(moved);
        }
        noteOwned();
    }

    private void noteOwned() {
        long now = System.nanoTime();
        if (owned.isEmpty() && ownedAny && emptySinceNanos < 0) {
            emptySinceNanos = now;
        } else if (!owned.isEmpty() && emptySinceNanos >= 0) {
            emptyNanos += now - emptySinceNanos;
            emptySinceNanos = -1;
        }
        ownedAny |= !owned.isEmpty();
        if (ownedAny) {
            fewestOwned = Math.min(fewestOwned, owned.size());
        }
    }

    private static List<Integer> indexes(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList();
    }

    synchronized List<String> moves() {
        return List.copyOf(moves);
    }

    synchronized int ownedCount() {
        return owned.size();
    }

    /** The fewest partitions it owned at once since the first time it owned any, and the count is reset to now. */
    synchronized int fewestOwnedSinceReset() {
        return fewestOwned;
    }

    synchronized void resetFewest() {
        fewestOwned = owned.size();
        emptyNanos = 0;
    }

    /** How long, in all, it owned nothing after it had owned something, since the last reset. */
    synchronized Duration timeOwningNothing() {
        long open = emptySinceNanos >= 0 ? System.nanoTime() - emptySinceNanos : 0;
        return Duration.ofNanos(emptyNanos + open);
    }

    /** The consumer's loop failed: the exception it threw, or null. */
    RuntimeException failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(Duration.ofMinutes(1).toMillis());
    }
}
