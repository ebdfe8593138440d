package toykafka.lesson12;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import toykafka.common.Record;

/** What a compacted log stands for: the table its records replay to, which cleaning must never change. */
final class Tables {

    private Tables() {
    }

    /** Replays records into a table: the latest value per key, a tombstone removing it. */
    static Map<String, String> table(List<Record> records) {
        Map<String, String> table = new TreeMap<>();
        for (Record record : records) {
            if (record.isTombstone()) {
                table.remove(record.keyText());
            } else {
                table.put(record.keyText(), record.valueText());
            }
        }
        return table;
    }
}
