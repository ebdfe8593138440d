package toykafka.broker.share.partition;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import toykafka.common.Errors;

/**
 * One topic partition as one share group consumes it (Kafka's {@code SharePartition}): the in-flight records from the
 * share-partition start offset (SPSO) to the end offset (SPEO), each AVAILABLE, ACQUIRED by one member under a lock
 * that runs out, ACKNOWLEDGED, or ARCHIVED (by way of ARCHIVING while a dead letter for it is written, when the group
 * has a dead-letter topic), with how many times it has been delivered. Members acquire records, acknowledge them,
 * and leave; the start offset moves over the settled front of the window.
 *
 * <p>It reads no log and writes no state: a fetch hands it descriptions of the batches it read,
 * {@link #stateSnapshot()} gives the state to persist and {@link #takeDeadLetters()} the dead letters to write. A lock that has run out is released when the partition is next
 * used, or by {@link #expireLocks(long)}. Calls are serialized on the partition, as Kafka's take its lock.
 */
public final class SharePartition {

    private final Clock clock;
    private final NavigableMap<Long, InFlightBatch> inFlight = new TreeMap<>();
    /** Records set aside (ARCHIVING) whose dead letters are not yet handed out to be written. */
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private ShareGroupSettings settings;
    private long startOffset;
    /** The last offset in flight; the start offset while nothing is. */
    private long endOffset;
    private int stateEpoch;

    private SharePartition(ShareGroupSettings settings, Clock clock, long startOffset, int stateEpoch) {
        this.settings = settings;
        this.clock = clock;
        this.startOffset = startOffset;
        this.endOffset = startOffset;
        this.stateEpoch = stateEpoch;
    }

    /** A share partition with no state yet, starting where share.auto.offset.reset says. */
    public static SharePartition start(ShareGroupSettings settings, Clock clock, OffsetLookup log) {
        return new SharePartition(settings, clock, settings.autoOffsetReset().startOffset(log, clock), 0);
    }

    /**
     * The share partition a persisted state describes, as Kafka's persister read rebuilds it: records that were
     * acquired come back available with their delivery counts (set aside at the limit), records ARCHIVING have their
     * dead letters written again, and a state never started takes share.auto.offset.reset.
     */
    public static SharePartition fromState(ShareGroupState state, ShareGroupSettings settings, Clock clock,
                                           OffsetLookup log) {
        if (state.startOffset() == ShareGroupState.UNINITIALIZED) {
            long start = settings.autoOffsetReset().startOffset(log, clock);
            return new SharePartition(settings, clock, start, state.stateEpoch());
        }
        SharePartition partition = new SharePartition(settings, clock, state.startOffset(), state.stateEpoch());
        long previousLast = state.startOffset() - 1;
        for (PersisterStateBatch batch : state.stateBatches()) {
            if (batch.firstOffset() <= previousLast || batch.lastOffset() < batch.firstOffset()) {
                throw new IllegalArgumentException("A share partition's state batches run upwards from its start offset "
                        + state.startOffset() + " without overlapping; got " + batch.firstOffset() + " to "
                        + batch.lastOffset() + " after " + previousLast);
            }
            InFlightState restored = new InFlightState(batch.state(), batch.deliveryCount());
            if (batch.state() == RecordState.ACQUIRED) {
                restored = new InFlightState(restored.persistedState(settings.deliveryCountLimit(),
                        settings.deadLetters()), batch.deliveryCount());
            }
            // a dead letter not known to be written is written again, as Kafka resumes ARCHIVING at load
            partition.noteSetAside(restored, batch.firstOffset(), batch.lastOffset(),
                    batch.deliveryCount() >= settings.deliveryCountLimit() ? DeadLetter.Cause.DELIVERY_COUNT_EXCEEDED
                            : DeadLetter.Cause.CLIENT_REJECT);
            partition.inFlight.put(batch.firstOffset(), new InFlightBatch(batch.firstOffset(), batch.lastOffset(), restored));
            previousLast = batch.lastOffset();
            partition.endOffset = batch.lastOffset();
        }
        partition.advanceStartOffset();
        return partition;
    }

    /** Takes a group's changed configs; records already in flight keep the locks they were given. */
    public synchronized void updateSettings(ShareGroupSettings newSettings) {
        this.settings = newSettings;
    }

    public synchronized long startOffset() {
        return startOffset;
    }

    /** The last offset in flight, or the start offset when nothing is. */
    public synchronized long endOffset() {
        return endOffset;
    }

    public synchronized int stateEpoch() {
        return stateEpoch;
    }

    /** The records from the start offset to the end offset, as the limit of record locks counts them. */
    public synchronized long inFlightCount() {
        return inFlight.isEmpty() ? 0 : endOffset - startOffset + 1;
    }

    /** Where the next share fetch should read the log from: the first record that could be acquired. */
    public synchronized long nextFetchOffset() {
        catchUp(clock.millis());
        long expected = startOffset;
        for (InFlightBatch batch : inFlight.values()) {
            if (batch.firstOffset() > expected) {
                return expected; // records never fetched, or not in the restored state
            }
            for (Map.Entry<Long, InFlightState> state : batch.states()) {
                if (state.getValue().state() == RecordState.AVAILABLE) {
                    return Math.max(state.getKey(), startOffset);
                }
            }
            expected = batch.lastOffset() + 1;
        }
        return inFlight.isEmpty() ? endOffset : endOffset + 1;
    }

    // tag::acquire[]
    /**
     * Hands the member the available records among those fetched, each locked to it for the record lock duration, its
     * delivery count raised. New records are taken while the window holds fewer than share.partition.max.record.locks;
     * at the limit, only records already in the window. Under read_committed nothing from the last stable offset on is
     * taken, and an aborted transaction's records are archived, never delivered.
     *
     * <p>Available records from the offset the log was read from up to the first batch it returned are gone from the
     * log (compacted away) and are archived, as Kafka's maybeArchiveStaleBatches does.
     *
     * @param fetchOffset the offset the log was read from, {@link #nextFetchOffset()} as a rule
     * @param fetched     the batches read from the log, in offset order
     */
    public synchronized List<AcquiredRecords> acquire(String memberId, ShareFetchLimits limits, long fetchOffset,
                                                      List<FetchedBatch> fetched, long lastStableOffset) {
        checkMember(memberId);
        long now = clock.millis();
        catchUp(now);
        List<FetchedBatch> readable = readable(fetched, lastStableOffset);
        if (!fetched.isEmpty()) {
            archiveAvailable(fetchOffset, fetched.get(0).baseOffset() - 1);
        }
        List<AcquiredRecords> acquired = acquireReadable(memberId, limits, readable, now);
        advanceStartOffset();
        return acquired;
    }

    private List<AcquiredRecords> acquireReadable(String memberId, ShareFetchLimits limits, List<FetchedBatch> readable,
                                                  long now) {
        if (readable.isEmpty() || limits.maxRecords() == 0) {
            return List.of();
        }
        long firstToAcquire = Math.max(readable.get(0).baseOffset(), startOffset);
        long lastToAcquire = readable.get(readable.size() - 1).lastOffset();
        long budget = Math.min(limits.maxRecords(), settings.partitionMaxRecordLocks() - inFlightCount());
        if (budget <= 0) {
            if (inFlight.isEmpty() || firstToAcquire > endOffset) {
                return List.of();
            }
            budget = Math.min(limits.maxRecords(), endOffset - firstToAcquire + 1);
            lastToAcquire = Math.min(lastToAcquire, endOffset);
        }
        Acquisition acquisition = new Acquisition(memberId, limits, budget, now + settings.recordLockDurationMs(),
                settings.deliveryCountLimit());
        for (FetchedBatch batch : readable) {
            long from = Math.max(batch.baseOffset(), startOffset);
            long to = Math.min(batch.lastOffset(), lastToAcquire);
            boolean aborted = batch.aborted() && settings.readCommitted();
            for (long cursor = from; cursor <= to && !acquisition.done(); ) {
                InFlightBatch run = runAt(cursor, to);
                long runEnd = Math.min(to, run.lastOffset());
                acquisition.acquireFrom(run, cursor, runEnd, aborted);
                cursor = runEnd + 1;
            }
        }
        return acquisition.acquired();
    }
    // end::acquire[]

    /** Acquires as {@link #acquire(String, ShareFetchLimits, long, List, long)} does, the log read from the first batch. */
    public List<AcquiredRecords> acquire(String memberId, ShareFetchLimits limits, List<FetchedBatch> fetched,
                                         long lastStableOffset) {
        long fetchOffset = fetched.isEmpty() ? startOffset() : fetched.get(0).baseOffset();
        return acquire(memberId, limits, fetchOffset, fetched, lastStableOffset);
    }

    /** Archives the AVAILABLE records among offsets from..to: the log no longer has them. */
    private void archiveAvailable(long from, long to) {
        archiveWhere(from, to, RecordState.AVAILABLE);
    }

    /** Archives the records among offsets from..to that are in state {@code which}. */
    private void archiveWhere(long from, long to, RecordState which) {
        long first = Math.max(from, startOffset);
        if (first > to) {
            return;
        }
        Map.Entry<Long, InFlightBatch> floor = inFlight.floorEntry(first);
        long firstKey = floor != null && floor.getValue().lastOffset() >= first ? floor.getKey() : first;
        for (InFlightBatch run : inFlight.subMap(firstKey, true, to, true).values()) {
            long runFrom = Math.max(first, run.firstOffset());
            long runTo = Math.min(to, run.lastOffset());
            if (!run.perOffset() && run.batchState().state() != which) {
                continue;
            }
            if (run.wholeRun(runFrom, runTo)) {
                run.batchState().archive();
                continue;
            }
            run.splitPerOffset();
            for (long offset = runFrom; offset <= runTo; offset++) {
                if (run.stateAt(offset).state() == which) {
                    run.stateAt(offset).archive();
                }
            }
        }
    }

    /** The in-flight run holding this offset, or a new AVAILABLE one for the fetched records from it not yet in flight. */
    private InFlightBatch runAt(long offset, long lastFetched) {
        Map.Entry<Long, InFlightBatch> floor = inFlight.floorEntry(offset);
        if (floor != null && floor.getValue().lastOffset() >= offset) {
            return floor.getValue();
        }
        Long next = inFlight.higherKey(offset);
        long last = next == null ? lastFetched : Math.min(lastFetched, next - 1);
        InFlightBatch fresh = new InFlightBatch(offset, last, new InFlightState(RecordState.AVAILABLE, 0));
        inFlight.put(offset, fresh);
        endOffset = Math.max(endOffset, last);
        return fresh;
    }

    private List<FetchedBatch> readable(List<FetchedBatch> fetched, long lastStableOffset) {
        List<FetchedBatch> readable = new ArrayList<>();
        long previousLast = -1;
        for (FetchedBatch batch : fetched) {
            if (batch.baseOffset() <= previousLast) {
                throw new IllegalArgumentException("Fetched batches come in offset order without overlapping; got "
                        + batch.baseOffset() + " after " + previousLast);
            }
            previousLast = batch.lastOffset();
            boolean unstable = settings.readCommitted() && batch.lastOffset() >= lastStableOffset;
            if (batch.lastOffset() >= startOffset && !unstable) {
                readable.add(batch);
            }
        }
        return readable;
    }

    // tag::acknowledge[]
    /**
     * Settles records the member holds: ACCEPT acknowledges them, RELEASE makes them available again (set aside if
     * their delivery count has reached share.delivery.count.limit), REJECT sets them aside, RENEW gives them a fresh
     * lock when
     * share.renew.acknowledge.enable allows. All or nothing: if any record is not acquired by this member, or a range
     * reaches past the records in flight, nothing changes and the refusal names it. Offsets below the start offset are
     * settled already and skipped.
     */
    public synchronized void acknowledge(String memberId, List<AcknowledgementBatch> batches) {
        checkMember(memberId);
        long now = clock.millis();
        catchUp(now);
        Set<Long> seen = new HashSet<>();
        for (AcknowledgementBatch batch : batches) {
            checkAcknowledgeable(memberId, batch, seen);
        }
        for (AcknowledgementBatch batch : batches) {
            if (batch.lastOffset() < startOffset) {
                continue;
            }
            long from = Math.max(batch.firstOffset(), startOffset);
            for (InFlightBatch run : inFlight.subMap(inFlight.floorKey(from), true, batch.lastOffset(), true).values()) {
                long first = Math.max(from, run.firstOffset());
                long last = Math.min(batch.lastOffset(), run.lastOffset());
                if (run.wholeRun(first, last) && batch.types().size() == 1) {
                    settle(run.batchState(), first, last, batch.typeAt(first), now);
                    continue;
                }
                run.splitPerOffset();
                for (long offset = first; offset <= last; offset++) {
                    settle(run.stateAt(offset), offset, offset, batch.typeAt(offset), now);
                }
            }
        }
        advanceStartOffset();
    }

    private void settle(InFlightState state, long first, long last, AcknowledgeType type, long now) {
        switch (type) {
            case ACCEPT -> state.acknowledge();
            case RELEASE -> state.release(settings.deliveryCountLimit(), settings.deadLetters());
            case REJECT -> state.reject(settings.deadLetters());
            case GAP -> state.archive();
            case RENEW -> state.renew(now + settings.recordLockDurationMs());
            default -> throw new IllegalStateException("Unknown acknowledge type " + type);
        }
        noteSetAside(state, first, last, type == AcknowledgeType.REJECT ? DeadLetter.Cause.CLIENT_REJECT
                : DeadLetter.Cause.DELIVERY_COUNT_EXCEEDED);
    }
    // end::acknowledge[]

    // tag::dead-letters[]
    /** Records offsets first..last for the dead-letter topic if this transition set them aside (ARCHIVING). */
    private void noteSetAside(InFlightState state, long first, long last, DeadLetter.Cause cause) {
        if (state.state() != RecordState.ARCHIVING) {
            return;
        }
        DeadLetter letter = new DeadLetter(first, last, state.deliveryCount(), cause);
        int previous = deadLetters.size() - 1;
        DeadLetter joined = previous < 0 ? null : deadLetters.get(previous).joinedWith(letter);
        if (joined != null) {
            deadLetters.set(previous, joined);
        } else {
            deadLetters.add(letter);
        }
    }

    /** Whether records were set aside whose dead letters have not been handed out yet. */
    public synchronized boolean hasDeadLetters() {
        return !deadLetters.isEmpty();
    }

    /**
     * Hands out the dead-letter batches to write, each once; the records stay ARCHIVING until
     * {@link #deadLettersWritten}.
     */
    public synchronized List<DeadLetter> takeDeadLetters() {
        List<DeadLetter> taken = List.copyOf(deadLetters);
        deadLetters.clear();
        return taken;
    }

    /**
     * The batch's dead letters were written to the dead-letter topic, or could not be (Kafka archives them
     * regardless): its records are ARCHIVED, and the start offset may move past them.
     */
    public synchronized void deadLettersWritten(DeadLetter letter) {
        archiveWhere(letter.firstOffset(), letter.lastOffset(), RecordState.ARCHIVING);
        advanceStartOffset();
    }
    // end::dead-letters[]

    private void checkAcknowledgeable(String memberId, AcknowledgementBatch batch, Set<Long> seen) {
        if (batch.lastOffset() < startOffset) {
            return;
        }
        long from = Math.max(batch.firstOffset(), startOffset);
        Map.Entry<Long, InFlightBatch> floor = inFlight.floorEntry(from);
        if (floor == null) {
            throw new SharePartitionException(Errors.INVALID_RECORD_STATE, "Batch record not found: offsets "
                    + batch.firstOffset() + " to " + batch.lastOffset() + " are not in flight");
        }
        InFlightBatch lastRun = inFlight.floorEntry(batch.lastOffset()).getValue();
        if (lastRun.lastOffset() < batch.firstOffset() || batch.lastOffset() > lastRun.lastOffset()) {
            throw new SharePartitionException(Errors.INVALID_REQUEST, "Batch record not found: offsets "
                    + batch.firstOffset() + " to " + batch.lastOffset() + " reach past the acquired records, which end at "
                    + endOffset);
        }
        for (long offset = from; offset <= batch.lastOffset(); offset++) {
            InFlightBatch run = inFlight.floorEntry(offset).getValue();
            InFlightState state = run.lastOffset() < offset ? null : run.stateAt(offset);
            if (state == null || state.state() != RecordState.ACQUIRED || !seen.add(offset)) {
                throw new SharePartitionException(Errors.INVALID_RECORD_STATE, "The offset " + offset
                        + " cannot be acknowledged: it is not acquired" + (state == null ? "" : " (" + state + ")"));
            }
            if (!state.memberId().equals(memberId)) {
                throw new SharePartitionException(Errors.INVALID_RECORD_STATE, "Member " + memberId
                        + " is not the owner of offset " + offset + ": " + state.memberId() + " holds it");
            }
            if (batch.typeAt(offset) == AcknowledgeType.RENEW && !settings.renewAcknowledgeEnabled()) {
                throw new SharePartitionException(Errors.INVALID_RECORD_STATE, "Renewing acquisition locks is not"
                        + " enabled for the group (" + ShareGroupSettings.RENEW_ACKNOWLEDGE_ENABLE + "=false)");
            }
        }
    }

    /**
     * A member that leaves gives back every record it holds: available again with the delivery count it has, or
     * set aside if that count has reached the limit, as Kafka's releaseAcquiredRecords does.
     */
    public synchronized void releaseAcquiredRecords(String memberId) {
        checkMember(memberId);
        catchUp(clock.millis());
        for (InFlightBatch run : inFlight.values()) {
            for (Map.Entry<Long, InFlightState> state : run.states()) {
                if (state.getValue().acquiredBy(memberId)) {
                    release(run, state);
                }
            }
        }
        advanceStartOffset();
    }

    /**
     * Releases every record whose lock ran out by this time, as Kafka's lock timer does: available again, or set aside
     * at the delivery count limit.
     *
     * @return how many records it released
     */
    public synchronized long expireLocks(long nowMs) {
        long released = expire(nowMs);
        advanceStartOffset();
        return released;
    }

    /** Applies what time has done since the partition was last used: locks run out, and the start offset follows. */
    private void catchUp(long nowMs) {
        expire(nowMs);
        advanceStartOffset();
    }

    private long expire(long nowMs) {
        long released = 0;
        for (InFlightBatch run : inFlight.values()) {
            for (Map.Entry<Long, InFlightState> state : run.states()) {
                if (state.getValue().lockExpired(nowMs)) {
                    release(run, state);
                    released += run.perOffset() ? 1 : run.size();
                }
            }
        }
        return released;
    }

    /** Gives back one acquired record, or a whole run while its records share a state. */
    private void release(InFlightBatch run, Map.Entry<Long, InFlightState> state) {
        state.getValue().release(settings.deliveryCountLimit(), settings.deadLetters());
        noteSetAside(state.getValue(), state.getKey(), run.perOffset() ? state.getKey() : run.lastOffset(),
                DeadLetter.Cause.DELIVERY_COUNT_EXCEEDED);
    }

    /**
     * Moves the start offset, as AlterShareGroupOffsets (and kafka-share-groups --reset-offsets) does: the window is
     * emptied and the state epoch raised. Refused with NON_EMPTY_GROUP while any member holds records, as Kafka refuses
     * altering the offsets of a group with members.
     */
    public synchronized void alterStartOffset(long newStartOffset) {
        if (newStartOffset < 0) {
            throw new SharePartitionException(Errors.INVALID_REQUEST,
                    "A share partition's start offset is 0 or more, got " + newStartOffset);
        }
        catchUp(clock.millis());
        for (InFlightBatch run : inFlight.values()) {
            for (Map.Entry<Long, InFlightState> state : run.states()) {
                if (state.getValue().state() == RecordState.ACQUIRED) {
                    throw new SharePartitionException(Errors.NON_EMPTY_GROUP, "The group is not empty: member "
                            + state.getValue().memberId() + " holds offset " + state.getKey()
                            + "; the start offset can be altered once no member holds records");
                }
            }
        }
        inFlight.clear();
        deadLetters.clear(); // the records set aside left the window with the rest
        startOffset = newStartOffset;
        endOffset = newStartOffset;
        stateEpoch++;
    }

    /**
     * The log lost its records below this offset (retention, DeleteRecords): the start offset follows it, as Kafka's
     * updateCacheAndOffsets does, and the records below it leave the window; a member's later word on them is skipped.
     */
    public synchronized void logStartOffsetMoved(long logStartOffset) {
        if (logStartOffset <= startOffset) {
            return;
        }
        startOffset = logStartOffset;
        while (!inFlight.isEmpty() && inFlight.firstKey() < startOffset) {
            InFlightBatch first = inFlight.pollFirstEntry().getValue();
            if (first.lastOffset() >= startOffset) {
                inFlight.put(startOffset, first.from(startOffset));
            }
        }
        advanceStartOffset();
    }

    // tag::start-offset[]
    /**
     * Moves the start offset over the records at the front of the window that are settled for good (acknowledged or
     * archived), dropping them from the window. A record not yet settled, or a hole in the window, stops it.
     */
    private void advanceStartOffset() {
        while (!inFlight.isEmpty()) {
            InFlightBatch first = inFlight.firstEntry().getValue();
            if (first.firstOffset() > startOffset) {
                return;
            }
            long offset = Math.max(startOffset, first.firstOffset());
            while (offset <= first.lastOffset() && first.stateAt(offset).state().terminal()) {
                offset = first.perOffset() ? offset + 1 : first.lastOffset() + 1;
            }
            startOffset = Math.max(startOffset, offset);
            inFlight.remove(first.firstOffset());
            if (offset <= first.lastOffset()) {
                inFlight.put(offset, first.firstOffset() == offset ? first : first.from(offset));
                return;
            }
        }
        endOffset = startOffset; // all settled: the next record fetched starts the window
    }
    // end::start-offset[]

    /**
     * The state to persist in a ShareSnapshot: the start offset, the state epoch, and runs of in-flight records
     * sharing a state and delivery count. Acquired records are written as their locks' expiry would leave them:
     * available with their counts, or set aside at the delivery count limit. A lock does not outlive the broker.
     */
    public synchronized ShareGroupState stateSnapshot() {
        catchUp(clock.millis());
        List<PersisterStateBatch> batches = new ArrayList<>();
        for (InFlightBatch run : inFlight.values()) {
            for (Map.Entry<Long, InFlightState> entry : run.states()) {
                long first = entry.getKey();
                long last = run.perOffset() ? first : run.lastOffset();
                RecordState persisted = entry.getValue().persistedState(settings.deliveryCountLimit(),
                        settings.deadLetters());
                int count = entry.getValue().deliveryCount();
                int previous = batches.size() - 1;
                PersisterStateBatch before = previous < 0 ? null : batches.get(previous);
                if (before != null && before.lastOffset() + 1 == first && before.state() == persisted
                        && before.deliveryCount() == count) {
                    batches.set(previous, new PersisterStateBatch(before.firstOffset(), last, persisted, count));
                } else {
                    batches.add(new PersisterStateBatch(first, last, persisted, count));
                }
            }
        }
        return new ShareGroupState(stateEpoch, startOffset, batches);
    }

    /** The state of an offset in flight, or null if it is not. */
    synchronized InFlightState stateAt(long offset) {
        Map.Entry<Long, InFlightBatch> floor = inFlight.floorEntry(offset);
        if (floor == null || floor.getValue().lastOffset() < offset || offset < startOffset) {
            return null;
        }
        return floor.getValue().stateAt(offset).copy();
    }

    private static void checkMember(String memberId) {
        if (memberId == null || memberId.isEmpty()) {
            throw new SharePartitionException(Errors.INVALID_REQUEST, "A member id is required to acquire,"
                    + " acknowledge or release records");
        }
    }
}
