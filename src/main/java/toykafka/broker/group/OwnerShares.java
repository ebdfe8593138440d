package toykafka.broker.group;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each owner ({@link Owner}: a client address, a client id, a group, a transactional id) holds of the
 * coordinator's memory, and the share none may pass. Kafka has no such bound, and a single bound for the whole
 * broker let one client's flood of commits to new groups lock every other client out for as long as the junk was
 * retained; with shares, the flood stops at its own. An owner whose holding falls to nothing is forgotten, so the
 * bookkeeping is bounded by what is held. Thread-safe.
 */
final class OwnerShares {

    /**
     * The share is the bound over this: one owner's flood leaves the other half to everyone else, and a single
     * legitimate client still has room for a large state of its own.
     */
    static final int SHARE_DIVISOR = 2;

    private final long max;
    private final long share;
    private final Map<Owner, Long> held = new HashMap<>();
    /**
     * The owners refused for their share: each stays at its share until it holds no more than half of it, so a
     * flood's junk is given back on demand for as long as the flood holds most of its share, not one group only.
     */
    private final Set<Owner> atShare = new HashSet<>();

    OwnerShares(long max) {
        this.max = max;
        this.share = max / SHARE_DIVISOR;
    }

    long share() {
        return share;
    }

    /** Each of {@code owners} holds {@code bytes} more (less, if negative). */
    synchronized void add(long bytes, Owners owners) {
        owners.all().forEach(owner -> add(owner, bytes));
    }

    /** Each owner named holds its bytes less: what a piece of state charged it is given back. */
    synchronized void credit(Map<Owner, Long> credited) {
        credited.forEach((owner, bytes) -> add(owner, -bytes));
    }

    private void add(Owner owner, long bytes) {
        if (held.merge(owner, bytes, Long::sum) <= 0) {
            held.remove(owner); // at nothing: forgotten, so the bookkeeping stays bounded
            atShare.remove(owner);
        }
    }

    synchronized long held(Owner owner) {
        return held.getOrDefault(owner, 0L);
    }

    /** How many owners hold anything. */
    synchronized int owners() {
        return held.size();
    }

    /**
     * Why {@code growth} more for {@code owners} would pass a share, naming each owner it would pass, or null if
     * none. Each owner named is at its share from now on ({@link #atShare()}).
     */
    synchronized String overShare(long growth, Owners owners) {
        List<String> over = new ArrayList<>();
        owners.all().stream().sorted(Comparator.comparing(Owner::kind)).forEach(owner -> {
            long holds = held(owner);
            if (holds + growth > share) {
                atShare.add(owner);
                over.add(owner + " holds about " + holds + " bytes of the coordinator's memory, its share is "
                        + share + " (half of " + GroupConfig.MEMORY_MAX_BYTES + "=" + max + ")");
            }
        });
        return over.isEmpty() ? null : String.join("; ", over);
    }

    /** Whether {@code growth} more for {@code owners} passes no share; asks only, marking no one. */
    synchronized boolean fits(long growth, Owners owners) {
        return owners.all().stream().allMatch(owner -> held(owner) + growth <= share);
    }

    /** The owners refused for their share that still hold more than half of it. */
    synchronized Set<Owner> atShare() {
        atShare.removeIf(owner -> held(owner) <= share / 2);
        return Set.copyOf(atShare);
    }
}
