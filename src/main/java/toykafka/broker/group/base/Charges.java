package toykafka.broker.group.base;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * What one piece of the coordinator's state (a group with its members, a producer's open offsets) was charged,
 * and to whom, so that what it gives back is credited to the owners it was charged to. A piece that shrinks
 * credits each kind of owner up to what it was charged; which owner of a kind first is not kept, since a piece
 * is mostly charged to one. Guarded by its holder's lock.
 */
public final class Charges {

    private final CoordinatorMemory memory;
    private final Map<Owner, Long> byOwner = new HashMap<>();
    private long total;

    public Charges(CoordinatorMemory memory) {
        this.memory = memory;
    }

    long total() {
        return total;
    }

    /** The piece now takes {@code bytes}: growth is charged to {@code causedBy}, shrinking given back. */
    public void settle(long bytes, Owners causedBy) {
        long change = bytes - total;
        if (change > 0) {
            charge(change, causedBy);
        } else if (change < 0) {
            giveBack(-change);
        }
    }

    /** The piece grew by {@code bytes}, caused by {@code owners}. */
    public void charge(long bytes, Owners owners) {
        memory.charge(bytes, owners);
        owners.all().forEach(owner -> byOwner.merge(owner, bytes, Long::sum));
        total += bytes;
    }

    /** The piece is gone: everything it was charged is given back. */
    public void releaseAll() {
        giveBack(total);
    }

    private void giveBack(long bytes) {
        Map<Owner, Long> credited = new HashMap<>();
        for (Owner.Kind kind : Owner.Kind.values()) {
            long left = bytes;
            for (Iterator<Map.Entry<Owner, Long>> it = byOwner.entrySet().iterator(); it.hasNext() && left > 0; ) {
                Map.Entry<Owner, Long> charged = it.next();
                if (charged.getKey().kind() == kind) {
                    long taken = Math.min(left, charged.getValue());
                    credited.put(charged.getKey(), taken);
                    left -= taken;
                    if (taken == charged.getValue()) {
                        it.remove();
                    } else {
                        charged.setValue(charged.getValue() - taken);
                    }
                }
            }
        }
        total -= bytes;
        memory.credit(bytes, credited);
    }
}
