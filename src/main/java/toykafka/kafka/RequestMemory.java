package toykafka.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bytes the Kafka front end holds for requests, bounded broker-wide by {@code queued.max.request.bytes}:
 * frames still arriving, requests read but not yet answered, and answers in the heap their clients have not
 * taken yet. Kafka's {@code MemoryPool}, which counts requests only, with more rules, so that clients that
 * start large frames and stall, or ask and never read, cannot starve those that send whole requests.
 *
 * <p>Every connection has an <em>allowance</em>: the bound shared out over {@code max.connections}, at most
 * 64 KiB. A frame within it is read as it comes and never waits: the allowances of every connection there
 * can be fit in the bound, so an ApiVersions, a Metadata, a fetch or an ordinary produce always goes through,
 * however many large frames are stuck. A larger frame reads its allowance, then asks for the rest of its size
 * in one go (its buffer still grows only as bytes come, so the heap holds what was sent); while that does not
 * fit, the connection is muted (the selector reads nothing more from it, the rest waits in the socket) and is
 * woken when an answer or a closed connection gives bytes back. A stuck client thus holds its allowance, not
 * its announced size, and only one large frame at a time can hold memory others wait for: the front end
 * closes it if it does not arrive whole within {@code request.arrival.timeout.ms}. An answer its client takes
 * nothing of within that time is dropped with its connection while the bound is passed or others wait.
 *
 * <p>Frames over a quarter of the bound are <em>huge</em>: together they may be granted at most three
 * quarters of it, so a quarter always stays for the rest, and a huge frame stalled by its client never
 * makes an ordinary produce wait. When memory is freed, the smallest frame waiting asks first (the oldest
 * first among equals), so clients that stall one frame after another cannot keep a smaller one in line
 * behind them.
 *
 * <p>A frame may go past the bound when nothing else that could free memory is arriving or in hand: then it
 * goes ahead alone, rather than wait for ever. Smaller frames count only the huge ones' share of it, so the
 * overshoot is at most one frame ({@code socket.request.max.bytes}). Kafka's own pool lets every frame wait
 * for the whole of its size, in the order they came, so 150 clients that each announce 100 MB and send 1 MiB
 * stop its listener. Only the selector thread uses this.
 */
final class RequestMemory {

    /** The most a connection reads of a frame before it must be given the frame's whole size. */
    static final int MAX_ALLOWANCE = 64 * 1024;

    private final long bound;
    /** Past this, a grant is for a huge frame; it is also the share of the bound huge frames leave to others. */
    private final long hugeFrame;
    private int allowance;
    /** Bytes of frames arriving within their connections' allowances. */
    private long withinAllowances;
    /** Bytes given to large frames still arriving, their whole size less their allowance. */
    private long granted;
    /** Of those, the bytes given to huge frames. */
    private long grantedHuge;
    /** Bytes of requests read and not yet answered. */
    private long inHand;
    /** Bytes of answers in the heap that their clients have not taken whole yet. */
    private long unsentAnswers;
    /** Connections muted until their frame's bytes fit, with the bytes each asked for, oldest first. */
    private final Map<Connection, Long> waiting = new LinkedHashMap<>();
    private boolean freedSinceWake;
    /** What other threads (tests, statistics) may read; only the selector thread writes these. */
    private volatile long heldForOthers;
    private volatile long peakForOthers;
    private volatile int waitingForOthers;

    /**
     * @param bound          {@code queued.max.request.bytes}
     * @param maxConnections {@code max.connections}: the allowances of that many must fit in the bound
     */
    RequestMemory(long bound, int maxConnections) {
        this.bound = bound;
        this.hugeFrame = bound / 4;
        maxConnections(maxConnections);
    }

    /**
     * Shares the bound out again when max.connections changes while the broker runs; a frame already
     * arriving keeps what it holds, and asks for the rest of its size past the new allowance.
     */
    void maxConnections(int maxConnections) {
        this.allowance = (int) Math.max(Connection.FIRST_BUFFER_BYTES, Math.min(MAX_ALLOWANCE, bound / maxConnections));
    }

    /** What a connection reads of a frame without asking: frames this size or smaller never wait. */
    int allowance() {
        return allowance;
    }

    /** Takes bytes of a connection's allowance: never refused, since every allowance fits in the bound. */
    void takeAllowance(int bytes) {
        withinAllowances += bytes;
        published();
    }

    /**
     * Gives {@code who}'s large frame the {@code bytes} it needs beyond its allowance, or says no and puts it in
     * line to be woken: the caller then mutes it.
     */
    boolean grant(Connection who, long bytes) {
        long held = withinAllowances + granted + inHand + unsentAnswers;
        long hugeShare = bound - hugeFrame;
        boolean fits = huge(bytes)
                ? held + bytes <= bound && grantedHuge + bytes <= hugeShare
                : held - Math.max(0, grantedHuge - hugeShare) + bytes <= bound; // a huge frame alone leaves the rest
        if (!fits && (granted > 0 || inHand > 0 || unsentAnswers > 0)) {
            waiting.putIfAbsent(who, bytes);
            published();
            return false;
        }
        // it fits, or nothing arriving or in hand would ever free memory: it goes ahead (alone, if past the bound)
        waiting.remove(who);
        granted += bytes;
        if (huge(bytes)) {
            grantedHuge += bytes;
        }
        published();
        return true;
    }

    private boolean huge(long grantedBytes) {
        return grantedBytes > hugeFrame;
    }

    /** A frame is whole: its bytes are now a request in hand until answered. */
    void frameComplete(int allowanceBytes, long grantedBytes) {
        withinAllowances -= allowanceBytes;
        ungrant(grantedBytes);
        inHand += allowanceBytes + grantedBytes;
        published();
    }

    /** A request was answered (or needed no answer): its bytes are free. */
    void requestDone(long bytes) {
        inHand -= bytes;
        freed();
    }

    /** An answer's bytes in the heap wait for its client to take them. */
    void answerQueued(long bytes) {
        unsentAnswers += bytes;
        published();
    }

    /** An answer went out whole: its bytes are free. */
    void answerSent(long bytes) {
        unsentAnswers -= bytes;
        freed();
    }

    /** Whether more is held than the bound: then answers a client does not take are not kept for it. */
    boolean overBound() {
        return withinAllowances + granted + inHand + unsentAnswers > bound;
    }

    /** {@code who} closed: what it held of a frame arriving, a request in hand or an answer unsent, is free. */
    void closed(Connection who, int allowanceBytes, long grantedBytes, long inHandBytes, long unsentBytes) {
        withinAllowances -= allowanceBytes;
        ungrant(grantedBytes);
        inHand -= inHandBytes;
        unsentAnswers -= unsentBytes;
        waiting.remove(who);
        freed();
    }

    private void ungrant(long grantedBytes) {
        granted -= grantedBytes;
        if (huge(grantedBytes)) {
            grantedHuge -= grantedBytes;
        }
    }

    /** Whether some connection is muted, waiting for memory. */
    boolean anyWaiting() {
        return !waiting.isEmpty();
    }

    /**
     * The connections to wake once bytes were freed, smallest frame first: each asks again in this order, and
     * waits again if it still does not fit.
     */
    List<Connection> toWake() {
        if (!freedSinceWake || waiting.isEmpty()) {
            return List.of();
        }
        freedSinceWake = false;
        List<Connection> woken = waiting.entrySet().stream().sorted(Map.Entry.comparingByValue()) // stable: oldest first
                .map(Map.Entry::getKey).toList();
        waiting.clear();
        published();
        return woken;
    }

    /** Bytes held for frames arriving, requests in hand and answers unsent; safe to call from any thread. */
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
        heldForOthers = withinAllowances + granted + inHand + unsentAnswers;
        peakForOthers = Math.max(peakForOthers, heldForOthers);
        waitingForOthers = waiting.size();
    }
}
