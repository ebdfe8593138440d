package toykafka.storage.producers;

import java.util.List;

/**
 * Where a log writes down its aborted transactions, as Kafka does, so that Kafka's tools, and Kafka itself,
 * find them: the {@code .txnindex} file beside each segment. A log in memory has none. The producer state
 * never reads it back: at a start it learns the aborted transactions from the markers in the log.
 */
public interface AbortedIndex {

    /** The index of a log kept in memory: nothing is written. */
    AbortedIndex NONE = new AbortedIndex() {
        @Override
        public void add(AbortedTxn aborted) {
        }

        @Override
        public void rewrite(List<AbortedTxn> aborted, long below) {
        }
    };

    /**
     * Notes a transaction aborted in the index of the segment holding its marker. Never fails: a file it could
     * not write is written again by {@link #rewrite} at the next start.
     */
    void add(AbortedTxn aborted);

    /**
     * Makes the indexes of the segments below {@code below} hold exactly those of {@code aborted} whose marker
     * they hold, and removes the others there: the rebuild after a start, from what the log's markers said.
     */
    void rewrite(List<AbortedTxn> aborted, long below);
}
