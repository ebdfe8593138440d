package toykafka.broker;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;
import toykafka.common.FetchedBatches;
import toykafka.storage.BatchLog;

/**
 * The idempotent producers one partition knows, by producer id: Kafka's {@code ProducerStateManager}.
 *
 * <p>Nothing of it is written down of its own: the log is its record. Every batch keeps its producer id,
 * epoch and sequences in its header, so the state is rebuilt from the headers of the batches the log
 * holds, once, before the partition's first idempotent append after a start. Kafka reads a snapshot and
 * the log after it; the course reads the whole log, which at its size takes a moment, and decodes no record.
 *
 * <p>When retention or deleteRecords moves the log start offset past a producer's last batch, the producer
 * is forgotten, as Kafka's {@code evictUnretainedProducers} does: the state then says what a rebuild from
 * the log would say, and the producer, now unknown, may go on at any sequence. A producer whose last batch
 * is still there keeps all five batches it is remembered by, even one below the log start: a retry of it
 * was written once, and is answered so.
 */
final class ProducerStateManager {

    /** How much of the log one read of the rebuild takes at a time. */
    private static final int REBUILD_READ_BYTES = 1 << 20;

    private final TopicPartition partition;
    private final BatchLog log;
    private final Map<Long, ProducerStateEntry> producers = new ConcurrentHashMap<>();
    private volatile boolean loaded;
    private volatile long evictedBelow; // the log start offset of the last eviction pass

    ProducerStateManager(TopicPartition partition, BatchLog log) {
        this.partition = partition;
        this.log = log;
    }

    /** The log the state is of: a topic deleted and created again has a new one, and starts with no producers. */
    BatchLog log() {
        return log;
    }

    TopicPartition partition() {
        return partition;
    }

    /**
     * The producer's entry, created empty (no epoch: any sequence goes) if the partition holds nothing of it.
     * Rebuilds the state from the log first if this is the first look since the start, and forgets the
     * producers whose batches the log no longer holds.
     */
    ProducerStateEntry entry(long producerId) {
        if (!loaded) {
            load();
        }
        long logStart = log.earliest();
        if (logStart > evictedBelow) {
            evictUnretained(logStart);
        }
        return producers.computeIfAbsent(producerId, ProducerStateEntry::new);
    }

    /**
     * Takes out an entry that remembers no batch: one made for an append that was then refused. Call holding
     * its monitor.
     */
    void removeIfEmpty(long producerId, ProducerStateEntry entry) {
        if (entry.lastOffset() < 0) {
            entry.remove();
            producers.remove(producerId, entry);
        }
    }

    // tag::rebuild[]
    /**
     * Reads every batch header from the log start to the end and replays the idempotent ones, as Kafka
     * replays the log after its last snapshot: no checks, since the log holds only what was accepted.
     * Appends of idempotent batches wait for it (their producer's entry comes from here); the others do not
     * change the state, so they need not.
     */
    private synchronized void load() {
        if (loaded) {
            return;
        }
        ByteBuffer into = ByteBuffer.allocate(REBUILD_READ_BYTES);
        long offset = log.earliest();
        while (offset < log.endOffset()) {
            FetchedBatches read;
            try {
                read = log.fetch(offset, into);
            } catch (OffsetOutOfRangeException removedMeanwhile) {
                offset = log.earliest(); // retention moved the start: go on from there
                continue;
            }
            for (RecordBatch batch : read.batches()) {
                if (batch.hasProducerId()) {
                    producers.computeIfAbsent(batch.producerId(), ProducerStateEntry::new)
                            .written(batch.producerEpoch(), BatchMetadata.of(batch));
                }
            }
            if (read.nextOffset() <= offset) {
                break; // nothing more to read: the rest is a gap the cleaner left at the end
            }
            offset = read.nextOffset();
        }
        evictedBelow = log.earliest();
        loaded = true;
    }
    // end::rebuild[]

    /** Forgets each producer whose last batch lies below the log start offset (Kafka's evictUnretainedProducers). */
    private synchronized void evictUnretained(long logStart) {
        if (logStart <= evictedBelow) {
            return; // another append did it meanwhile
        }
        producers.forEach((producerId, entry) -> {
            synchronized (entry) { // an append under way finishes first: its batch may be the one that keeps it
                if (entry.lastOffset() < logStart) {
                    entry.remove();
                    producers.remove(producerId, entry);
                }
            }
        });
        evictedBelow = logStart;
    }

    /** How many producers the partition knows now: for tests. */
    int size() {
        return producers.size();
    }
}
