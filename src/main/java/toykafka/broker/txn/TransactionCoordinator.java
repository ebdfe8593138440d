package toykafka.broker.txn;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/**
 * The transaction coordinator: Kafka's {@code TransactionCoordinator}, protocol-neutral, for both transaction
 * protocols ({@link TransactionVersion}): the classic one, and version 2, where a partition joins when its first
 * batch arrives and every end moves the producer to its next epoch. It maps each transactional id to a producer id and the epoch of its current
 * instance, keeps the partitions of its open transaction, and ends it by two-phase commit: the decision
 * (PrepareCommit or PrepareAbort) is written to the {@link TransactionStore} first, then a marker to every
 * partition, then CompleteCommit or CompleteAbort. A crash between the two phases is finished at start by
 * {@link #recover()}; a transaction left open longer than its timeout is aborted by {@link #abortTimedOut()}.
 *
 * <p>One transactional id's requests are taken one at a time; different ids go on side by side.
 */
public final class TransactionCoordinator {

    /** Kafka's default transaction.max.timeout.ms: 15 minutes. */
    public static final int DEFAULT_MAX_TIMEOUT_MS = 900_000;
    /** Past this epoch the producer gets a new id: Kafka keeps the largest epoch for fencing. */
    private static final short LAST_EPOCH = Short.MAX_VALUE - 1;

    /** One transactional id's current state; its monitor orders that id's requests. */
    private static final class Slot {
        private Transaction current;
        private boolean expired; // taken out of the map: a request that found it looks again
        /** The epoch a producer's own InitProducerId last moved on from; -1 once a new instance has started. */
        private short bumpedFrom = -1;

        private Slot(Transaction current) {
            this.current = current;
        }
    }

    private final Clock clock;
    private final int maxTimeoutMs;
    private final LongSupplier newProducerId;
    private final TransactionStore store;
    private final MarkerWriter markers;
    private final Predicate<TopicPartition> exists;
    private final Consumer<String> events;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    /** Which transactional id each producer id belongs to: how a produce request's batch finds its transaction. */
    private final Map<Long, String> byProducerId = new ConcurrentHashMap<>();

    /**
     * @param maxTimeoutMs  transaction.max.timeout.ms: the longest transaction.timeout.ms a producer may ask for
     * @param newProducerId hands out producer ids never handed out before
     * @param exists        whether the broker has a partition: a transaction may add only those
     */
    public TransactionCoordinator(Clock clock, int maxTimeoutMs, LongSupplier newProducerId, TransactionStore store,
                                  MarkerWriter markers, Predicate<TopicPartition> exists, Consumer<String> events) {
        this.clock = clock;
        this.maxTimeoutMs = maxTimeoutMs;
        this.newProducerId = newProducerId;
        this.store = store;
        this.markers = markers;
        this.exists = exists;
        this.events = events;
    }

    /** A producer's id and the epoch of its instance. */
    public record ProducerIdAndEpoch(long producerId, short epoch) {
    }

    // tag::init[]
    /**
     * InitProducerId with a transactional id: the producer's new instance gets its id and a new epoch, which
     * fences every older instance. A transaction the old instance left open is aborted first, its markers under
     * an epoch of their own; a new transactional id gets a new producer id at epoch 0.
     */
    public ProducerIdAndEpoch initProducerId(String transactionalId, int timeoutMs) {
        return initProducerId(transactionalId, timeoutMs, -1, (short) -1);
    }

    /**
     * As {@link #initProducerId(String, int)}, from a producer that names the id and epoch it has (-1 for
     * none): after an error that ends its transaction but not itself, it asks for the next epoch (KIP-360).
     * Only the current instance may: any other is fenced.
     */
    public ProducerIdAndEpoch initProducerId(String transactionalId, int timeoutMs, long producerId, short epoch) {
        requireId(transactionalId);
        if (timeoutMs <= 0 || timeoutMs > maxTimeoutMs) {
            throw new TransactionException(Errors.INVALID_TRANSACTION_TIMEOUT, "transaction.timeout.ms is " + timeoutMs
                    + " ms; the broker takes 1 to " + maxTimeoutMs + " ms (transaction.max.timeout.ms)");
        }
        long now = clock.millis();
        Slot slot = slots.computeIfAbsent(transactionalId, id -> new Slot(null));
        synchronized (slot) {
            if (slot.expired) {
                return initProducerId(transactionalId, timeoutMs, producerId, epoch); // it expired meanwhile
            }
            Transaction known = slot.current;
            if (producerId >= 0 && known != null && known.previousProducerId() == producerId
                    && epoch >= LAST_EPOCH && known.epoch() == 0 && known.state().idle()) {
                return new ProducerIdAndEpoch(known.producerId(), known.epoch()); // it missed the end that rotated it
            }
            if (producerId >= 0 && known != null && known.producerId() == producerId && epoch != known.epoch()
                    && epoch == slot.bumpedFrom && known.state().idle()) {
                return new ProducerIdAndEpoch(known.producerId(), known.epoch()); // a retry: the bump went through
            }
            if (producerId >= 0 && (known == null || known.producerId() != producerId || known.epoch() != epoch)) {
                throw new TransactionException(Errors.PRODUCER_FENCED, "producer " + producerId + " epoch " + epoch
                        + " is not transactional id " + transactionalId + "'s current instance"
                        + (known == null ? "" : " (producer " + known.producerId() + " epoch " + known.epoch() + ")")
                        + ": a newer one has started");
            }
            if (known == null) {
                return begin(slot, new Transaction(transactionalId, newProducerId.getAsLong(), (short) 0, timeoutMs,
                        TransactionState.EMPTY, new TreeSet<>(), -1, now));
            }
            if (known.state() == TransactionState.ONGOING) {
                known = fenceAndAbort(slot, known, "a new instance of the producer started");
            }
            if (known.state().preparing()) {
                known = finish(slot, known); // markers left to write from before: write them now
                if (known.state().preparing()) {
                    throw new TransactionException(Errors.CONCURRENT_TRANSACTIONS, "transaction " + transactionalId
                            + " is still writing its markers; try again");
                }
            }
            boolean newId = known.epoch() >= LAST_EPOCH;
            slot.bumpedFrom = producerId >= 0 && !newId ? known.epoch() : -1;
            return begin(slot, known.forInstance(newId ? newProducerId.getAsLong() : known.producerId(),
                    newId ? 0 : (short) (known.epoch() + 1), timeoutMs, now));
        }
    }
    // end::init[]

    private ProducerIdAndEpoch begin(Slot slot, Transaction fresh) {
        write(slot, fresh);
        byProducerId.put(fresh.producerId(), fresh.transactionalId());
        return new ProducerIdAndEpoch(fresh.producerId(), fresh.epoch());
    }

    // tag::add[]
    /**
     * AddPartitionsToTxn: the partitions join the producer's transaction, which opens if it was not. They must
     * be added before the producer writes to them, so that its end reaches them with a marker.
     */
    public void addPartitions(String transactionalId, long producerId, short epoch, Collection<TopicPartition> partitions) {
        addPartitions(transactionalId, producerId, epoch, partitions, TransactionVersion.TV_0);
    }

    /**
     * As {@link #addPartitions(String, long, short, Collection)}, by a producer of transaction version {@code by}:
     * under version 2 the partition's leader asks, when the producer's first batch for it arrives.
     */
    public void addPartitions(String transactionalId, long producerId, short epoch, Collection<TopicPartition> partitions,
                              TransactionVersion by) {
        Set<TopicPartition> unknown = new TreeSet<>(partitions.stream().filter(exists.negate()).toList());
        Slot slot = slotOf(transactionalId);
        synchronized (slot) {
            Transaction known = current(slot, transactionalId, producerId, epoch);
            if (known.state().preparing()) {
                throw new TransactionException(Errors.CONCURRENT_TRANSACTIONS, "transaction " + transactionalId
                        + " is " + known.state().kafkaName() + ": it is ending; add partitions once it has");
            }
            if (!unknown.isEmpty()) {
                throw new TransactionException.UnknownPartitions(unknown);
            }
            if (known.state() == TransactionState.ONGOING && known.partitions().containsAll(partitions)) {
                return; // a retry, or partitions already in
            }
            write(slot, known.withPartitions(Set.copyOf(partitions), clock.millis(), by));
        }
    }
    // end::add[]

    // tag::verify-only[]
    /**
     * Which of {@code partitions} the producer's open transaction holds, without adding any: AddPartitionsToTxn v4
     * and up with verify_only, which a partition's leader sends before it writes a classic producer's first batch.
     * Each partition is NONE or TRANSACTION_ABORTABLE (not in the transaction); a producer that is not the id's
     * current instance, or a transaction writing its markers, is one error for all, as Kafka answers.
     */
    public Map<TopicPartition, Errors> verifyPartitions(String transactionalId, long producerId, short epoch,
                                                        Collection<TopicPartition> partitions) {
        requireId(transactionalId);
        Slot slot = slots.get(transactionalId);
        Errors all = slot == null ? Errors.INVALID_PRODUCER_ID_MAPPING : null;
        Map<TopicPartition, Errors> answer = new TreeMap<>();
        if (slot != null) {
            synchronized (slot) {
                Transaction known = slot.current;
                if (known == null || known.producerId() != producerId) {
                    all = Errors.INVALID_PRODUCER_ID_MAPPING;
                } else if (known.epoch() != epoch) {
                    all = Errors.PRODUCER_FENCED;
                } else if (known.state() == TransactionState.PREPARE_COMMIT
                        || known.state() == TransactionState.PREPARE_ABORT) {
                    all = Errors.CONCURRENT_TRANSACTIONS;
                } else {
                    partitions.forEach(partition -> answer.put(partition, known.partitions().contains(partition)
                            ? Errors.NONE : Errors.TRANSACTION_ABORTABLE));
                }
            }
        }
        if (all != null) {
            Errors each = all;
            partitions.forEach(partition -> answer.put(partition, each));
        }
        return answer;
    }
    // end::verify-only[]

    // tag::end[]
    /**
     * EndTxn: commits or aborts the producer's transaction. The decision is written down first; from then on
     * the transaction ends that way whatever happens, so the answer is given once the markers are written, or
     * left to {@link #recover()} and {@link #abortTimedOut()} if a partition could not take one now.
     */
    public void endTransaction(String transactionalId, long producerId, short epoch, boolean commit) {
        endTransaction(transactionalId, producerId, epoch, commit, TransactionVersion.TV_0);
    }

    /**
     * EndTxn from a producer of transaction version {@code by}. Under version 2 the end moves the producer to its
     * next epoch (a new producer id at epoch 0 once the epoch has reached its last value), which the markers carry
     * and the answer returns: a batch of the ended transaction that arrives late is fenced. The rules for retries
     * and for an abort with nothing open are {@link EndUnderVersion2}'s. Returns the id and epoch the producer
     * goes on with.
     */
    public ProducerIdAndEpoch endTransaction(String transactionalId, long producerId, short epoch, boolean commit,
                                             TransactionVersion by) {
        if (!by.bumpsEpochAtEveryEnd()) {
            return endClassic(transactionalId, producerId, epoch, commit);
        }
        Slot slot = slotOf(transactionalId);
        synchronized (slot) {
            Transaction known = slot.current;
            if (known == null) {
                throw unknown(transactionalId);
            }
            EndUnderVersion2.Decision decision = EndUnderVersion2.decide(known, producerId, epoch, commit);
            if (decision.error() != Errors.NONE) {
                throw new TransactionException(decision.error(), decision.why());
            }
            if (!decision.decides()) {
                return new ProducerIdAndEpoch(known.producerId(), known.epoch());
            }
            long now = clock.millis();
            long nextId = isLastEpoch(known.epoch()) ? newProducerId.getAsLong() : -1;
            Transaction prepared = known.decidedWithNextEpoch(decision.prepare(), nextId, decision.noPartitions(), now);
            write(slot, prepared);
            Transaction after = prepared.completed(now); // what the producer goes on with, whenever markers land
            finish(slot, prepared);
            return new ProducerIdAndEpoch(after.producerId(), after.epoch());
        }
    }

    /** The end under versions 0 and 1, which keeps the producer's id and epoch; returns them. */
    private ProducerIdAndEpoch endClassic(String transactionalId, long producerId, short epoch, boolean commit) {
        Slot slot = slotOf(transactionalId);
        synchronized (slot) {
            Transaction known = current(slot, transactionalId, producerId, epoch);
            ProducerIdAndEpoch unchanged = new ProducerIdAndEpoch(known.producerId(), known.epoch());
            TransactionState done = commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
            if (known.state() == done) {
                return unchanged; // the producer's retry of an end that went through
            }
            if (known.state() != TransactionState.ONGOING) {
                throw new TransactionException(Errors.INVALID_TXN_STATE, "transaction " + transactionalId + " cannot "
                        + (commit ? "commit" : "abort") + ": it is " + known.state().kafkaName() + (known.state()
                        == TransactionState.EMPTY ? ", with no partition added since it began" : "")
                        + "; a transaction ends once, after AddPartitionsToTxn opened it");
            }
            Transaction prepared = known.fencedTo(known.epoch(), commit ? TransactionState.PREPARE_COMMIT
                    : TransactionState.PREPARE_ABORT, clock.millis());
            write(slot, prepared);
            finish(slot, prepared);
            return unchanged;
        }
    }
    // end::end[]

    // tag::verify[]
    /**
     * Whether a transactional batch may be written to {@code partition}: its producer's current instance has a
     * transaction open that includes the partition. Throws the refusal if not.
     */
    public void verify(TopicPartition partition, long producerId, short epoch) {
        String transactionalId = byProducerId.get(producerId);
        Slot slot = transactionalId == null ? null : slots.get(transactionalId);
        if (slot == null) {
            throw new TransactionException(Errors.INVALID_TXN_STATE, "producer " + producerId + " has no transaction"
                    + " on this broker: a transactional producer begins with InitProducerId");
        }
        synchronized (slot) {
            Transaction known = slot.current;
            if (known.producerId() != producerId || epoch != known.epoch()) {
                throw new TransactionException(Errors.INVALID_PRODUCER_EPOCH, "producer " + producerId + " epoch "
                        + epoch + " is fenced: transactional id " + transactionalId + " is at producer "
                        + known.producerId() + " epoch " + known.epoch());
            }
            if (known.state() != TransactionState.ONGOING || !known.partitions().contains(partition)) {
                throw new TransactionException(Errors.INVALID_TXN_STATE, "producer " + producerId + " wrote to "
                        + partition + " outside its transaction: transaction " + transactionalId + " is "
                        + known.state().kafkaName() + " with partitions " + known.partitions()
                        + "; AddPartitionsToTxn adds a partition before the producer writes to it");
            }
        }
    }
    // end::verify[]

    // tag::recover[]
    /**
     * Reads every transaction back from the store, as a coordinator does when it takes over, and finishes those
     * that were deciding when the last one stopped: their markers are written again (a partition that has one
     * already gets a second, which changes nothing). Open transactions stay open until they time out. Returns
     * how many transactional ids there are.
     */
    public int recover() {
        for (Transaction known : store.replay()) {
            Slot slot = new Slot(known);
            slots.put(known.transactionalId(), slot);
            byProducerId.put(known.producerId(), known.transactionalId());
            if (known.state().preparing()) {
                synchronized (slot) {
                    events.accept("finishing transaction " + known + ", decided before the restart");
                    finish(slot, known);
                }
            }
        }
        return slots.size();
    }
    // end::recover[]

    // tag::timeout[]
    /**
     * Aborts every transaction open longer than its timeout, under a new epoch that fences the producer that
     * left it, and writes again the markers of any that could not all be written: Kafka's
     * {@code abortTimedOutTransactions}. Returns how many it aborted.
     */
    public int abortTimedOut() {
        int aborted = 0;
        long now = clock.millis();
        for (Slot slot : slots.values()) {
            synchronized (slot) {
                Transaction known = slot.current;
                if (known == null) {
                    continue;
                }
                if (known.state() == TransactionState.ONGOING && now - known.startMs() > known.timeoutMs()) {
                    fenceAndAbort(slot, known, "it was open " + (now - known.startMs()) + " ms, longer than its "
                            + "transaction.timeout.ms of " + known.timeoutMs());
                    aborted++;
                } else if (known.state().preparing()) {
                    finish(slot, known);
                }
            }
        }
        return aborted;
    }
    // end::timeout[]

    /**
     * Forgets each transactional id whose last transaction ended longer than {@code expirationMs} ago
     * ({@code transactional.id.expiration.ms}): a tombstone in the store, so a restart forgets it too. Its next
     * InitProducerId starts it afresh, with a new producer id. Kafka's {@code removeExpiredTransactionalIds}.
     * Returns how many it forgot.
     */
    public int removeExpired(long expirationMs) {
        int removed = 0;
        long now = clock.millis();
        for (Map.Entry<String, Slot> entry : slots.entrySet()) {
            Slot slot = entry.getValue();
            synchronized (slot) {
                Transaction known = slot.current;
                if (known == null || !known.state().idle() || now - known.updatedMs() < expirationMs) {
                    continue;
                }
                store.remove(known.transactionalId());
                slot.current = null;
                slot.expired = true;
                slots.remove(entry.getKey(), slot);
                byProducerId.remove(known.producerId(), known.transactionalId());
                events.accept("forgot transactional id " + known.transactionalId() + ": idle " + (now - known.updatedMs())
                        + " ms, longer than transactional.id.expiration.ms of " + expirationMs);
                removed++;
            }
        }
        return removed;
    }

    /** Every transactional id's state now, by id: for describing and listing them. */
    public List<Transaction> transactions() {
        List<Transaction> all = new ArrayList<>();
        for (Slot slot : slots.values()) {
            synchronized (slot) {
                if (slot.current != null) {
                    all.add(slot.current);
                }
            }
        }
        all.sort((a, b) -> a.transactionalId().compareTo(b.transactionalId()));
        return all;
    }

    /** Aborts {@code known} under the next epoch, which its markers carry so the old instance is fenced. */
    private Transaction fenceAndAbort(Slot slot, Transaction known, String why) {
        long now = clock.millis();
        // As Kafka's coordinator under transaction version 2, whatever the producer spoke: the next epoch, or a
        // new producer id once the markers are written if this epoch was the id's last.
        Transaction prepared = known.decidedWithNextEpoch(TransactionState.PREPARE_ABORT,
                isLastEpoch(known.epoch()) ? newProducerId.getAsLong() : -1, false, now);
        events.accept("aborting transaction " + known + ": " + why + "; its markers carry epoch " + prepared.epoch());
        write(slot, prepared);
        return finish(slot, prepared);
    }

    /** Kafka gives no producer an epoch past this one, so the coordinator can always fence it. */
    private static boolean isLastEpoch(short epoch) {
        return epoch >= LAST_EPOCH;
    }

    /**
     * Writes the decided transaction's marker to each of its partitions, then its completion. A partition that
     * no longer exists needs none; one that refuses for another reason leaves the transaction deciding, to be
     * finished later.
     */
    private Transaction finish(Slot slot, Transaction prepared) {
        boolean commit = prepared.state() == TransactionState.PREPARE_COMMIT;
        List<String> failed = new ArrayList<>();
        for (TopicPartition partition : prepared.partitions()) {
            MarkerWriter.Written written = markers.write(partition, prepared.producerId(), prepared.epoch(), commit);
            if (written.error() != Errors.NONE && written.error() != Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                failed.add(partition + ": " + written.error() + " " + written.message());
            }
        }
        if (!failed.isEmpty()) {
            events.accept("transaction " + prepared + " could not write every marker (" + String.join("; ", failed)
                    + "); the coordinator tries again");
            return prepared;
        }
        Transaction done = prepared.completed(clock.millis());
        write(slot, done);
        byProducerId.put(done.producerId(), done.transactionalId()); // the id it moved to, if it moved
        return done;
    }

    private void write(Slot slot, Transaction next) {
        store.write(next); // written down before it is in force
        slot.current = next;
    }

    private Slot slotOf(String transactionalId) {
        requireId(transactionalId);
        Slot slot = slots.get(transactionalId);
        if (slot == null) {
            throw unknown(transactionalId);
        }
        return slot;
    }

    private static TransactionException unknown(String transactionalId) {
        return new TransactionException(Errors.INVALID_PRODUCER_ID_MAPPING, "transactional id " + transactionalId
                + " is unknown to this coordinator: a producer begins with InitProducerId");
    }

    /** The slot's transaction, if {@code producerId} and {@code epoch} are its current instance's. */
    private static Transaction current(Slot slot, String transactionalId, long producerId, short epoch) {
        Transaction known = slot.current;
        if (known == null || known.producerId() != producerId) {
            throw new TransactionException(Errors.INVALID_PRODUCER_ID_MAPPING, "transactional id " + transactionalId
                    + " is not producer " + producerId + (known == null ? "" : "; it is producer " + known.producerId()));
        }
        if (epoch != known.epoch()) {
            throw new TransactionException(Errors.PRODUCER_FENCED, "producer " + producerId + " epoch " + epoch
                    + " is fenced: transactional id " + transactionalId + " is at epoch " + known.epoch()
                    + ", a newer instance (or the coordinator, aborting a transaction that timed out)");
        }
        return known;
    }

    private static void requireId(String transactionalId) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            throw new TransactionException(Errors.INVALID_REQUEST, "a transactional id is 1 or more characters");
        }
    }
}
