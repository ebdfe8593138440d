package toykafka.kafka;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The bytes the Kafka front end holds for requests, bounded broker-wide by {@code queued.max.request.bytes}:
 * frames still arriving (each in a buffer that grows as its bytes come in) and requests read but not yet
 * answered. Kafka's {@code MemoryPool}. A connection that needs more while the bound is reached waits,
 * muted (the selector reads nothing from it), and is woken when an answer or a closed connection gives
 * bytes back. So ten thousand clients that each announce a 5 MiB frame and send nothing hold only the
 * little they sent, and clients that do send cannot make the broker hold more than the bound.
 *
 * <p>One connection may go past the bound, and only while no request is in hand: then no answer is coming
 * that would free memory, and frames half-read on several connections would wait for each other for ever.
 * The overshoot is at most one frame ({@code socket.request.max.bytes}). Only the selector thread uses this.
 */
final class RequestMemory {

    private final long bound;
    /** Bytes of frames still arriving. */
    private long unfinished;
    /** Bytes of requests read and not yet answered. */
    private long inHand;
    /** The one connection allowed past the bound, or null. */
    private Connection overdrawn;
    private final Set<Connection> waiting = new LinkedHashSet<>();
    private boolean freedSinceWake;
    /** What other threads (tests, statistics) may read; only the selector thread writes these. */
    private volatile long heldForOthers;
    private volatile long peakForOthers;
    private volatile int waitingForOthers;

    RequestMemory(long bound) {
        this.bound = bound;
    }

    /**
     * Takes {@code bytes} more for {@code who}'s unfinished frame, or says no and puts it in line to be woken:
     * the caller then mutes it.
     */
    boolean reserve(Connection who, int bytes) {
        boolean fits = unfinished + inHand + bytes <= bound;
        if (!fits && who != overdrawn) {
            if (inHand > 0 || overdrawn != null) {
                waiting.add(who);
                published();
                return false;
            }
            overdrawn = who; // nothing in hand will free memory: this frame goes ahead alone
        }
        waiting.remove(who);
        unfinished += bytes;
        published();
        return true;
    }

    /** {@code who}'s frame is whole: its bytes are now a request in hand until answered. */
    void frameComplete(Connection who, int bytes) {
        unfinished -= bytes;
        inHand += bytes;
        if (overdrawn == who) {
            overdrawn = null;
        }
        published();
    }

    /** A request was answered (or needed no answer): its bytes are free. */
    void requestDone(int bytes) {
        inHand -= bytes;
        freed();
    }

    /** {@code who} closed: what it held of an unfinished frame or of a request in hand is free. */
    void closed(Connection who, int unfinishedBytes, int inHandBytes) {
        unfinished -= unfinishedBytes;
        inHand -= inHandBytes;
        waiting.remove(who);
        if (overdrawn == who) {
            overdrawn = null;
        }
        freed();
    }

    /** The connections to wake (each asks again, and waits again if it still does not fit), once bytes were freed. */
    List<Connection> toWake() {
        if (!freedSinceWake || waiting.isEmpty()) {
            return List.of();
        }
        freedSinceWake = false;
        List<Connection> woken = List.copyOf(waiting);
        waiting.clear();
        published();
        return woken;
    }

    /** Bytes held for unfinished frames and requests in hand; safe to call from any thread. */
    long held() {
        return heldForOthers;
    }

    /** The most bytes ever held at once; safe to call from any thread. */
    long peak() {
        return peakForOthers;
    }

    /** How many connections are muted, waiting for memory; safe to call from any thread. */
    int waiting() {
        return waitingForOthers;
    }

    private void freed() {
        freedSinceWake = true;
        published();
    }

    private void published() {
        heldForOthers = unfinished + inHand;
        peakForOthers = Math.max(peakForOthers, heldForOthers);
        waitingForOthers = waiting.size();
    }
}
