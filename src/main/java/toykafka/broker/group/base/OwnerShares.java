package toykafka.broker.group.base;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each owner ({@link Owner}: a client address, a client id, a group, a transactional id) holds of the
 * coordinator's memory, and the share none may pass. Kafka has no such bound, and a single bound for the whole
 * broker let one client's flood of commits to new groups lock every other client out for as long as the junk was
 * retained; with shares, the flood stops at its own. An owner whose holding falls to nothing is forgotten, so the
 * bookkeeping is bounded by what is held. Thread-safe.
 */
public final class OwnerShares {

    /**
     * The share is the bound over this: one owner's flood leaves the other half to everyone else, and a single
     * legitimate client still has room for a large state of its own.
     */
    static final int SHARE_DIVISOR = 2;

    private final long max;
    private final long share;
    private final Map<Owner, Long> held = new HashMap<>();

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
        }
    }

    public synchronized long held(Owner owner) {
        return held.getOrDefault(owner, 0L);
    }

    /** How many owners hold anything. */
    public synchronized int owners() {
        return held.size();
    }

    /**
     * Why {@code growth} more for {@code owners} would pass a share, naming each owner it would pass, or null if
     * none.
     */
    synchronized String overShare(long growth, Owners owners) {
        List<String> over = new ArrayList<>();
        owners.all().stream().sorted(Comparator.comparing(Owner::kind)).forEach(owner -> {
            long holds = held(owner);
            if (holds + growth > share) {
                over.add(owner + " holds about " + holds + " bytes of the coordinator's memory, its share is "
                        + share + " (half of " + GroupConfig.MEMORY_MAX_BYTES + "=" + max + ")");
            }
        });
        return over.isEmpty() ? null : String.join("; ", over);
    }
}
