package toykafka.kafka;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The names a request gives more than once. Kafka's admin APIs answer each such topic or resource with
 * INVALID_REQUEST rather than act on it twice, so every API that takes a list of names asks this first.
 */
final class RepeatedNames {

    private RepeatedNames() {
    }

    /** Each name that stands more than once in {@code names}, in the order of its second appearance. */
    static Set<String> of(Collection<String> names) {
        Set<String> seen = new HashSet<>();
        Set<String> repeated = new LinkedHashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                repeated.add(name);
            }
        }
        return repeated;
    }
}
