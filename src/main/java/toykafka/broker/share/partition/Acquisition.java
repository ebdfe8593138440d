package toykafka.broker.share.partition;

import java.util.ArrayList;
import java.util.List;

/**
 * One share fetch's acquiring (the body of Kafka's {@code SharePartition.acquire}): how many records it may still
 * take, the runs it has taken, and Kafka's rules for records delivered many times already. Such a record comes in
 * smaller helpings: a run whose delivery count has reached half the limit (at least 2) ends the fetch if anything was
 * taken before it, and is itself handed out a halving share at a time; a record on its last attempt goes alone.
 */
final class Acquisition {

    private final String memberId;
    private final ShareFetchLimits limits;
    private final long lockDeadlineMs;
    private final int deliveryCountLimit;
    private final int throttleLimit;
    private long remaining;
    private boolean stopped;
    private boolean tookAny;
    private final List<AcquiredRecords> acquired = new ArrayList<>();

    Acquisition(String memberId, ShareFetchLimits limits, long budget, long lockDeadlineMs, int deliveryCountLimit) {
        this.memberId = memberId;
        this.limits = limits;
        this.remaining = budget;
        this.lockDeadlineMs = lockDeadlineMs;
        this.deliveryCountLimit = deliveryCountLimit;
        this.throttleLimit = Math.max(2, (deliveryCountLimit + 1) / 2);
    }

    /** Whether this fetch may take no more. */
    boolean done() {
        return stopped || remaining <= 0;
    }

    List<AcquiredRecords> acquired() {
        return acquired;
    }

    /**
     * Takes the AVAILABLE records among offsets from..to of a run: the whole run at once while it has one state, the
     * run fits, and it is not throttled; otherwise record by record. Records of an aborted transaction are acquired
     * and archived at once, counted as delivered, never handed out.
     */
    void acquireFrom(InFlightBatch batch, long from, long to, boolean aborted) {
        if (!batch.perOffset()) {
            InFlightState state = batch.batchState();
            if (state.state() != RecordState.AVAILABLE) {
                return;
            }
            boolean throttled = state.deliveryCount() >= throttleLimit;
            if (throttled && tookAny) {
                stopped = true;
                return;
            }
            boolean overLimit = limits.mode() == ShareAcquireMode.RECORD_LIMIT && batch.size() > remaining;
            if (batch.wholeRun(from, to) && !throttled && !overLimit) {
                take(state, from, to, aborted);
                return;
            }
            batch.splitPerOffset();
        }
        acquireOffsets(batch, from, to, aborted);
    }

    private void acquireOffsets(InFlightBatch batch, long from, long to, boolean aborted) {
        boolean throttled = mostDeliveredAvailable(batch, from, to) >= throttleLimit;
        if (throttled && tookAny) {
            stopped = true;
            return;
        }
        long maxWhileThrottled = -1;
        int taken = 0;
        for (long offset = from; offset <= to; offset++) {
            InFlightState state = batch.stateAt(offset);
            if (state.state() != RecordState.AVAILABLE) {
                continue;
            }
            int delivered = state.deliveryCount();
            if (deliveryCountLimit > 2 && delivered == deliveryCountLimit - 1 && taken > 0) {
                break; // its last attempt goes out alone, in the next fetch
            }
            if (delivered >= throttleLimit && maxWhileThrottled < 0) {
                maxWhileThrottled = Math.max(1, batch.size() >> (delivered - throttleLimit + 1));
            }
            take(state, offset, offset, aborted);
            taken++;
            if (deliveryCountLimit > 2 && state.deliveryCount() == deliveryCountLimit) {
                break;
            }
            if (limits.mode() == ShareAcquireMode.RECORD_LIMIT && remaining <= 0 || taken == maxWhileThrottled) {
                break;
            }
        }
        if (throttled && taken > 0) {
            stopped = true;
        }
    }

    private static int mostDeliveredAvailable(InFlightBatch batch, long from, long to) {
        int most = 0;
        for (long offset = from; offset <= to; offset++) {
            InFlightState state = batch.stateAt(offset);
            if (state.state() == RecordState.AVAILABLE) {
                most = Math.max(most, state.deliveryCount());
            }
        }
        return most;
    }

    private void take(InFlightState state, long from, long to, boolean aborted) {
        state.acquire(memberId, lockDeadlineMs);
        remaining -= to - from + 1;
        tookAny = true;
        if (aborted) {
            state.archive();
            return;
        }
        int last = acquired.size() - 1;
        AcquiredRecords previous = last < 0 ? null : acquired.get(last);
        if (previous != null && previous.lastOffset() + 1 == from && previous.deliveryCount() == state.deliveryCount()
                && previous.count() < limits.batchSize()) {
            acquired.set(last, new AcquiredRecords(previous.firstOffset(), to, state.deliveryCount()));
        } else {
            acquired.add(new AcquiredRecords(from, to, state.deliveryCount()));
        }
    }
}
