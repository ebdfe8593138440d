package toykafka.lesson12;

/**
 * Each key's latest offset, in a bounded amount of memory: what the cleaner learns from the dirty part of a
 * log before it rewrites anything. A full map refuses new keys, and the cleaner then cleans only up to the
 * last offset it mapped; the next pass goes on from there.
 */
// tag::contract[]
public interface KeyOffsetMap {

    /**
     * Notes that {@code key}'s latest record is at {@code offset}, which must be higher than any offset put
     * before (a log is read in order; refuse a lower one with an IllegalArgumentException). Returns false,
     * and changes nothing, when the key is new and the map already holds {@link #maxKeys()} keys.
     */
    boolean put(byte[] key, long offset);

    /** The latest offset noted for {@code key}, or -1 if the map has none. */
    long get(byte[] key);

    /** How many keys the map holds. */
    int size();

    /** How many keys fit: new keys beyond it are refused. */
    int maxKeys();

    /** The highest offset put so far, or -1 when empty. */
    long latestOffset();

    /** Empties the map for the next pass; offsets may then start low again. */
    void clear();
}
// end::contract[]
