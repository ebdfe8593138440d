package toykafka.kafka;

import java.util.Collection;
import java.util.stream.Collectors;

/** Lists for {@code --trace} lines: the first few items, and how many more, so a line stays readable. */
final class Summaries {

    private static final int SHOWN = 10;

    private Summaries() {
    }

    /** "a, b, c", or "a, b, … and 40 more" past ten items; "none" when empty. */
    static String list(Collection<String> items) {
        if (items.isEmpty()) {
            return "none";
        }
        String shown = items.stream().limit(SHOWN).collect(Collectors.joining(", "));
        return items.size() <= SHOWN ? shown : shown + ", … and " + (items.size() - SHOWN) + " more";
    }
}
