package toykafka.kafka;

import java.util.ArrayList;
import java.util.List;

/**
 * A list for a {@code --trace} line: partitions with their offsets, sizes or errors. The first few are
 * shown in full and the rest counted, so a consumer of a thousand partitions still gets one readable line.
 */
final class TraceList {

    private static final int SHOWN = 6;

    private final List<String> items = new ArrayList<>();

    TraceList add(String item) {
        items.add(item);
        return this;
    }

    @Override
    public String toString() {
        if (items.isEmpty()) {
            return "no partitions";
        }
        String shown = String.join(", ", items.subList(0, Math.min(SHOWN, items.size())));
        return items.size() <= SHOWN ? shown : shown + " and " + (items.size() - SHOWN) + " more";
    }

    /** A size in bytes the way people read one: 512 B, 1.2 KB, 50.0 MB. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        return bytes < 1024 * 1024 ? String.format("%.1f KB", bytes / 1024.0) : String.format("%.1f MB", bytes / 1048576.0);
    }
}
