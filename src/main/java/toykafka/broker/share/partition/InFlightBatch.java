package toykafka.broker.share.partition;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A run of in-flight records from one log batch (Kafka's {@code InFlightBatch}): one state for the whole run while
 * all its records share it, one state per offset once a transition touches only some of them. It never goes back to
 * one state, as Kafka's does not.
 */
final class InFlightBatch {

    private final long firstOffset;
    private final long lastOffset;
    /** The whole run's state, or null once each offset has its own. */
    private InFlightState batchState;
    private NavigableMap<Long, InFlightState> offsetStates;

    InFlightBatch(long firstOffset, long lastOffset, InFlightState state) {
        this.firstOffset = firstOffset;
        this.lastOffset = lastOffset;
        this.batchState = state;
    }

    private InFlightBatch(long firstOffset, long lastOffset, NavigableMap<Long, InFlightState> offsetStates) {
        this.firstOffset = firstOffset;
        this.lastOffset = lastOffset;
        this.offsetStates = offsetStates;
    }

    long firstOffset() {
        return firstOffset;
    }

    long lastOffset() {
        return lastOffset;
    }

    long size() {
        return lastOffset - firstOffset + 1;
    }

    boolean perOffset() {
        return batchState == null;
    }

    /** The whole run's state; only while it has one. */
    InFlightState batchState() {
        if (batchState == null) {
            throw new IllegalStateException("Offsets " + firstOffset + " to " + lastOffset + " each have a state");
        }
        return batchState;
    }

    /** The state of one offset of the run. */
    InFlightState stateAt(long offset) {
        return batchState != null ? batchState : offsetStates.get(offset);
    }

    /** Whether offsets from..to are the whole run, kept as one state. */
    boolean wholeRun(long from, long to) {
        return batchState != null && from == firstOffset && to == lastOffset;
    }

    /** Gives each offset a state of its own, a copy of the run's. */
    void splitPerOffset() {
        if (batchState == null) {
            return;
        }
        offsetStates = new TreeMap<>();
        for (long offset = firstOffset; offset <= lastOffset; offset++) {
            offsetStates.put(offset, batchState.copy());
        }
        batchState = null;
    }

    /** The part of the run from this offset on. */
    InFlightBatch from(long offset) {
        if (batchState != null) {
            return new InFlightBatch(offset, lastOffset, batchState);
        }
        return new InFlightBatch(offset, lastOffset, new TreeMap<>(offsetStates.tailMap(offset, true)));
    }

    /** Each offset's state, or the run's once for the whole run. */
    Iterable<Map.Entry<Long, InFlightState>> states() {
        if (batchState != null) {
            return Map.of(firstOffset, batchState).entrySet();
        }
        return offsetStates.entrySet();
    }

    @Override
    public String toString() {
        return firstOffset + ".." + lastOffset + " " + (batchState != null ? batchState : offsetStates);
    }
}
