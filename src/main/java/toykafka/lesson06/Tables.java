package toykafka.lesson06;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.lesson02.EventAt;
import toykafka.common.Record;

/**
 * The other half of the table–stream duality: a stream of changes, replayed in order, builds a table.
 * Keys and values are shown as text, and the table is sorted by key, so two tables print alike.
 */
public final class Tables {

    private Tables() {
    }

    // tag::replay[]
    /** Replays changes in order: a value sets its key, a tombstone deletes it. */
    public static SortedMap<String, String> replay(Iterable<Record> changes) {
        SortedMap<String, String> table = new TreeMap<>();
        for (Record change : changes) {
            if (!change.hasKey()) {
                throw new IllegalArgumentException("a change without a key names no row of the table: " + change);
            }
            if (change.isTombstone()) {
                table.remove(change.keyText());
            } else {
                table.put(change.keyText(), change.valueText());
            }
        }
        return table;
    }

    /** The table a compacted log describes: every record it still holds, replayed from the start. */
    public static SortedMap<String, String> replay(CompactedLog log) {
        List<Record> held = log.fetch(log.earliest(), Integer.MAX_VALUE).stream().map(EventAt::event).toList();
        return replay(held);
    }
    // end::replay[]
}
