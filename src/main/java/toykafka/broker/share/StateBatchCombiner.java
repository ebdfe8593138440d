package toykafka.broker.share;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import toykafka.broker.share.partition.PersisterStateBatch;
import toykafka.broker.share.partition.ShareGroupState;

/**
 * Merges a share partition's persisted state batches with newer ones, as Kafka's share coordinator does when it
 * replays an update or writes a snapshot (Kafka's {@code PersisterStateBatchCombiner}).
 */
public final class StateBatchCombiner {

    /** The batch that wins an offset several batches cover: the higher delivery count, then the higher state id. */
    private static final Comparator<PersisterStateBatch> WINNER_FIRST = Comparator
            .comparingInt((PersisterStateBatch batch) -> batch.deliveryCount()).reversed()
            .thenComparing(Comparator.comparingInt((PersisterStateBatch batch) -> batch.deliveryState()).reversed());

    private StateBatchCombiner() {
    }

    // tag::combine[]
    /**
     * The batches from {@code startOffset} on (all of them if it is -1): a batch that starts before it is cut to
     * begin there, and one that ends before it is dropped. Where batches overlap, old or new, the one delivered more
     * often wins, then the one whose state id is higher (ARCHIVED over ACKNOWLEDGED over AVAILABLE): a record's
     * count and state only move up, so the winner is the latest news. Neighbours with the same state and count are
     * joined; offsets no batch covers stay uncovered.
     */
    public static List<PersisterStateBatch> combine(List<PersisterStateBatch> soFar, List<PersisterStateBatch> newer,
                                                    long startOffset) {
        List<PersisterStateBatch> kept = new ArrayList<>();
        addFrom(startOffset, soFar, kept);
        addFrom(startOffset, newer, kept);
        if (kept.size() <= 1) {
            return kept;
        }
        // Each batch opens at its first offset and closes after its last: sweep the edges in offset order.
        TreeMap<Long, List<PersisterStateBatch>> opening = new TreeMap<>();
        TreeMap<Long, List<PersisterStateBatch>> closing = new TreeMap<>();
        for (PersisterStateBatch batch : kept) {
            opening.computeIfAbsent(batch.firstOffset(), offset -> new ArrayList<>()).add(batch);
            closing.computeIfAbsent(batch.lastOffset() + 1, offset -> new ArrayList<>()).add(batch);
        }
        TreeMap<PersisterStateBatch, Integer> open = new TreeMap<>(WINNER_FIRST);
        List<PersisterStateBatch> out = new ArrayList<>();
        TreeSet<Long> edges = new TreeSet<>(opening.keySet());
        edges.addAll(closing.keySet());
        for (long edge : edges) {
            for (PersisterStateBatch closed : closing.getOrDefault(edge, List.of())) {
                open.computeIfPresent(closed, (batch, count) -> count == 1 ? null : count - 1);
            }
            for (PersisterStateBatch opened : opening.getOrDefault(edge, List.of())) {
                open.merge(opened, 1, Integer::sum);
            }
            Long next = edges.higher(edge);
            if (!open.isEmpty() && next != null) {
                append(out, edge, next - 1, open.firstKey());
            }
        }
        return out;
    }
    // end::combine[]

    private static void addFrom(long startOffset, List<PersisterStateBatch> batches, List<PersisterStateBatch> into) {
        for (PersisterStateBatch batch : batches) {
            if (startOffset == ShareGroupState.UNINITIALIZED || batch.firstOffset() >= startOffset) {
                into.add(batch);
            } else if (batch.lastOffset() >= startOffset) {
                into.add(new PersisterStateBatch(startOffset, batch.lastOffset(), batch.deliveryState(),
                        batch.deliveryCount()));
            }
        }
    }

    /** Adds the winner's run from {@code first} to {@code last}, joined to the run before if they match. */
    private static void append(List<PersisterStateBatch> out, long first, long last, PersisterStateBatch winner) {
        int tail = out.size() - 1;
        if (tail >= 0) {
            PersisterStateBatch before = out.get(tail);
            if (before.lastOffset() + 1 == first && before.deliveryState() == winner.deliveryState()
                    && before.deliveryCount() == winner.deliveryCount()) {
                out.set(tail, new PersisterStateBatch(before.firstOffset(), last, winner.deliveryState(),
                        winner.deliveryCount()));
                return;
            }
        }
        out.add(new PersisterStateBatch(first, last, winner.deliveryState(), winner.deliveryCount()));
    }
}
