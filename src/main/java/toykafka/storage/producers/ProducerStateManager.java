package toykafka.storage.producers;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import toykafka.common.ControlRecord;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;
import toykafka.common.FetchedBatches;

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
public final class ProducerStateManager {

    /** How much of the log one read of the rebuild takes at a time. */
    private static final int REBUILD_READ_BYTES = 1 << 20;

    private final ProducerLog log;
    private final AbortedIndex index;
    private final Map<Long, ProducerStateEntry> producers = new ConcurrentHashMap<>();
    /** The transactions open here, oldest first: the oldest holds the last stable offset back. */
    private final ConcurrentSkipListSet<Open> open = new ConcurrentSkipListSet<>(
            Comparator.comparingLong(Open::firstOffset).thenComparingLong(Open::producerId));
    private final AbortedTransactions aborted = new AbortedTransactions();
    private final Object ending = new Object(); // one marker at a time reads and changes the open transactions
    private volatile boolean loaded;
    private volatile long evictedBelow; // the log start offset of the last eviction pass

    /**
     * The state of the producers of {@code log}, read from it at the first look; aborted transactions are
     * written down in {@code index} too.
     */
    public ProducerStateManager(ProducerLog log, AbortedIndex index) {
        this.log = log;
        this.index = index;
    }

    /** A producer's transaction open in the partition since {@code firstOffset} (or a bound below it, while written). */
    public record Open(long firstOffset, long producerId) {
    }

    /**
     * The producer's entry, created empty (no epoch: any sequence goes) if the partition holds nothing of it.
     * Rebuilds the state from the log first if this is the first look since the start, and forgets the
     * producers whose batches the log no longer holds.
     */
    private ProducerStateEntry entry(long producerId) {
        ensureLoaded();
        long logStart = log.earliest();
        if (logStart > evictedBelow) {
            evictUnretained(logStart);
        }
        return producers.computeIfAbsent(producerId, ProducerStateEntry::new);
    }

    /**
     * Takes the producer of {@code batch} for one append to the log, held until the {@link ProducerAppendInfo}
     * returned is closed: the producer state's part of Kafka's {@code UnifiedLog.append} begins so, with
     * {@code prepareUpdate}. A producer forgotten while this waited for it is looked up again.
     */
    public ProducerAppendInfo prepareUpdate(TopicPartition partition, RecordBatch batch, AppendOrigin origin) {
        while (true) {
            ProducerStateEntry producer = entry(batch.producerId());
            producer.lock();
            if (!producer.removed()) {
                return new ProducerAppendInfo(this, producer, partition, batch, origin);
            }
            producer.unlock(); // forgotten while we waited: look it up again
        }
    }

    // tag::stable[]
    /**
     * The last stable offset: below it every transaction is decided, so a {@code read_committed} consumer may
     * read up to it and no further. The first offset of the oldest open transaction, or the log's end when
     * none is open (Kafka's {@code firstUnstableOffset}, bounded by the high watermark).
     */
    public long lastStableOffset() {
        ensureLoaded();
        long end = log.endOffset(); // before the open transactions: one opened meanwhile is already among them
        Open oldest = oldestOpenBut(NO_PRODUCER);
        return oldest == null ? end : Math.min(oldest.firstOffset(), end);
    }

    /** No producer: producer ids are never negative. */
    private static final long NO_PRODUCER = -1;

    /**
     * The oldest transaction open here but {@code producerId}'s, or null: looked up in one step, as the set
     * may empty between a look at whether it is empty and one at its first.
     */
    private Open oldestOpenBut(long producerId) {
        for (Open transaction : open) {
            if (transaction.producerId() != producerId) {
                return transaction;
            }
        }
        return null;
    }
    // end::stable[]

    /** Whether the state has been read from the log since the start: until then, nothing is known of it. */
    public boolean loaded() {
        return loaded;
    }

    /** The last stable offset if the state has been read from the log, without reading it for this. */
    public OptionalLong lastStableOffsetIfLoaded() {
        return loaded ? OptionalLong.of(lastStableOffset()) : OptionalLong.empty();
    }

    /** The aborted transactions a read of {@code [from, upTo)} may hold records of. */
    public List<AbortedTxn> abortedOverlapping(long from, long upTo) {
        ensureLoaded();
        return aborted.overlapping(from, upTo);
    }

    /** Every aborted transaction the partition remembers: for the console and tests. */
    public List<AbortedTxn> aborted() {
        ensureLoaded();
        return aborted.all();
    }

    /** Every producer the partition knows, by producer id: what DescribeProducers answers. */
    public List<ActiveProducer> active() {
        ensureLoaded();
        List<ActiveProducer> active = new ArrayList<>();
        producers.forEach((producerId, entry) -> {
            entry.lock();
            try {
                if (!entry.removed()) {
                    active.add(new ActiveProducer(producerId, entry.epoch(), entry.lastSequence(),
                            entry.lastTimestamp(), entry.transactionFirstOffset()));
                }
            } finally {
                entry.unlock();
            }
        });
        active.sort(Comparator.comparingLong(ActiveProducer::producerId));
        return active;
    }

    /** The transactions open here, oldest first. */
    public List<Open> openTransactions() {
        ensureLoaded();
        return List.copyOf(open);
    }

    /**
     * Holds the last stable offset at the log's end while a producer's first transactional batch here is
     * written, before its offset is known: a read in between must not see past it. Returns the hold, to be
     * swapped for the batch's real offset by {@link #opened}, or released if the append fails.
     */
    Open holdFor(long producerId) {
        Open hold = new Open(log.endOffset(), producerId);
        open.add(hold);
        return hold;
    }

    void release(Open hold) {
        open.remove(hold);
    }

    /**
     * The producer's transaction here begins at {@code firstOffset}, where its first batch was written; the
     * hold taken for it, if any, is swapped for it. Returns null: no hold is left to release.
     */
    Open opened(long producerId, long firstOffset, Open hold) {
        Open opened = new Open(firstOffset, producerId);
        open.add(opened);
        if (hold != null && !hold.equals(opened)) {
            open.remove(hold);
        }
        return null;
    }

    /**
     * Ends {@code producer}'s transaction with the marker at {@code markerOffset}: an aborted one is remembered
     * with the last stable offset it leaves, and only then is it no longer open. In that order, as Kafka's
     * {@code UnifiedLog.append} writes the transaction index before {@code completeTxn}: a {@code read_committed}
     * read takes the last stable offset first and the aborted transactions after, so one that found the
     * stable offset past this transaction before it was listed would hand out its records as committed.
     * Call holding the entry's lock.
     */
    void ended(ProducerStateEntry producer, long producerId, short epoch, long markerOffset,
                       long markerTimestamp, boolean commit) {
        synchronized (ending) {
            long first = producer.endTransaction(epoch, markerOffset, markerTimestamp);
            if (!commit) {
                Open next = oldestOpenBut(producerId); // Kafka's findNextIncompleteTxn
                long stable = next == null ? markerOffset + 1 : next.firstOffset();
                AbortedTxn entry = new AbortedTxn(producerId, first, markerOffset, stable);
                aborted.add(entry);
                if (loaded) { // a rebuild writes the indexes whole once it is done
                    index.add(entry);
                }
            }
            open.remove(new Open(first, producerId)); // the last stable offset moves past it now
        }
    }

    /**
     * Takes out an entry that remembers no batch: one made for an append that was then refused. Call holding
     * its lock.
     */
    void removeIfEmpty(long producerId, ProducerStateEntry entry) {
        if (entry.lastOffset() < 0 && entry.transactionFirstOffset() < 0) { // a sequence-less batch opens one
            entry.remove();
            producers.remove(producerId, entry);
        }
    }

    private void ensureLoaded() {
        if (!loaded) {
            load();
        }
    }

    // tag::rebuild[]
    /**
     * Reads every batch header from the log start to the end and replays the idempotent ones, as Kafka
     * replays the log after its last snapshot: no checks, since the log holds only what was accepted. A
     * transactional batch opens its producer's transaction, a marker ends it: so the open transactions and
     * the aborted ones come back as they were, and with them the last stable offset. Then each segment's
     * {@code .txnindex} is made to say what the markers said: a crash, the cleaner or an older broker may have
     * left it short.
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
                if (!batch.hasProducerId()) {
                    continue;
                }
                ProducerStateEntry producer = producers.computeIfAbsent(batch.producerId(), ProducerStateEntry::new);
                if (batch.isControl()) {
                    ended(producer, batch.producerId(), batch.producerEpoch(), batch.baseOffset(), batch.maxTimestamp(),
                            ControlRecord.of(batch).commit());
                } else {
                    producer.written(batch.producerEpoch(), BatchMetadata.of(batch));
                    if (producer.opensTransaction(batch)) {
                        opened(batch.producerId(), batch.baseOffset(), null);
                    }
                }
            }
            if (read.nextOffset() <= offset) {
                break; // nothing more to read: the rest is a gap the cleaner left at the end
            }
            offset = read.nextOffset();
        }
        evictedBelow = log.earliest();
        try {
            index.rewrite(aborted.all(), Long.MAX_VALUE);
        } catch (UncheckedIOException unwritable) {
            // the indexes are for Kafka's tools; the broker reads its own state, which the log just gave
        }
        loaded = true;
    }
    // end::rebuild[]

    /** Forgets each producer whose last batch lies below the log start offset (Kafka's evictUnretainedProducers). */
    private synchronized void evictUnretained(long logStart) {
        if (logStart <= evictedBelow) {
            return; // another append did it meanwhile
        }
        aborted.forgetBelow(logStart);
        producers.forEach((producerId, entry) -> {
            entry.lock(); // an append under way finishes first: its batch may be the one that keeps it
            try {
                if (entry.lastOffset() < logStart && entry.transactionFirstOffset() < 0) {
                    entry.remove();
                    producers.remove(producerId, entry);
                }
            } finally {
                entry.unlock();
            }
        });
        evictedBelow = logStart;
    }

    /** How many producers the partition knows now. */
    public int size() {
        return producers.size();
    }
}
