package toykafka.lesson08;

import java.util.function.IntPredicate;

/**
 * The binary search both indexes make over their sorted entries, as Kafka's {@code AbstractIndex} makes it
 * for its offset and time indexes ({@code largestLowerBoundSlotFor}).
 */
final class IndexSearch {

    private IndexSearch() {
    }

    // tag::search[]
    /**
     * The number of the last of the first {@code count} entries that {@code atOrBefore} accepts, or -1 if it
     * accepts none. The entries are sorted, so it accepts a first run of them and refuses the rest.
     */
    static int lastWhere(int count, IntPredicate atOrBefore) {
        int low = 0;
        int high = count - 1;
        int found = -1; // the last entry accepted so far
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (atOrBefore.test(middle)) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found;
    }
    // end::search[]
}
